// GitHub mode typesets with MathJax 3 configured like github.com (src/core/tex/mathjax.ts), off the extension
// host's thread. The renderer therefore writes a slot per formula (the TeX as text, and a key), and the
// page fills each slot with the SVG MathJax made for it once it arrives (and from its own cache afterwards).
// Block HTML does not depend on whether a formula is typeset yet, so the incremental block diff is unchanged.
import { escapeAttr, escapeHtml } from './escape';
import { contentKey } from './hash';
import type { TexProblem } from '../tex/types';

export interface FormulaRequest {
  key: string;
  tex: string;
  display: boolean;
}

/** Key of a formula: display flag + TeX (the same TeX inline and displayed typesets differently). */
export function formulaKey(tex: string, display: boolean): string {
  return `${display ? 'D' : 'I'}${contentKey(tex)}`;
}

/** The slot the page fills with the formula's SVG (until then it shows the TeX, as GitHub does while loading). */
export function formulaSlot(tex: string, display: boolean): string {
  const key = formulaKey(tex, display);
  return `<span class="mw-mj${display ? ' mw-mj-display' : ''}" data-mj="${escapeAttr(key)}" data-tex="${escapeAttr(tex)}"${display ? ' data-display="1"' : ''}>${escapeHtml(tex)}</span>`;
}

const SLOT = /<span class="mw-mj(?: mw-mj-display)?" data-mj="([^"]+)" data-tex="([^"]*)"( data-display="1")?>/g;

function unescapeAttr(s: string): string {
  return s.replace(/&(amp|lt|gt|quot|#39);/g, (_m, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[e] ?? '');
}

/** The formulas whose slots are in `html` (each key once). */
export function slotsIn(html: string, into: Map<string, FormulaRequest> = new Map()): Map<string, FormulaRequest> {
  for (const m of html.matchAll(SLOT)) {
    if (!into.has(m[1])) into.set(m[1], { key: m[1], tex: unescapeAttr(m[2]), display: m[3] !== undefined });
  }
  return into;
}

/** The HTML a slot is filled with: MathJax's SVG in GitHub's container element. */
export function typesetHtml(svg: string, display: boolean): string {
  return `<mjx-container class="MathJax" jax="SVG"${display ? ' display="true"' : ''}>${svg}</mjx-container>`;
}

/**
 * Typeset formulas the page asked for, by key (an object passed in, not module state). Bounded: the oldest tenth
 * goes when it is full. `have` says which keys are known; `take` returns what is known of a list.
 */
export class TypesetStore {
  readonly #entries = new Map<string, string>();
  constructor(readonly capacity = 20000) {}

  get size(): number {
    return this.#entries.size;
  }

  get(key: string): string | undefined {
    return this.#entries.get(key);
  }

  set(key: string, html: string): void {
    if (this.#entries.size >= this.capacity && !this.#entries.has(key)) {
      let n = Math.ceil(this.capacity / 10);
      for (const k of this.#entries.keys()) {
        this.#entries.delete(k);
        if (--n <= 0) break;
      }
    }
    this.#entries.set(key, html);
  }

  /** Known HTML for `wanted`, and the requests still to typeset. */
  split(wanted: Iterable<FormulaRequest>): { known: { key: string; html: string }[]; missing: FormulaRequest[] } {
    const known: { key: string; html: string }[] = [];
    const missing: FormulaRequest[] = [];
    for (const f of wanted) {
      const html = this.#entries.get(f.key);
      if (html !== undefined) known.push({ key: f.key, html });
      else missing.push(f);
    }
    return { known, missing };
  }
}

/**
 * The red text GitHub shows instead of a formula it refuses: "The following macros are not allowed: …" (every
 * refused macro it contains, once) or, over the brace limit, "Unable to render expression". Undefined
 * macros and TeX errors are rendered by MathJax itself (red macro names, an error box): its SVG already is what
 * GitHub shows, so they give undefined here.
 */
export function refusal(problems: readonly TexProblem[]): string | undefined {
  const github = problems.filter((x) => x.target === 'github');
  const names: string[] = [];
  for (const p of github) {
    if (p.kind !== 'refused-macro') continue;
    const name = /not allowed: ([^"]+)"/.exec(p.message)?.[1] ?? p.message;
    if (!names.includes(name)) names.push(name);
  }
  if (names.length > 0) return `The following macros are not allowed: ${names.join(', ')}`;
  if (github.some((x) => x.kind === 'brace-limit')) return 'Unable to render expression';
  return undefined;
}

/** The page's rendering of a refused formula: GitHub's red text in place of the formula. */
export function refusedHtml(text: string): string {
  return `<span class="mw-mj-refused">${escapeHtml(text)}</span>`;
}
