// Validation and SVG rendering of one formula with MathJax 3 configured like github.com (GH-MJ-01…04).
//
// GitHub runs MathJax 3.2.0; npm's closest available release is mathjax-full 3.2.2, used here. The TeX
// input gets GitHub's package set (AllPackages minus noerrors, bbox, html, require, newcommand, action,
// colortbl), so noundefined paints unknown macros red exactly as on GitHub. On top of MathJax we apply
// GitHub's own checks from ./github.ts (refused macros by substring, brace limit).
//
// Loading is lazy: nothing of mathjax-full is imported until the first call. Results are cached per
// (tex, display) in the LRU caches of a `GithubValidator`, an object each caller owns. Each formula is converted on its own (equation labels are reset before
// each one), so results do not depend on the order formulas are validated in.
import type { MmlNode } from 'mathjax-full/js/core/MmlTree/MmlNode.js';
import type { TexProblem } from './types';
import { LruCache } from './lru';
import { staticGithubChecks } from './github';

export type { TexProblem } from './types';

/** GitHub's MathJax TeX packages (GH-MJ-01). */
export const GITHUB_MATHJAX_PACKAGES: readonly string[] = [
  'base', 'ams', 'amscd', 'boldsymbol', 'braket', 'bussproofs', 'cancel', 'cases', 'centernot', 'color', 'empheq',
  'enclose', 'extpfeil', 'gensymb', 'mathtools', 'mhchem', 'noundefined', 'upgreek', 'unicode', 'verb',
  'configmacros', 'tagformat', 'textcomp', 'textmacros',
];

/** What the TeX input's formatError hook saw: the error and where the innermost parser stood. */
interface CapturedError {
  id: string;
  message: string;
  parserString?: string;
  parserIndex?: number;
}

interface MathItemLike {
  root: MmlNode;
  typesetRoot: unknown;
  start: { node: unknown };
  setMetrics(em: number, ex: number, cwidth: number, lwidth: number, scale: number): void;
  convert(document: unknown, end?: number): void;
}

interface Engine {
  /** Converts one formula up to the internal MathML tree; `svg()` continues to the SVG output. */
  convert(tex: string, display: boolean): { root: MmlNode; error?: CapturedError; svg(): string };
}

let engine: Engine | undefined;
let loading: Promise<Engine> | undefined;

