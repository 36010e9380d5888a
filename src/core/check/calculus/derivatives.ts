// Derivatives: \nabla, \nabla^2 (Hessians) and \partial of a function or expression with respect to the named
// variable (scalar or vector). Exact (calculus/exact.ts) when every node of the differentiated expression has a
// rule there — then no difference quotient is computed and nothing is added to the tolerance; otherwise by
// central differences with Richardson extrapolation and an error estimate that widens the comparison. Values of
// functions that do not depend on the sweep are cached per trial.
import type { Node, SymNode } from '../parser/ast';
import { CheckError } from '../errors';
import { Mat, demote, describe, type Value } from '../linalg/values';
import { Scope, StopError } from '../evaluation/scope';
import { callFunc, ev, num } from '../evaluation/evaluate';
import { exactDerivative, exactValueDerivative } from './exact';
import { sweepFree } from '../evaluation/sweepfree';

// ------------------------------------------------------------------ derivatives

interface DiffTarget {
  /** Evaluate f with the variables set to x. */
  f: (x: number[]) => number;
  x0: number[];
  /** Shape of the single vector/matrix argument (the gradient takes it). */
  shape?: { r: number; c: number; vec: boolean };
  /** Exact gradient or Hessian (calculus/exact.ts) at x0, given the value there; throws when a rule is missing. */
  exact: (order: 1 | 2, f0: number) => Float64Array;
}

function diffTarget(fNode: Node, at: Node[] | undefined, sc: Scope, wrt: string[] | undefined, n: Node): DiffTarget {
  const prog = sc.run.prog;
  if (fNode.k === 'sym') {
    const key = (fNode as SymNode).key;
    const def = prog.lets.get(key);
    if (def && def.kind === 'func') {
      const params = def.params;
      // arguments may be numbers or vectors/matrices: ∇ differentiates with respect to every entry of the named
      // parameters (all of them by default), never with respect to the data the function uses
      const v0: Value[] = at
        ? at.map((a) => ev(a, sc))
        : params.map((p) => {
            const v = sc.lookup(p);
            if (v === undefined) throw new CheckError(`to differentiate \`${key}\` at a point, define ${p} in \`given\` or write ${key}(…) with arguments`, n.s, n.e);
            return v;
          });
      if (v0.length !== params.length) throw new CheckError(`\`${key}\` takes ${params.length} argument${params.length === 1 ? '' : 's'}`, n.s, n.e);
      v0.forEach((v, i) => {
        if (typeof v !== 'number' && !(v instanceof Mat)) throw new CheckError(`∇ needs numbers, vectors or matrices as arguments; ${params[i]} is ${describe(v)}`, n.s, n.e);
      });
      const idx = wrt ? wrt.map((w) => params.indexOf(w)) : params.map((_, i) => i);
      if (idx.some((i) => i < 0)) throw new CheckError(`\`${key}\` has no parameter ${wrt?.find((w) => !params.includes(w))}`, n.s, n.e);
      const sizes = idx.map((i) => (typeof v0[i] === 'number' ? 1 : (v0[i] as Mat).d.length));
      const x0: number[] = [];
      for (const i of idx) {
        const v = v0[i];
        if (typeof v === 'number') x0.push(v);
        else x0.push(...(v as Mat).d);
      }
      const only = idx.length === 1 && v0[idx[0]] instanceof Mat ? (v0[idx[0]] as Mat) : undefined;
      return {
        x0,
        exact: (order, f0) => exactDerivative(key, v0, idx, x0.length, order, f0, sc),
        shape: only ? { r: only.r, c: only.c, vec: only.vec } : undefined,
        f: (x) => {
          const args = v0.slice();
          let o = 0;
          idx.forEach((i, k) => {
            const proto = v0[i];
            if (typeof proto === 'number') args[i] = x[o];
            else {
              const m = proto as Mat;
              args[i] = new Mat(m.r, m.c, Float64Array.from(x.slice(o, o + sizes[k])), m.vec);
            }
            o += sizes[k];
          });
          const out = callFunc(key, args, sc, n);
          if (typeof out !== 'number') {
            const name = prog.src(fNode.s, fNode.e) || key;
            throw new CheckError(`∇ of \`${name}\` needs a scalar function, but it gives ${describe(out)}: take ∇ of a number built from it, such as a loss \\frac{1}{2}\\|…\\|^2 or one entry`, n.s, n.e);
          }
          return out;
        },
      };
    }
    if (def && def.kind === 'value') {
      const vars = wrt ?? prog.letVars.get(key) ?? [];
      if (vars.length === 0) throw new CheckError(`\`${key}\` does not depend on any scalar in \`given\``, n.s, n.e);
      // the let's definition is differentiated (its name is not resolved inside \nabla)
      return valueTarget(def.expr, vars, sc, n, prog.src(fNode.s, fNode.e));
    }
  }
  if (!wrt) throw new CheckError('\\nabla needs a function from `let`', n.s, n.e);
  return valueTarget(fNode, wrt, sc, n);
}

