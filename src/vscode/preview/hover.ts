// Hover for formulas in Markdown: the formula rendered by MathJax configured like GitHub (an SVG image in a data:
// URI, so it is GitHub's rendering, not KaTeX's), the problems GitHub's MathJax reports, and any lint finding on
// the formula with its quick fix as a command link. Works for `$…$`, `$$…$$`, $`…`$ and ```math fences, and for
// near misses (text GitHub leaves raw: the hover says so and shows what was meant).
import * as vscode from 'vscode';
import { previewHost } from '../lazy';
import type { GithubMath, NearMiss } from '../../core/scan/types';
import type { DetailedScan } from '../../core/scan/scanner';
import type { Finding, TextEdit } from '../../core/types';
import type { TexProblem } from '../../core/tex/types';

export const APPLY_FIX_COMMAND = 'mathWriteup.preview.applyHoverFix';

export interface ApplyFixArgs {
  uri: string;
  version: number;
  edits: TextEdit[];
  title: string;
}

interface Analysis {
  version: number;
  scan: DetailedScan;
  findings: Finding[];
}

type RenderSvg = (tex: string, display: boolean) => Promise<{ svg: string; problems: TexProblem[] }>;

/** Colours for `currentColor` in the SVG image (an <img> does not inherit the hover's text colour). */
function foreground(): string {
  const kind = vscode.window.activeColorTheme.kind;
  return kind === vscode.ColorThemeKind.Dark || kind === vscode.ColorThemeKind.HighContrast ? '#e6edf3' : '#1f2328';
}

export function svgDataUri(svg: string, color: string): string {
  const colored = svg.replace(/currentColor/g, color);
  return `data:image/svg+xml;base64,${Buffer.from(colored, 'utf8').toString('base64')}`;
}

export class MathHoverProvider implements vscode.HoverProvider {
  readonly #cache = new Map<string, Analysis>();
  #renderSvg: RenderSvg | undefined;

  constructor(renderSvg?: RenderSvg) {
    this.#renderSvg = renderSvg;
  }

  async #svg(tex: string, display: boolean): Promise<{ svg: string; problems: TexProblem[] }> {
    if (!this.#renderSvg) {
      // mathjax-full is large: loaded on the first hover, not at activation.
      this.#renderSvg = previewHost().renderGithubSvg;
    }
    return this.#renderSvg(tex, display);
  }

  async #analyse(doc: vscode.TextDocument): Promise<Analysis> {
    const key = doc.uri.toString();
    const hit = this.#cache.get(key);
    if (hit && hit.version === doc.version) return hit;
    const { scanDocument, lintText } = previewHost();
    const text = doc.getText();
    const scan = scanDocument(text);
    let findings: Finding[] = [];
    try {
      findings = lintText(text, undefined, { scan });
    } catch {
      findings = [];
    }
    const a = { version: doc.version, scan, findings };
    this.#cache.set(key, a);
    if (this.#cache.size > 20) this.#cache.delete(this.#cache.keys().next().value as string);
    return a;
  }

  async provideHover(doc: vscode.TextDocument, position: vscode.Position, token: vscode.CancellationToken): Promise<vscode.Hover | undefined> {
    const a = await this.#analyse(doc);
    if (token.isCancellationRequested || a.version !== doc.version) return undefined;
    const offset = doc.offsetAt(position);
    const math = a.scan.math.find((m) => m.start <= offset && offset <= m.end);
    const miss = a.scan.nearMisses.find((n) => n.start <= offset && offset <= n.end);
    if (!math && !miss) return undefined;
    const start = Math.min(math?.start ?? Infinity, miss?.start ?? Infinity);
    const end = Math.max(math?.end ?? -Infinity, miss?.end ?? -Infinity);
    const md = new vscode.MarkdownString(undefined, true);
    md.supportHtml = false;
    md.isTrusted = { enabledCommands: [APPLY_FIX_COMMAND] };
    if (math) await this.#describeMath(md, math, miss);
    else if (miss) await this.#describeNearMiss(md, miss);
    const findings = a.findings.filter((f) => f.start < end && f.end > start);
    if (findings.length > 0) {
      md.appendMarkdown('\n\n---\n');
      for (const f of findings) this.#describeFinding(md, f, doc);
    }
    if (token.isCancellationRequested) return undefined;
    return new vscode.Hover(md, new vscode.Range(doc.positionAt(start), doc.positionAt(end)));
  }

  async #describeMath(md: vscode.MarkdownString, m: GithubMath, miss: NearMiss | undefined): Promise<void> {
    const { svg, problems } = await this.#svg(m.tex, m.display);
    md.appendMarkdown(`**GitHub renders** (${m.display ? 'display' : 'inline'}, MathJax as on github.com):\n\n`);
    if (svg) md.appendMarkdown(`![${escapeAlt(m.delimited)}](${svgDataUri(svg, foreground())})\n\n`);
    for (const p of problems.filter((x) => x.target === 'github')) md.appendMarkdown(`$(error) ${escapeMd(p.message)}\n\n`);
    if (miss) md.appendMarkdown(`$(warning) ${escapeMd(miss.message)} (${miss.rule})\n\n`);
    md.appendMarkdown(`MathJax receives: \`${m.tex.replace(/`/g, 'ˋ')}\``);
  }

  async #describeNearMiss(md: vscode.MarkdownString, n: NearMiss): Promise<void> {
    md.appendMarkdown(`$(warning) **GitHub does not render this as math** (${n.rule}): ${escapeMd(n.message)}\n\n`);
    const { svg } = await this.#svg(n.vscode.tex, n.vscode.display);
    if (svg) {
      md.appendMarkdown('What the formula should look like once fixed:\n\n');
      md.appendMarkdown(`![${escapeAlt(n.vscode.tex)}](${svgDataUri(svg, foreground())})`);
    }
  }

  #describeFinding(md: vscode.MarkdownString, f: Finding, doc: vscode.TextDocument): void {
    md.appendMarkdown(`$(lightbulb) **${f.ruleId}** ${escapeMd(f.message)}`);
    for (const fix of f.fixes) {
      const args: ApplyFixArgs = { uri: doc.uri.toString(), version: doc.version, edits: fix.edits, title: fix.title };
      const link = `command:${APPLY_FIX_COMMAND}?${encodeURIComponent(JSON.stringify([args]))}`;
      md.appendMarkdown(` · [${escapeMd(fix.title)}](${link} "Apply this fix")`);
    }
    md.appendMarkdown('\n\n');
  }
}

/** Applies a hover's fix if the document is still at the version the hover was computed for. */
export async function applyHoverFix(args: ApplyFixArgs): Promise<boolean> {
  const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === args.uri);
  if (!doc) return false;
  if (doc.version !== args.version) {
    void vscode.window.showWarningMessage('Math Writeup: the document changed since this hover; hover again to get a fresh fix.');
    return false;
  }
  const edit = new vscode.WorkspaceEdit();
  for (const e of args.edits) edit.replace(doc.uri, new vscode.Range(doc.positionAt(e.start), doc.positionAt(e.end)), e.newText);
  return vscode.workspace.applyEdit(edit);
}

function escapeMd(s: string): string {
  return s.replace(/[\\`*_{}[\]()#+\-.!|<>$]/g, (c) => `\\${c}`);
}

function escapeAlt(s: string): string {
  return s.replace(/[[\]\\\n]/g, ' ').slice(0, 200);
}