async function loadEngine(): Promise<Engine> {
  const [{ mathjax }, { TeX }, { SVG }, { liteAdaptor }, { RegisterHTMLHandler }, { STATE }] = await Promise.all([
    import('mathjax-full/js/mathjax.js'),
    import('mathjax-full/js/input/tex.js'),
    import('mathjax-full/js/output/svg.js'),
    import('mathjax-full/js/adaptors/liteAdaptor.js'),
    import('mathjax-full/js/handlers/html.js'),
    import('mathjax-full/js/core/MathItem.js'),
  ]);
  // Each configuration module registers its package when it is evaluated (GitHub's set, nothing more).
  await Promise.all([
    import('mathjax-full/js/input/tex/base/BaseConfiguration.js'),
    import('mathjax-full/js/input/tex/ams/AmsConfiguration.js'),
    import('mathjax-full/js/input/tex/amscd/AmsCdConfiguration.js'),
    import('mathjax-full/js/input/tex/boldsymbol/BoldsymbolConfiguration.js'),
    import('mathjax-full/js/input/tex/braket/BraketConfiguration.js'),
    import('mathjax-full/js/input/tex/bussproofs/BussproofsConfiguration.js'),
    import('mathjax-full/js/input/tex/cancel/CancelConfiguration.js'),
    import('mathjax-full/js/input/tex/cases/CasesConfiguration.js'),
    import('mathjax-full/js/input/tex/centernot/CenternotConfiguration.js'),
    import('mathjax-full/js/input/tex/color/ColorConfiguration.js'),
    import('mathjax-full/js/input/tex/empheq/EmpheqConfiguration.js'),
    import('mathjax-full/js/input/tex/enclose/EncloseConfiguration.js'),
    import('mathjax-full/js/input/tex/extpfeil/ExtpfeilConfiguration.js'),
    import('mathjax-full/js/input/tex/gensymb/GensymbConfiguration.js'),
    import('mathjax-full/js/input/tex/mathtools/MathtoolsConfiguration.js'),
    import('mathjax-full/js/input/tex/mhchem/MhchemConfiguration.js'),
    import('mathjax-full/js/input/tex/noundefined/NoUndefinedConfiguration.js'),
    import('mathjax-full/js/input/tex/upgreek/UpgreekConfiguration.js'),
    import('mathjax-full/js/input/tex/unicode/UnicodeConfiguration.js'),
    import('mathjax-full/js/input/tex/verb/VerbConfiguration.js'),
    import('mathjax-full/js/input/tex/configmacros/ConfigMacrosConfiguration.js'),
    import('mathjax-full/js/input/tex/tagformat/TagFormatConfiguration.js'),
    import('mathjax-full/js/input/tex/textcomp/TextcompConfiguration.js'),
    import('mathjax-full/js/input/tex/textmacros/TextMacrosConfiguration.js'),
  ]);

  const adaptor = liteAdaptor();
  RegisterHTMLHandler(adaptor);
  let captured: CapturedError | undefined;
  const tex = new TeX({
    packages: [...GITHUB_MATHJAX_PACKAGES],
    // Same output as MathJax's default (an merror node), but remember the error and the parser position.
    formatError: (jax: InstanceType<typeof TeX>, err: { id: string; message: string }) => {
      const parser = jax.parseOptions.parser as { string?: string; i?: number } | undefined;
      captured = { id: err.id, message: err.message.replace(/\n.*/s, ''), parserString: parser?.string, parserIndex: parser?.i };
      return jax.formatError(err as Parameters<typeof jax.formatError>[0]);
    },
  });
  // fontCache 'local': glyph paths live in the <svg>'s own <defs>, so the image is self-contained.
  const svgJax = new SVG({ fontCache: 'local' });
  const doc = mathjax.document('', { InputJax: tex, OutputJax: svgJax });
  const MathItem = doc.options.MathItem as new (math: string, jax: unknown, display: boolean) => MathItemLike;
  // The textmacros package parses \text{…} arguments with parse options of its own, which TeX's compile never clears:
  // every parser and node of every formula's text stayed reachable (about 3 KB a formula, some 300 MB over the
  // formulas of a 50 MB writeup). They are cleared before each formula (a jax made afresh would not help: the
  // tagformat package registers every jax in a global table).
  const textOptions = (tex.parseOptions.packageData.get('textmacros') as { parseOptions?: { clear(): void } } | undefined)?.parseOptions;

  return {
    convert(source: string, display: boolean) {
      captured = undefined;
      textOptions?.clear();
      tex.reset();
      const item = new MathItem(source, tex, display);
      item.start.node = adaptor.body(doc.document);
      item.setMetrics(16, 8, 80 * 8, 1000000, 1);
      item.convert(doc, STATE.CONVERT);
      const error = captured;
      return {
        root: item.root,
        error,
        svg(): string {
          item.convert(doc, STATE.LAST);
          const container = item.typesetRoot as Parameters<typeof adaptor.innerHTML>[0];
          return adaptor.innerHTML(container);
        },
      };
    },
  };
}

async function getEngine(): Promise<Engine> {
  if (engine) return engine;
  loading ??= loadEngine().then((e) => (engine = e)).catch((err: unknown) => {
    loading = undefined; // allow a retry after a failed load
    throw err;
  });
  return loading;
}

// ---------------------------------------------------------------------------------------------------------
// Reading problems out of MathJax's result

/** Text content of a token node (mtext) — its text children's text. */
function tokenText(node: MmlNode): string {
  return node.childNodes.map((c) => ((c as unknown as { text?: string }).text ?? '')).join('');
}

interface TreeFindings {
  /** Names (with backslash) painted red by noundefined, in tree order. */
  undefinedMacros: string[];
  /** Messages of merror nodes not explained by the formatError hook (e.g. internal compile errors). */
  errors: string[];
}

function scanTree(node: MmlNode, out: TreeFindings): TreeFindings {
  if (node.isKind('mtext') && node.attributes.get('mathcolor') === 'red') {
    const text = tokenText(node);
    if (/^\\(?:[A-Za-z]+|[^A-Za-z])$/.test(text)) out.undefinedMacros.push(text);
  } else if (node.isKind('merror')) {
    const msg = node.attributes.get('data-mjx-error') ?? node.attributes.get('data-mjx-compile-error');
    out.errors.push(typeof msg === 'string' ? msg : 'Math input error');
    return out;
  }
  for (const child of node.childNodes) scanTree(child as MmlNode, out);
  return out;
}

