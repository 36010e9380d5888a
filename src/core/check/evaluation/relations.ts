// Relations of claims: =, ≈ (with the tolerance and the slack of estimates), <, ≤, ∈, ≠ — with the numbers of both
// sides in the explanation, and `error` (never pass/fail) when a side overflowed or is NaN.
import type { Node } from '../parser/ast';
import { pretty } from '../parser/pretty';
import { CheckError, ShapeError, UndecidedError, UndefinedError } from '../errors';
import { Eye, FiniteSet, IntervalSet, Mat, describe, eyeOf, frobenius, type Value } from '../linalg/values';
import { type Program, Scope } from './scope';
import { fmt, fmtCount, fmtSet, fmtValue, short } from './format';
import { at, ev, num } from './evaluate';
import { compareAdvice, orderAdvice, sideText } from '../hints';

/** True when `=` can compare a and b (same shape; `0` and `I` take the other side's shape). */
function comparable(a: Value, b: Value): boolean {
  if (a instanceof Mat && b instanceof Mat) return a.r === b.r && a.c === b.c;
  if (a instanceof Mat) return b === 0 || (b instanceof Eye && a.r === a.c);
  if (b instanceof Mat) return a === 0 || (a instanceof Eye && b.r === b.c);
  return typeof a === typeof b || (a instanceof Eye && b instanceof Eye);
}

/** The located error for `=`/`≈` between values of different shapes: both sides named, and what to write instead. */
function shapeMismatch(n: Node, an: Node, a: Value, bn: Node, b: Value, sc: Scope): CheckError {
  const prog = sc.run.prog;
  const arg = (x: Node): Value | undefined => (x.k === 'grad' && x.at?.length === 1 ? ev(x.at[0], sc) : undefined);
  return new CheckError(
    `cannot compare ${describe(a)} with ${describe(b)}: ${sideText(an, a, prog.src, arg(an))} and ${sideText(bn, b, prog.src, arg(bn))}; ${compareAdvice(a, b)}`,
    n.s,
    n.e,
  );
}

/** Relative round-off allowed by `≤` and `≥` (the same 10⁻¹² as the snapping of ceil and floor). */
const ROUND_OFF = 1e-12;

function closeEnough(a: Value, b: Value, tol: number, slack: number): { ok: boolean; diff: number } {
  if (a instanceof Eye && b instanceof Mat) a = eyeOf(a, b.r);
  if (b instanceof Eye && a instanceof Mat) b = eyeOf(b, a.r);
  // `= 0` against a vector or matrix compares with the zero of that shape
  if (a === 0 && b instanceof Mat) a = Mat.zeros(b.r, b.c, b.vec);
  if (b === 0 && a instanceof Mat) b = Mat.zeros(a.r, a.c, a.vec);
  if (typeof a === 'number' && typeof b === 'number') {
    if (!Number.isFinite(a) || !Number.isFinite(b)) return { ok: a === b, diff: Math.abs(a - b) };
    const diff = Math.abs(a - b);
    return { ok: diff <= tol * Math.max(1, Math.abs(a), Math.abs(b)) + slack, diff };
  }
  if (a instanceof Mat && b instanceof Mat) {
    if (a.r !== b.r || a.c !== b.c) throw new ShapeError(`cannot compare ${describe(a)} with ${describe(b)}`);
    let s = 0;
    for (let i = 0; i < a.d.length; i++) s += (a.d[i] - b.d[i]) ** 2;
    const diff = Math.sqrt(s);
    if (!Number.isFinite(diff)) return { ok: false, diff };
    return { ok: diff <= tol * Math.max(1, frobenius(a), frobenius(b)) + slack, diff };
  }
  if (typeof a === 'boolean' && typeof b === 'boolean') return { ok: a === b, diff: a === b ? 0 : 1 };
  throw new ShapeError(`cannot compare ${describe(a)} with ${describe(b)}`);
}

