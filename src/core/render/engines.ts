// The two markdown-it engines of the preview.
// - GitHub mode: the shared GFM parser plus the GitHub math plugin (the same scanner the linter uses), so formulas
//   GitHub renders become math tokens and near misses are wrapped, showing the raw text GitHub shows.
// - VS Code mode: markdown-it configured like VS Code's built-in preview plus the real `@vscode/markdown-it-katex`
//   plugin with the options VS Code's markdown-math extension passes, so it renders exactly what VS Code renders.
// Both engines share the renderer rules that keep the preview safe (sanitized raw HTML, checked URLs) and the
// check cards.
import MarkdownIt from 'markdown-it';
import type Token from 'markdown-it/lib/token.mjs';
import type Renderer from 'markdown-it/lib/renderer.mjs';
import vscodeKatex from '@vscode/markdown-it-katex';
import { createGfmParser } from '../markdown/gfm';
import { githubMathPlugin, type GithubMathEnv } from '../scan/plugin';
import type { LineIndex } from '../text';
import type { CheckResult } from '../check/types';
import { escapeAttr, escapeHtml } from './escape';
import { isSafeUrl, sanitizeHtml, type UrlKind } from './sanitize';
import type { KatexCache, KatexRenderOptions } from './katexCache';
import { renderCheckCard } from './checkCard';
import { isCheckFence } from '../scan/fences';
import { explainNearMiss } from '../lint/explain';
import type { NearMiss } from '../scan/types';
import { formulaSlot } from './mathjaxFormulas';
import { contentKey } from './hash';
import { staticGithubChecks } from '../tex/github';

export type RenderMode = 'github' | 'vscode';

/** Per-render environment our renderer rules read (markdown-it passes `env` through to every rule). */
export interface RenderEnv {
  references?: unknown;
  footnotes?: unknown;
  mw: {
    /** Line index of the parsed source (the whole document or the re-parsed window). */
    lines: LineIndex;
    /** Line (in the parsed source) where the block being rendered starts. */
    blockStart: number;
    /** Results of checks, keyed by contentKey(fence content). */
    checkResults: ReadonlyMap<string, CheckResult>;
    rewriteUrl: (url: string, kind: UrlKind) => string | null;
    /** Checks cannot run where the page is shown: the cards say this instead of "not run yet". */
    checksUnavailable?: string;
  };
}

interface MathMeta {
  display?: boolean;
  start?: number;
  end?: number;
}

interface NearMissMeta {
  miss: NearMiss;
  start: number;
  end: number;
}

/** ` data-rule="MW020" title="<lead> (MW020): <message>"` for a near miss, in the words of the rule owning its cause. */
function nearMissAttrs(n: NearMiss, lead: string): string {
  const { ruleId, message } = explainNearMiss(n);
  const rule = ruleId ? ` data-rule="${escapeAttr(ruleId)}"` : '';
  return `${rule} title="${escapeAttr(`${lead}${ruleId ? ` (${ruleId})` : ''}: ${message}`)}"`;
}

/** What the GitHub math plugin leaves in `env` (the scan of the parsed source). */
type ScanEnv = Pick<GithubMathEnv, 'mathWriteupDamaged'>;

type Rule = (tokens: Token[], idx: number, options: MarkdownIt.Options, env: RenderEnv & ScanEnv, self: Renderer) => string;

function relPos(env: RenderEnv, offset: number | undefined): string {
  if (offset === undefined) return '';
  const p = env.mw.lines.positionAt(offset);
  return ` data-rline="${p.line - env.mw.blockStart}" data-col="${p.character}"`;
}