/** Offsets of `\name` in tex where it is a whole control word (not a prefix of a longer one). */
function controlWordOffsets(tex: string, cs: string): number[] {
  const out: number[] = [];
  const word = /^\\[A-Za-z]+$/.test(cs);
  for (let at = tex.indexOf(cs); at >= 0; at = tex.indexOf(cs, at + 1)) {
    // skip a backslash that is itself escaped (\\name is a row break followed by letters)
    let slashes = 0;
    for (let k = at - 1; k >= 0 && tex[k] === '\\'; k--) slashes++;
    if (slashes % 2 === 1) continue;
    if (word && at + cs.length < tex.length && /[A-Za-z]/.test(tex[at + cs.length])) continue;
    out.push(at);
  }
  return out;
}

/** Offset of the first `{` that is never closed, ignoring \{ and \}. */
function unmatchedOpenBrace(tex: string): number {
  const open: number[] = [];
  for (let i = 0; i < tex.length; i++) {
    const c = tex[i];
    if (c === '\\') { i++; continue; }
    if (c === '{') open.push(i);
    else if (c === '}') open.pop();
  }
  return open.length > 0 ? open[0] : -1;
}

/**
 * Offset in `tex` that corresponds to the parser's position, or -1. The parser may hold the whole formula,
 * an argument of it (a sub-parser), or a string MathJax rewrote before the position (it inserts spaces
 * after digits and expands macros); in the last case the unread rest still matches the source.
 */
function parserOffset(tex: string, parserString: string, parserIndex: number): number {
  const i = Math.max(0, Math.min(parserIndex, parserString.length));
  if (parserString === tex) return i;
  const whole = tex.indexOf(parserString);
  if (whole >= 0) return whole + i;
  const rest = parserString.slice(i);
  if (rest.length > 0) {
    if (tex.endsWith(rest)) return tex.length - rest.length;
    const at = tex.indexOf(rest);
    if (at >= 0 && tex.indexOf(rest, at + 1) < 0) return at;
  }
  // Otherwise: the longest text just before the position that occurs exactly once in the source.
  for (let len = Math.min(16, i); len > 0; len--) {
    const tail = parserString.slice(i - len, i);
    const at = tex.indexOf(tail);
    if (at >= 0 && tex.indexOf(tail, at + 1) < 0) return at + len;
  }
  return -1;
}

/** Where in `tex` a MathJax TeX error points: the macro it names, or the character the parser stopped at. */
function locateError(tex: string, err: CapturedError): [number, number] {
  const named = /\\(?:[A-Za-z]+|[^A-Za-z\s])/.exec(err.message)?.[0];
  const pos = err.parserString !== undefined && err.parserIndex !== undefined
    ? parserOffset(tex, err.parserString, err.parserIndex) : -1;
  if (err.id === 'MissingCloseBrace' || err.id === 'ExtraOpenMissingClose') {
    const open = unmatchedOpenBrace(tex);
    if (open >= 0) return [open, open + 1];
  }
  if (pos >= 0) {
    if (named) {
      const candidates = controlWordOffsets(tex, named).filter((o) => o < Math.max(pos, 1));
      if (candidates.length > 0) {
        const at = candidates[candidates.length - 1];
        const end = pos > at + named.length && pos - (at + named.length) <= 2 ? pos : at + named.length;
        return [at, end];
      }
    }
    if (pos > 0) return [pos - 1, pos];
    return [0, Math.min(tex.length, 1)];
  }
  if (named) {
    const at = controlWordOffsets(tex, named)[0];
    if (at !== undefined) return [at, at + named.length];
  }
  return [0, tex.length];
}

function mathjaxProblems(tex: string, root: MmlNode, error: CapturedError | undefined): TexProblem[] {
  const problems: TexProblem[] = [];
  const found = scanTree(root, { undefinedMacros: [], errors: [] });
  if (error) {
    const [start, end] = locateError(tex, error);
    problems.push({ target: 'github', kind: 'parse-error', message: `GitHub shows a MathJax error: ${error.message}`, start, end });
  } else {
    for (const message of found.errors) {
      problems.push({ target: 'github', kind: 'parse-error', message: `GitHub shows a MathJax error: ${message}`, start: 0, end: tex.length });
    }
  }
  // Each red name in tree order is matched to its next occurrence in the source.
  const used = new Map<string, number>();
  for (const cs of found.undefinedMacros) {
    const offsets = controlWordOffsets(tex, cs);
    const k = used.get(cs) ?? 0;
    used.set(cs, k + 1);
    const at = offsets[k];
    const [start, end] = at === undefined ? [0, tex.length] : [at, at + cs.length];
    problems.push({
      target: 'github', kind: 'undefined-macro',
      message: `GitHub shows \`${cs}\` in red: GitHub's MathJax does not define it.`, start, end,
    });
  }
  return problems;
}

