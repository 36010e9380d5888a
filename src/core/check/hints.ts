// Hints for error messages: what is wrong is said where the error is raised; these helpers add what to write
// instead — the nearest known name ("did you mean `\eta`?") and the shapes of the sides of a relation or an
// operator, with what each side is (∇ of a function is shaped like its argument).
import type { Node } from './parser/ast';
import { pretty } from './parser/pretty';
import { Mat, describe, type Value } from './linalg/values';
import { editDistance } from '../editDistance';

/** A name reduced to what is compared for typos: no backslashes, braces or spaces (`\sigma_{\max}` → `sigma_max`). */
function plain(s: string): string {
  return s.replace(/[\\{}\s]/g, '');
}

/**
 * The candidate nearest to `word` when it is a plausible typo: equal up to case, or within one edit (two for names of
 * more than five letters). Undefined when nothing is close or two candidates are equally close.
 */
export function nearest(word: string, candidates: Iterable<string>): string | undefined {
  const w = plain(word);
  if (!w) return undefined;
  let best: string | undefined;
  let bestD = Infinity;
  let tie = false;
  for (const c of new Set(candidates)) {
    const p = plain(c);
    if (!p || c === word) continue;
    const d = p.toLowerCase() === w.toLowerCase() ? 0.5 : editDistance(w, p);
    if (d < bestD) {
      best = c;
      bestD = d;
      tie = false;
    } else if (d === bestD && c !== best) tie = true;
  }
  const limit = Math.max(w.length, 1) > 5 ? 2 : 1;
  return best !== undefined && bestD <= limit && !tie && bestD < w.length ? best : undefined;
}

/** "; did you mean `\eta`?" or ''. */
export function didYouMean(word: string, candidates: Iterable<string>): string {
  const c = nearest(word, candidates);
  return c ? `: did you mean \`${c}\`?` : '';
}

/** The words a claim knows after \text{…} (measures and logical words), written as LaTeX. */
export function knownWords(measures: Iterable<string>): string[] {
  return [...measures].map((w) => `\\text{${w}}`);
}

/** A formula for a message: the source when short (valid LaTeX as written), else its pretty one-line form, shortened. */
export function quote(src: string): string {
  const s = src.trim();
  return s.length <= 40 ? s : shorten(pretty(s));
}

/**
 * A one-line formula cut to at most 60 characters at a place where every bracket opened before it is closed, so a
 * shortened formula never leaves `_{` or `(` open: the cut part is replaced by `…`.
 */
export function shorten(t: string, max = 60): string {
  if (t.length <= max) return t;
  const pairs: Record<string, string> = { ')': '(', ']': '[', '}': '{', '‖': '‖', '⌉': '⌈', '⌋': '⌊' };
  const stack: string[] = [];
  let lastBalanced = 0;
  for (let i = 0; i < t.length && i < max - 1; i++) {
    const c = t[i];
    if (c === '‖') {
      if (stack[stack.length - 1] === '‖') stack.pop();
      else stack.push('‖');
    } else if (c === '(' || c === '[' || c === '{' || c === '⌈' || c === '⌊') stack.push(c);
    else if (c in pairs) {
      if (stack[stack.length - 1] === pairs[c]) stack.pop();
    }
    if (stack.length === 0 && c !== '_' && c !== '^') lastBalanced = i + 1;
  }
  return `${t.slice(0, lastBalanced).trimEnd()}…`;
}

/** Shape words for a value: "a 20-vector", "a scalar", "a 3×3 matrix". */
export function shapeOf(v: Value): string {
  return describe(v);
}

/**
 * What a side of a relation is, for a shape mismatch: "`\nabla \text{Loss}(w)` is a 20-vector (∇ differentiates with
 * respect to the variable it is applied to; `w` is a 20-vector, so ∇Loss(w) is a 20-vector)". `argValue` is the value
 * of the point a gradient is taken at, when the side is a gradient applied to one argument.
 */