/** Rules shared by both modes: raw HTML sanitizing, URL checks, images, check cards. */
function installSafetyRules(md: MarkdownIt, typesetDisplay: (tex: string) => string): void {
  const rules = md.renderer.rules as unknown as Record<string, Rule | undefined>;
  rules.html_block = (tokens, idx, _o, env) => sanitizeHtml(tokens[idx].content, { rewriteUrl: env.mw.rewriteUrl });
  rules.html_inline = (tokens, idx, _o, env) => sanitizeHtml(tokens[idx].content, { rewriteUrl: env.mw.rewriteUrl });

  const defaultLinkOpen: Rule = (tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options);
  const linkOpen = rules.link_open ?? defaultLinkOpen;
  rules.link_open = (tokens, idx, options, env, self) => {
    const t = tokens[idx];
    const href = t.attrGet('href') ?? '';
    if (!isSafeUrl(href, 'link')) t.attrSet('href', '#');
    else if (href && !href.startsWith('#')) t.attrSet('data-href', href);
    return linkOpen(tokens, idx, options, env, self);
  };

  rules.image = (tokens, idx, options, env, self) => {
    const t = tokens[idx];
    const src = t.attrGet('src') ?? '';
    const alt = self.renderInlineAsText(t.children ?? [], options, env as unknown as object);
    const resolved = isSafeUrl(src, 'image') ? env.mw.rewriteUrl(src, 'image') : null;
    if (resolved === null) {
      return `<span class="mw-img-blocked" title="${escapeAttr(`Image not shown: ${src}`)}">${escapeHtml(alt || '[image]')}</span>`;
    }
    const title = t.attrGet('title');
    return `<img src="${escapeAttr(resolved)}" alt="${escapeAttr(alt)}"${title ? ` title="${escapeAttr(title)}"` : ''}>`;
  };

  const fence = rules.fence;
  rules.fence = (tokens, idx, options, env, self) => {
    const t = tokens[idx];
    if (isCheckFence(t)) {
      return renderCheckCard(t.content, env.mw.checkResults.get(contentKey(t.content)), typesetDisplay, undefined, env.mw.checksUnavailable);
    }
    return fence ? fence(tokens, idx, options, env, self) : self.renderToken(tokens, idx, options);
  };
}

export interface EngineOptions {
  cache: KatexCache;
  /**
   * GitHub mode's typesetter: 'katex' (synchronous, e.g. the exported HTML, which carries no script) or 'mathjax'
   * (slots the preview page fills with MathJax's SVG, typeset off the extension host's thread).
   */
  githubTypesetter?: 'katex' | 'mathjax';
}