/** `shown`: the differentiated thing as the writeup names it in messages (the let's name; else the expression). */
function valueTarget(fNode: Node, vars: string[], sc: Scope, n: Node, shown = sc.run.prog.src(fNode.s, fNode.e)): DiffTarget {
  const x0 = vars.map((v) => {
    const val = sc.lookup(v);
    if (val === undefined) throw new CheckError(`\`${v}\` has no value to differentiate at`, n.s, n.e);
    if (typeof val !== 'number') {
      const f = shown;
      throw new CheckError(`\\nabla ${f} of a \`let\` without parameters differentiates with respect to the numbers of \`given\` it uses, but \`${v}\` is ${describe(val)}: define ${f} as a function of it, e.g. ${f}(v) = …, and write \\nabla ${f}(${v})`, n.s, n.e);
    }
    return val;
  });
  return {
    x0,
    exact: (order, f0) => exactValueDerivative(fNode, vars, x0, order, f0, sc),
    f: (x) => {
      const c = sc.child();
      vars.forEach((v, i) => c.vals.set(v, x[i]));
      return num(ev(fNode, c), n, 'a scalar function');
    },
  };
}

function central(t: DiffTarget, i: number, h: number): number {
  const xp = t.x0.slice();
  const xm = t.x0.slice();
  xp[i] += h;
  xm[i] -= h;
  return (t.f(xp) - t.f(xm)) / (2 * h);
}

/** First derivative by central differences with one Richardson step; returns value and error estimate. */
export function derivative(t: DiffTarget, i: number): [number, number] {
  const h = 1e-3 * Math.max(1, Math.abs(t.x0[i]));
  const d1 = central(t, i, h);
  const d2 = central(t, i, h / 2);
  const d = (4 * d2 - d1) / 3;
  const f0 = Math.abs(t.f(t.x0));
  const err = Math.abs(d2 - d1) / 3 + 1e-13 * Math.max(1, f0) / h;
  return [d, err];
}

function second(t: DiffTarget, i: number, j: number, h: number): number {
  const f = (di: number, dj: number) => {
    const x = t.x0.slice();
    x[i] += di;
    x[j] += dj;
    return t.f(x);
  };
  if (i === j) return (f(h, 0) - 2 * t.f(t.x0) + f(-h, 0)) / (h * h);
  return (f(h, h) - f(h, -h) - f(-h, h) + f(-h, -h)) / (4 * h * h);
}

function hessianEntry(t: DiffTarget, i: number, j: number): [number, number] {
  const h = 1e-2 * Math.max(1, Math.abs(t.x0[i]), Math.abs(t.x0[j]));
  const d1 = second(t, i, j, h);
  const d2 = second(t, i, j, h / 2);
  const d = (4 * d2 - d1) / 3;
  const f0 = Math.abs(t.f(t.x0));
  return [d, Math.abs(d2 - d1) / 3 + 1e-12 * Math.max(1, f0) / (h * h)];
}

/** Gradients and Hessians of functions that do not depend on the swept value, per trial scope and argument. */
const derivativeCache = new WeakMap<Scope, Map<Node, Map<string, { v: Value; slack: number }>>>();

export function evalGrad(n: Node & { k: 'grad' }, sc: Scope): Value {
  // ∇f(x) of a let-function that does not depend on the sweep is the same at every sweep point: cache it per trial
  const prog = sc.run.prog;
  const fKey = n.f.k === 'sym' ? (n.f as SymNode).key : '';
  const def = fKey ? prog.lets.get(fKey) : undefined;
  if (n.at && def && def.kind === 'func' && prog.sweep && sweepFree(fKey, prog)) {
    let root = sc;
    while (root.parent) root = root.parent;
    const args = n.at.map((a) => ev(a, sc));
    if (args.every((a) => typeof a === 'number' || a instanceof Mat)) {
      const sig = args.map((a) => (typeof a === 'number' ? String(a) : Array.from((a as Mat).d).join(','))).join(';');
      let perNode = derivativeCache.get(root);
      if (!perNode) derivativeCache.set(root, (perNode = new Map()));
      let m = perNode.get(n);
      if (!m) perNode.set(n, (m = new Map()));
      const hit = m.get(sig);
      if (hit) {
        sc.slack += hit.slack;
        return hit.v;
      }
      const before = sc.slack;
      const v = evalGradRaw(n, sc);
      if (m.size < 10000) m.set(sig, { v, slack: sc.slack - before });
      return v;
    }
  }
  return evalGradRaw(n, sc);
}