export function sideText(n: Node, v: Value, src: (s: number, e: number) => string, argValue?: Value): string {
  let text = `\`${quote(src(n.s, n.e))}\` is ${describe(v)}`;
  if (n.k === 'grad' && n.at?.length === 1 && argValue !== undefined) {
    const arg = quote(src(n.at[0].s, n.at[0].e));
    const nabla = n.order === 2 ? '∇²' : '∇';
    const f = pretty(src(n.f.s, n.f.e)).replace(/\s+/g, '');
    text += ` (${nabla} differentiates with respect to the variable it is applied to; \`${arg}\` is ${describe(argValue)}, so ${nabla}${f}(${pretty(arg)}) is ${describe(v)})`;
  } else if (n.k === 'grad' && !n.at) text += ` (${n.order === 2 ? '∇²' : '∇'} of a function of several numbers has one entry per parameter)`;
  return text;
}

/** What to write instead when the two sides of `=`/`≈` differ in shape. */
export function compareAdvice(a: Value, b: Value): string {
  const mat = a instanceof Mat ? a : b instanceof Mat ? b : undefined;
  const other = mat === a ? b : a;
  if (mat && typeof other === 'number') {
    const s = describe(mat).replace(/^an? /, '');
    return `write ${describe(mat)} on the other side (\`0\` is the zero ${mat.vec ? 'vector' : 'matrix'}), or compare a norm \\|…\\| or one entry of the ${s}`;
  }
  if (a instanceof Mat && b instanceof Mat && a.vec && b.vec) return 'both sides must be vectors of the same size';
  return 'both sides must have the same shape (a transpose ^\\top or a product may be missing)';
}

/** For `<`, `≤`, … with a vector or matrix side: what to compare instead. */
export function orderAdvice(op: string, srcText: string, v: Value): string {
  const q = srcText.trim().length <= 40 ? srcText.trim() : undefined;
  const norm = q ? `\\|${q}\\|` : 'a norm \\|…\\|';
  const largest = q ? `\\max(${q})` : '\\max(…)';
  const what = v instanceof Mat && v.vec ? `an entry (…)_i or the largest entry ${largest}` : 'an eigenvalue \\lambda_{\\max}(…) or an entry';
  return `\`${op}\` compares numbers, but \`${quote(srcText)}\` is ${describe(v)}: compare ${norm}, ${what}`;
}

/** After "index 21 is outside 1…20 of a 20×3 matrix": how indices count. */
export function indexAdvice(what: string, size: number): string {
  return /matrix/.test(what)
    ? ` (A_i is row i and A_{ij} an entry, counting from 1: rows 1 to ${size})`
    : ` (v_i is entry i, counting from 1: entries 1 to ${size})`;
}

/** The operands of a failed + − × as "`A w_t` is a 3×3 matrix and `b` is a 3-vector", with a hint for a state started at 0. */
export function operandText(
  n: Node & { k: 'bin' },
  a: Value,
  b: Value,
  src: (s: number, e: number) => string,
  scalarStarts: { base: string; key: string }[],
): string {
  let text = `: \`${quote(src(n.a.s, n.a.e))}\` is ${describe(a)} and \`${quote(src(n.b.s, n.b.e))}\` is ${describe(b)}`;
  const whole = src(n.s, n.e);
  const hit = scalarStarts.find((x) => new RegExp(`(^|[^A-Za-z\\\\])${x.base.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&')}_`).test(whole));
  if (hit && (a instanceof Mat || b instanceof Mat)) {
    const size = a instanceof Mat ? a.r : b instanceof Mat ? b.r : 'n';
    text += ` (\`${hit.key} = 0\` is a number, so ${hit.base} is a number at every step; for a vector state write ${hit.base}_0 = \\mathbf{0}_{${size}})`;
  } else if (n.op === '*' || n.op === 'dot') text += '; the inner sizes must agree (a transpose ^\\top may be missing or extra)';
  else text += '; both terms must have the same shape';
  return text;
}