/** GitHub mode: GFM parser + the GitHub math plugin; formulas typeset with KaTeX from the per-formula cache, or MathJax slots. */
export function createGithubEngine(opts: EngineOptions): MarkdownIt {
  const md = createGfmParser();
  md.use(githubMathPlugin);
  const typeset = opts.githubTypesetter === 'mathjax'
    ? formulaSlot
    : (tex: string, display: boolean): string => opts.cache.render('github', tex, { displayMode: display });
  const rules = md.renderer.rules as unknown as Record<string, Rule | undefined>;
  // Formulas GitHub renders, but not as VS Code does (damaged TeX such as eaten `\{`, inline instead of display):
  // marked like near misses, with the finding's message on hover.
  const damage = (env: RenderEnv & ScanEnv, meta: MathMeta): { cls: string; title: string } => {
    const n = meta.start === undefined ? undefined : env.mathWriteupDamaged?.get(meta.start);
    if (!n) return { cls: '', title: '' };
    return {
      cls: ' mw-damaged',
      title: nearMissAttrs(n, 'GitHub renders this differently from VS Code'),
    };
  };
  // What GitHub's MathJax does with the TeX (static checks, cheap): a refused macro or the brace limit makes GitHub
  // show an error instead of the formula; a macro it does not know is painted red. KaTeX would render both.
  const githubVerdict = (tex: string): { refused?: string; red?: string } => {
    const problems = staticGithubChecks(tex);
    const refused = problems.find((p) => p.kind === 'refused-macro' || p.kind === 'removed-package' || p.kind === 'brace-limit');
    if (refused) return { refused: refused.message };
    const red = problems.find((p) => p.kind === 'katex-only' || p.kind === 'undefined-macro');
    return red ? { red: red.message } : {};
  };
  const refusedHtml = (tex: string, display: boolean, message: string): string =>
    `<span class="mw-refused" title="${escapeAttr(message)}">${escapeHtml(display ? `$$${tex}$$` : `$${tex}$`)}</span>`;
  rules.math_inline = (tokens, idx, _o, env) => {
    const t = tokens[idx];
    const meta = (t.meta ?? {}) as MathMeta;
    const d = damage(env, meta);
    const v = githubVerdict(t.content);
    if (v.refused) return `<span class="mw-math mw-damaged" title="${escapeAttr(v.refused)}"${relPos(env, meta.start)}>${refusedHtml(t.content, !!meta.display, v.refused)}</span>`;
    const red = v.red && !d.cls ? { cls: ' mw-damaged', title: ` title="${escapeAttr(v.red)}"` } : d;
    const cls = (meta.display ? 'mw-math mw-math-display' : 'mw-math') + red.cls;
    return `<span class="${cls}"${red.title}${relPos(env, meta.start)}>${typeset(t.content, !!meta.display)}</span>`;
  };
  rules.math_block = (tokens, idx, _o, env) => {
    const t = tokens[idx];
    const meta = (t.meta ?? {}) as MathMeta;
    const d = damage(env, meta);
    const line = t.map ? ` data-rline="${t.map[0] - env.mw.blockStart}"` : '';
    const v = githubVerdict(t.content);
    if (v.refused) return `<div class="mw-math-block mw-damaged" title="${escapeAttr(v.refused)}"${line}>${refusedHtml(t.content, true, v.refused)}</div>\n`;
    const red = v.red && !d.cls ? { cls: ' mw-damaged', title: ` title="${escapeAttr(v.red)}"` } : d;
    return `<div class="mw-math-block${red.cls}"${red.title}${line}>${typeset(t.content, true)}</div>\n`;
  };
  rules.math_nearmiss_open = (tokens, idx, _o, env) => {
    const meta = (tokens[idx].meta ?? {}) as NearMissMeta;
    return `<span class="mw-nearmiss"${nearMissAttrs(meta.miss, 'GitHub does not render this as VS Code does')}${relPos(env, meta.start)}>`;
  };
  rules.math_nearmiss_close = () => '</span>';
  installSafetyRules(md, (tex) => typeset(tex, true));
  return md;
}

/** Options VS Code's markdown-math extension passes to the plugin (macros reset on every render). */
export interface VscodeEngine {
  md: MarkdownIt;
  /** Set before each render: a document that defines macros bypasses the formula cache. */
  setBypass(bypass: boolean): void;
  /** Clears the shared macro table (VS Code does this at the start of every render). */
  resetMacros(): void;
}

/** VS Code mode: markdown-it like VS Code's preview + @vscode/markdown-it-katex, typesetting through the cache. */
export function createVscodeEngine(opts: EngineOptions): VscodeEngine {
  const md = new MarkdownIt('default', { html: true, linkify: true, typographer: false, breaks: false });
  const macros: Record<string, string> = {};
  let bypass = false;
  const cachedKatex = {
    renderToString(tex: string, o: KatexRenderOptions): string {
      return opts.cache.render('vscode', tex, { displayMode: o.displayMode, macros, globalGroup: true }, bypass);
    },
  };
  md.use(vscodeKatex, { katex: cachedKatex, globalGroup: true, enableFencedBlocks: true, macros });
  installSafetyRules(md, (tex) => opts.cache.render('vscode', tex, { displayMode: true }));
  return {
    md,
    setBypass(b) {
      bypass = b;
    },
    resetMacros() {
      for (const k of Object.keys(macros)) delete macros[k];
    },
  };
}