export interface RelDetail {
  ok: boolean;
  text: string;
}

/** Evaluate a relation chain; `detail` receives a readable account with the numbers. */
export function evalRel(n: Node & { k: 'rel' }, sc: Scope, detail?: string[]): boolean {
  const prog = sc.run.prog;
  sc.slack = 0;
  const vals = n.items.map((x) => ev(x, sc));
  n.items.forEach((x, i) => refuseNonFinite(vals[i], x, prog));
  const slack = sc.slack;
  let all = true;
  for (let i = 0; i < n.ops.length; i++) {
    const op = n.ops[i];
    const a = vals[i];
    const b = vals[i + 1];
    const an = n.items[i];
    const bn = n.items[i + 1];
    let ok: boolean;
    let extra = '';
    const tolEq = prog.toleranceGiven ? prog.tolerance : 1e-9;
    switch (op) {
      case '=':
      case '~=':
      case '!=': {
        if (b instanceof IntervalSet || a instanceof IntervalSet || b instanceof FiniteSet || a instanceof FiniteSet) {
          const set = (a instanceof IntervalSet || a instanceof FiniteSet ? a : b) as IntervalSet | FiniteSet;
          const other = set === a ? b : a;
          const tol = op === '=' ? tolEq : prog.tolerance;
          const claimed = num(other, set === a ? bn : an);
          ok = inSet(claimed, set, tol);
          if (op === '!=') ok = !ok;
          extra = ` (${fmtSet(set)})`;
          if (set instanceof IntervalSet && set.objective) {
            // the objective at the claimed point against its best value
            const q = set.objective.at(claimed);
            const v = pretty(set.variable);
            extra += `; ${short(set.objective.label)} = ${Number.isFinite(q) ? fmt(q) : q === Infinity ? `more than ${fmtCount(prog.steps)} (not reached)` : 'undefined'} at the claimed ${v} = ${fmt(claimed)}, ${fmt(set.extreme)} at the best`;
          }
          break;
        }
        if (!comparable(a, b)) throw shapeMismatch(n, an, a, bn, b, sc);
        const bothInt = typeof a === 'number' && typeof b === 'number' && Number.isInteger(a) && Number.isInteger(b);
        const tol = op === '~=' ? prog.tolerance : bothInt && !prog.toleranceGiven ? 0 : tolEq;
        let diff = 0;
        const r = at(n, () => {
          const c = closeEnough(a, b, tol, slack);
          diff = c.diff;
          return c.ok;
        }) as boolean;
        ok = op === '!=' ? !r : r;
        for (const [x, y] of [[an, b], [bn, a]] as const) if (typeof y === 'number' && isStepArg(x, prog)) extra += argStepText(x, y, sc);
        if (a instanceof Mat || b instanceof Mat) extra = ` (‖difference‖ = ${fmt(diff)}, tolerance ${fmt(tol)} relative)`;
        if (slack > 0) extra += ` (tolerance widened by ${fmt(slack)})`;
        break;
      }
      case '<':
      case '<=':
      case '>':
      case '>=': {
        for (const [v, x] of [[a, an], [b, bn]] as const) {
          if (v instanceof Mat && !(v.r === 1 && v.c === 1)) throw new CheckError(orderAdvice(opText(op, true), prog.src(x.s, x.e), v), x.s, x.e);
        }
        const x = num(a, an, 'a number to compare');
        const y = num(b, bn, 'a number to compare');
        // `≤`/`≥` allow round-off (ROUND_OFF relative), so a tight inequality that holds with equality, such as
        // ‖I + sΣ‖₂ ≤ 1 + ‖sΣ‖₂ for Σ ⪰ 0 or λ_min(Σ) ≥ 0 for a singular Σ, is not refuted by the last bit;
        // `<`/`>` stay strict.
        const eps = ROUND_OFF * Math.max(1, Math.abs(x), Math.abs(y));
        ok = op === '<' ? x < y : op === '<=' ? x <= y + eps : op === '>' ? x > y : x >= y - eps;
        break;
      }
      case 'in': {
        if (!(b instanceof IntervalSet || b instanceof FiniteSet)) throw new CheckError(`\\in needs a set on the right, got ${describe(b)}`, bn.s, bn.e);
        ok = inSet(num(a, an), b, prog.toleranceGiven ? prog.tolerance : 1e-9);
        break;
      }
    }
    if (detail) detail.push(`${short(prog.src(an.s, an.e))} = ${fmtValue(a)} ${opText(op, ok)} ${fmtValue(b)}${isLiteral(bn) ? '' : ` = ${short(prog.src(bn.s, bn.e))}`}${extra}`);
    if (!ok) all = false;
  }
  return all;
}