/**
 * The exact gradient (order 1) or Hessian (order 2) when every node of the expression has an exact rule; undefined
 * otherwise (then the difference quotient is used). The function is evaluated once at the point first, so an
 * expression the evaluator rejects reports its own error; the exact rules must reproduce that value. There is no
 * numeric guard at run time: test/unit/check-exact-derivatives.test.ts compares the rules with high-accuracy
 * difference quotients on random expressions.
 */
function exactOrUndefined(t: DiffTarget, order: 1 | 2, sc: Scope): Float64Array | undefined {
  if (sc.run.numericDerivatives) return undefined;
  const f0 = t.f(t.x0);
  try {
    return t.exact(order, f0);
  } catch (e) {
    // the time limit stops the check; any other failure of the exact path leaves the difference quotient
    if (e instanceof StopError) throw e;
    return undefined;
  }
}

function noteNumeric(sc: Scope, err: number): void {
  const worst = Math.max(Number(sc.run.notes.derivativeErrorEstimate ?? 0), err);
  sc.run.notes.derivativeErrorEstimate = worst;
  sc.run.notes.derivatives = `numeric ± ${worst.toPrecision(2)}`;
}

function noteExact(sc: Scope): void {
  if (sc.run.notes.derivativeErrorEstimate === undefined) sc.run.notes.derivatives = 'exact';
}

function evalGradRaw(n: Node & { k: 'grad' }, sc: Scope): Value {
  const t = diffTarget(n.f, n.at, sc, undefined, n);
  const k = t.x0.length;
  let errMax = 0;
  const exact = exactOrUndefined(t, n.order, sc);
  if (exact) noteExact(sc);
  if (n.order === 1) {
    let g = exact;
    if (!g) {
      g = new Float64Array(k);
      for (let i = 0; i < k; i++) {
        const [d, e] = derivative(t, i);
        g[i] = d;
        errMax = Math.max(errMax, e);
      }
      sc.slack += errMax * Math.sqrt(k);
      noteNumeric(sc, errMax);
    }
    if (t.shape) return new Mat(t.shape.r, t.shape.c, g, t.shape.vec);
    return k === 1 ? g[0] : new Mat(k, 1, g, true);
  }
  const H = Mat.zeros(k, k);
  if (exact) H.d.set(exact);
  else {
    for (let i = 0; i < k; i++) {
      for (let j = i; j < k; j++) {
        const [d, e] = hessianEntry(t, i, j);
        H.d[i * k + j] = d;
        H.d[j * k + i] = d;
        errMax = Math.max(errMax, e);
      }
    }
    sc.slack += errMax * k;
    noteNumeric(sc, errMax);
  }
  return demote(H);
}

export function evalPartial(n: Node & { k: 'partial' }, sc: Scope): Value {
  const wrt = n.wrt.map((w) => w.key);
  const unique = [...new Set(wrt)];
  const t = diffTarget(n.f, undefined, sc, unique, n);
  if (n.order > 2) throw new CheckError('only first and second partial derivatives are supported', n.s, n.e);
  // exact when the variables are numbers (a vector parameter is differentiated by its first entry, numerically)
  const exact = t.x0.length === unique.length ? exactOrUndefined(t, n.order === 1 ? 1 : 2, sc) : undefined;
  if (exact) {
    noteExact(sc);
    return n.order === 1 ? exact[0] : exact[unique.indexOf(wrt[0]) * unique.length + unique.indexOf(wrt[1])];
  }
  let d: number;
  let err: number;
  if (n.order === 1) [d, err] = derivative(t, 0);
  else if (n.order === 2) {
    const i = unique.indexOf(wrt[0]);
    const j = unique.indexOf(wrt[1]);
    [d, err] = hessianEntry(t, i, j);
  } else throw new CheckError('only first and second partial derivatives are supported', n.s, n.e);
  sc.slack += err;
  noteNumeric(sc, err);
  return d;
}