/**
 * Static GitHub checks plus MathJax's findings. A red macro that a static finding already explains (same
 * control word) is not reported twice; the remaining red macros take source occurrences the static
 * findings do not cover.
 */
function combine(tex: string, fromMathJax: TexProblem[]): TexProblem[] {
  const statics = staticGithubChecks(tex);
  const staticByName = new Map<string, number>();
  const covered = new Set<number>();
  for (const p of statics) {
    if (p.kind === 'katex-only' || p.kind === 'removed-package') {
      const cs = tex.slice(p.start, p.end);
      staticByName.set(cs, (staticByName.get(cs) ?? 0) + 1);
      covered.add(p.start);
    }
  }
  const redByName = new Map<string, TexProblem[]>();
  const others: TexProblem[] = [];
  for (const p of fromMathJax) {
    if (p.kind !== 'undefined-macro') { others.push(p); continue; }
    const cs = p.message.match(/`([^`]+)`/)?.[1] ?? '';
    redByName.set(cs, [...(redByName.get(cs) ?? []), p]);
  }
  const reds: TexProblem[] = [];
  for (const [cs, list] of redByName) {
    const explained = staticByName.get(cs) ?? 0;
    if (list.length <= explained) continue;
    const free = controlWordOffsets(tex, cs).filter((o) => !covered.has(o));
    list.slice(explained).forEach((p, k) => {
      const at = free[k];
      reds.push(at === undefined ? p : { ...p, start: at, end: at + cs.length });
    });
  }
  return [...statics, ...others, ...reds].sort((a, b) => a.start - b.start || a.end - b.end);
}

function failure(tex: string, err: unknown): TexProblem[] {
  return [{ target: 'github', kind: 'parse-error', message: `MathJax failed on this formula: ${String(err)}`, start: 0, end: tex.length }];
}

const cacheKey = (tex: string, display: boolean): string => (display ? 'D' : 'I') + tex;
const copy = (problems: readonly TexProblem[]): TexProblem[] => problems.map((p) => ({ ...p }));

// ---------------------------------------------------------------------------------------------------------
// Public API

/** GitHub's MathJax verdicts known to a lint: a formula's problems, or undefined when it has not been judged. */
export interface GithubVerdicts {
  verdict(tex: string, display: boolean): readonly TexProblem[] | undefined;
}

/** No verdict for any formula (a lint without GitHub's MathJax: MW053 reports nothing). */
export const NO_VERDICTS: GithubVerdicts = { verdict: () => undefined };

/**
 * Verdicts held for one lint: every formula put in stays until the map is dropped, so what a lint reports never
 * depends on how many formulas a cache can hold.
 */
export class VerdictMap implements GithubVerdicts {
  readonly #map = new Map<string, readonly TexProblem[]>();

  get size(): number {
    return this.#map.size;
  }

  verdict(tex: string, display: boolean): readonly TexProblem[] | undefined {
    return this.#map.get(cacheKey(tex, display));
  }

  set(tex: string, display: boolean, problems: readonly TexProblem[]): void {
    this.#map.set(cacheKey(tex, display), problems);
  }

  /** Copy every verdict of `other` into this map. */
  addAll(other: VerdictMap): void {
    for (const [k, v] of other.#map) this.#map.set(k, v);
  }

  /** A map with only the verdicts of `formulas` that this one holds. */
  restrictedTo(formulas: Iterable<{ tex: string; display: boolean }>): VerdictMap {
    const out = new VerdictMap();
    for (const g of formulas) {
      const key = cacheKey(g.tex, g.display);
      const v = this.#map.get(key);
      if (v !== undefined) out.#map.set(key, v);
    }
    return out;
  }
}

/**
 * GitHub's MathJax as an object: validation, SVG rendering and the verdicts judged so far. Callers (the CLI, the
 * language server, the extension's workers, the web extension, tests) each construct their own and pass it in; the
 * core keeps no verdicts of its own, so a lint's findings depend only on its text, its configuration and the
 * verdicts it is given. The caches only save time: the lint paths hold the verdicts of the formulas they read in a
 * `VerdictMap` (see `validateFormulas` in ../lint/engine.ts), so evictions never drop a finding.
 * MathJax itself (the loaded library) is shared by all validators; it keeps no state between formulas.
 */
export class GithubValidator implements GithubVerdicts {
  readonly #problems: LruCache<string, readonly TexProblem[]>;
  readonly #svgs: LruCache<string, { svg: string; problems: readonly TexProblem[] }>;
  #hits = 0;
  #misses = 0;

  constructor(options: { cacheSize?: number; svgCacheSize?: number } = {}) {
    this.#problems = new LruCache(options.cacheSize ?? 5000);
    this.#svgs = new LruCache(options.svgCacheSize ?? 2000);
  }

  /**
   * Problems GitHub would show for one formula (the TeX after GitHub's Markdown pass): MathJax TeX errors with their
   * position, undefined macros (painted red), refused macros, removed-package and KaTeX-only macros, and the
   * per-formula brace limit. Offsets are within `tex`.
   */
  async validate(tex: string, display: boolean): Promise<TexProblem[]> {
    const key = cacheKey(tex, display);
    const hit = this.#problems.get(key) ?? this.#svgs.get(key)?.problems;
    if (hit !== undefined) {
      this.#hits++;
      return copy(hit);
    }
    this.#misses++;
    const mj = await getEngine();
    let problems: TexProblem[];
    try {
      const result = mj.convert(tex, display);
      problems = combine(tex, mathjaxProblems(tex, result.root, result.error));
    } catch (err) {
      problems = combine(tex, failure(tex, err));
    }
    this.#problems.set(key, problems);
    return copy(problems);
  }

  /**
   * The formula typeset by GitHub's MathJax configuration as a self-contained SVG (glyphs in its own <defs>; colours
   * use `currentColor`), plus the same problems as `validate`. GitHub shows no rendering at all for a formula with a
   * refused macro or over the brace limit; the SVG is MathJax's.
   */
  async renderSvg(tex: string, display: boolean): Promise<{ svg: string; problems: TexProblem[] }> {
    const key = cacheKey(tex, display);
    const hit = this.#svgs.get(key);
    if (hit !== undefined) {
      this.#hits++;
      return { svg: hit.svg, problems: copy(hit.problems) };
    }
    this.#misses++;
    const mj = await getEngine();
    let entry: { svg: string; problems: TexProblem[] };
    try {
      const result = mj.convert(tex, display);
      const problems = combine(tex, mathjaxProblems(tex, result.root, result.error));
      entry = { svg: result.svg(), problems };
    } catch (err) {
      entry = { svg: '', problems: combine(tex, failure(tex, err)) };
    }
    this.#svgs.set(key, entry);
    if (this.#problems.get(key) === undefined) this.#problems.set(key, entry.problems);
    return { svg: entry.svg, problems: copy(entry.problems) };
  }

  /** The problems of a formula if this validator has judged it and still holds the verdict (never loads MathJax). */
  verdict(tex: string, display: boolean): TexProblem[] | undefined {
    const key = cacheKey(tex, display);
    const hit = this.#problems.get(key) ?? this.#svgs.get(key)?.problems;
    return hit === undefined ? undefined : copy(hit);
  }

  /** Store a verdict computed elsewhere (a MathJax worker). */
  prime(tex: string, display: boolean, problems: readonly TexProblem[]): void {
    this.#problems.set(cacheKey(tex, display), copy(problems));
  }

  /** Whether MathJax is loaded (in this process), and this validator's cache hits and misses. */
  stats(): { loaded: boolean; cacheHits: number; cacheMisses: number } {
    return { loaded: engine !== undefined, cacheHits: this.#hits, cacheMisses: this.#misses };
  }
}

const now = (): number => (typeof performance !== 'undefined' ? performance.now() : Date.now());

/**
 * Benchmark helper: with a fresh validator, times the first formula (including loading mathjax-full when it is not
 * loaded yet — call this first in a fresh process for a true cold start), every other distinct formula uncached, and
 * all formulas again from the cache. Times are in milliseconds.
 */
export async function mathjaxColdAndCachedCost(
  formulas: string[],
): Promise<{ coldFirstMs: number; perFormulaMs: number; cachedPerFormulaMs: number }> {
  if (formulas.length === 0) throw new RangeError('mathjaxColdAndCachedCost needs at least one formula');
  const validator = new GithubValidator();
  const t0 = now();
  await validator.validate(formulas[0], false);
  const coldFirstMs = now() - t0;
  const rest = [...new Set(formulas.slice(1))].filter((f) => f !== formulas[0]);
  const t1 = now();
  for (const f of rest) await validator.validate(f, false);
  const perFormulaMs = rest.length > 0 ? (now() - t1) / rest.length : coldFirstMs;
  const t2 = now();
  for (const f of formulas) await validator.validate(f, false);
  const cachedPerFormulaMs = (now() - t2) / formulas.length;
  return { coldFirstMs, perFormulaMs, cachedPerFormulaMs };
}