/** A side of a relation that overflowed or is NaN cannot be compared: error with the reason (a written `\\infty` is fine). */
function refuseNonFinite(v: Value, n: Node, prog: Program): void {
  const bad = typeof v === 'number' ? !Number.isFinite(v) : v instanceof Mat ? !v.d.every(Number.isFinite) : false;
  if (!bad) return;
  if (n.k === 'const' && n.name === 'infty') return;
  if (n.k === 'neg' && n.a.k === 'const' && n.a.name === 'infty') return;
  const what = typeof v === 'number' ? (Number.isNaN(v) ? 'is NaN' : `is ${v > 0 ? '+' : '−'}∞ (overflow beyond 1.8e308)`) : 'has entries that are NaN or ±∞';
  throw new UndecidedError(`cannot compare: \`${short(prog.src(n.s, n.e))}\` ${what}; the claim is not decided (rescale it, e.g. compare logarithms)`, n.s, n.e);
}

function isStepArg(n: Node, prog: Program): n is Node & { k: 'agg' } {
  return n.k === 'agg' && (n.op === 'argmin' || n.op === 'argmax') && prog.stepAggs.has(n);
}

/** For `\arg\min_t Q = k`: Q at the step found and at the claimed step. */
function argStepText(n: Node & { k: 'agg' }, claimed: number, sc: Scope): string {
  const prog = sc.run.prog;
  const at = sc.run.steps.overSteps(n, sc).at;
  const q = (k: number): string => {
    const local = sc.child();
    local.locals.set(n.v.key, k);
    try {
      return fmt(num(ev(n.body, local), n.body));
    } catch (e) {
      if (e instanceof CheckError || e instanceof UndefinedError) return 'undefined';
      throw e;
    }
  };
  const v = pretty(n.v.key);
  const label = short(prog.src(n.body.s, n.body.e));
  const found = `; ${label} = ${q(at)} at ${v} = ${at} (the first step of the ${n.op.slice(3)})`;
  if (claimed === at) return found;
  return `${found}, ${Number.isInteger(claimed) && claimed >= 0 && claimed <= 10_000_000 ? `${q(claimed)} at the claimed ${v} = ${claimed}` : `the claimed ${v} = ${fmt(claimed)} is not a step`}`;
}

function isLiteral(n: Node): boolean {
  return n.k === 'num' || (n.k === 'neg' && n.a.k === 'num');
}

function opText(op: string, ok: boolean): string {
  const t: Record<string, [string, string]> = {
    '=': ['=', '≠'], '~=': ['≈', '≉'], '!=': ['≠', '='], '<': ['<', '≥'], '<=': ['≤', '>'], '>': ['>', '≤'], '>=': ['≥', '<'], in: ['∈', '∉'],
  };
  return t[op][ok ? 0 : 1];
}

function inSet(x: number, s: IntervalSet | FiniteSet, tol: number): boolean {
  if (s instanceof FiniteSet) return s.items.some((y) => Math.abs(x - y) <= tol * Math.max(1, Math.abs(y)));
  return s.intervals.some(([a, b]) => x >= a - tol * Math.abs(a) && x <= b + tol * Math.abs(b));
}
