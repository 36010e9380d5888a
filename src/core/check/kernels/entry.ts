// Compiled entries for index definitions and the scalar step: an entry expression (`H_{ij} = …`, one update) is
// compiled once into JavaScript closures over the syntax tree (no code generation).
// Only scalar expressions built from numbers, the two indices, constants/definitions that do not depend on the
// indices, entries of such matrices/vectors, arithmetic and functions of one number are compiled; anything else
// returns undefined and the caller uses the interpreter. The closures reproduce the interpreter's arithmetic
// exactly (same operations in the same order, same scalar function implementation), so results are bit-identical.
// Any problem while filling (an index out of range, log of a negative number, …) throws FastPathBail and the
// caller re-runs the interpreter, which reports the error with its usual message and place.
import type { Node } from '../parser/ast';
import { scalarFunction } from '../functions';
import { Mat, type Value } from '../linalg/values';

/** Entry closure: reads the current index values from `ix` (ix[0] = i, ix[1] = j). */
export type EntryFn = (ix: Float64Array) => number;

/** Thrown by compiled closures when the interpreter must take over (it reproduces the precise error). */
export class FastPathBail extends Error {}

export interface FastEnv {
  /** Slot (0 or 1) when the symbol is one of the two indices, else undefined. */
  slotOf(n: Node): number | undefined;
  /** Value of a symbol that does not depend on the indices, or undefined when it is not such a symbol. */
  constSym(n: Node): Value | undefined;
  /** Index closures for a symbol written with index subscripts (`x_i`), or undefined. */
  indexedSym(n: Node): { base: Value; idx: Node[] } | undefined;
  /** True when the node is cached as static by the iterate machinery (then the interpreter must handle it). */
  isStatic(n: Node): boolean;
  /**
   * Optional: a closure for a node that the caller compiles itself (an iterated variable, the step counter, a
   * definition that changes with the step, a product written by juxtaposition); false when the node cannot be
   * compiled, undefined for the default.
   */
  nodeFn?(n: Node): EntryFn | false | undefined;
}

// Functions whose argument is handled specially by the interpreter before the scalar path (or not scalar).
export const NOT_SCALAR = new Set(['tr', 'det', 'diag', 'rank', 'cond', 'mean', 'var', 'sumall', 'gcd', 'clip', 'min', 'max']);

export function bail(): never {
  throw new FastPathBail('fast path bailed out');
}

export function toIdx(x: number, size: number): number {
  if (!Number.isInteger(x) || x < 1 || x > size) bail();
  return x - 1;
}

function entryOf(base: Value, idx: EntryFn[]): EntryFn | undefined {
  if (!(base instanceof Mat)) return undefined;
  const d = base.d;
  if (base.vec) {
    if (idx.length !== 1) return undefined;
    const f = idx[0];
    const r = base.r;
    return (ix) => d[toIdx(f(ix), r)];
  }
  if (idx.length !== 2) return undefined;
  const [fi, fj] = idx;
  const r = base.r;
  const c = base.c;
  return (ix) => {
    const i = toIdx(fi(ix), r);
    const j = toIdx(fj(ix), c);
    return d[i * c + j];
  };
}

/** Closures known to return a constant, with that constant (for folding `2\pi` and the like). */
const constants = new WeakMap<EntryFn, number>();

/** The value of a closure folded to a constant, else undefined. */
export function constantOf(f: EntryFn): number | undefined {
  return constants.get(f);
}

function constant(v: number): EntryFn {
  const f: EntryFn = () => v;
  constants.set(f, v);
  return f;
}

/**
 * Compile a scalar expression of the indices; undefined when the expression is outside the compiled subset.
 * Sub-expressions without the indices and without error cases (+, −, ·, negation) are folded to constants.
 */
export function compileEntry(n: Node, env: FastEnv): EntryFn | undefined {
  const own = env.nodeFn?.(n);
  if (own === false) return undefined;
  if (own) return own;
  switch (n.k) {
    case 'num':
      return constant(n.v);
    case 'const':
      if (n.name === 'I') return undefined;
      return constant(n.name === 'pi' ? Math.PI : n.name === 'e' ? Math.E : Infinity);
    case 'sym': {
      const slot = env.slotOf(n);
      if (slot !== undefined) return (ix) => ix[slot];
      const v = env.constSym(n);
      if (typeof v === 'number') return constant(v);
      if (typeof v === 'boolean') return constant(v ? 1 : 0);
      if (v !== undefined) return undefined;
      const ind = env.indexedSym(n);
      if (!ind) return undefined;
      const idx: EntryFn[] = [];
      for (const x of ind.idx) {
        const f = compileEntry(x, env);
        if (!f) return undefined;
        idx.push(f);
      }
      return entryOf(ind.base, idx);
    }
    case 'index': {
      const base = n.base.k === 'sym' && env.slotOf(n.base) === undefined ? env.constSym(n.base) : undefined;
      if (base === undefined) return undefined;
      const idx: EntryFn[] = [];
      for (const x of n.idx) {
        const f = compileEntry(x, env);
        if (!f) return undefined;
        idx.push(f);
      }
      return entryOf(base, idx);
    }
    case 'bin': {
      if (env.isStatic(n)) return undefined;
      const a = compileEntry(n.a, env);
      const b = a && compileEntry(n.b, env);
      if (!a || !b) return undefined;
      const ca = constants.get(a);
      const cb = constants.get(b);
      if (ca !== undefined && cb !== undefined) {
        if (n.op === '+') return constant(ca + cb);
        if (n.op === '-') return constant(ca - cb);
        if (n.op === '*' || n.op === 'dot') return constant(ca * cb);
      }
      switch (n.op) {
        case '+':
          return (ix) => a(ix) + b(ix);
        case '-':
          return (ix) => a(ix) - b(ix);
        case '*':
        case 'dot':
          return (ix) => a(ix) * b(ix);
        case '/':
          return (ix) => {
            const x = a(ix);
            const y = b(ix);
            if (y === 0) bail();
            return x / y;
          };
        case 'pow':
          return (ix) => {
            const x = a(ix);
            const y = b(ix);
            if ((x < 0 && !Number.isInteger(y)) || (x === 0 && y < 0)) bail();
            return Math.pow(x, y);
          };
      }
      return undefined;
    }
    case 'neg': {
      const a = compileEntry(n.a, env);
      if (!a) return undefined;
      const ca = constants.get(a);
      return ca !== undefined ? constant(-ca) : (ix) => -a(ix);
    }
    case 'abs': {
      const a = compileEntry(n.a, env);
      return a && ((ix) => Math.abs(a(ix)));
    }
    case 'fn': {
      if (n.name === 'min' || n.name === 'max') {
        const args: EntryFn[] = [];
        for (const x of n.args) {
          const f = compileEntry(x, env);
          if (!f) return undefined;
          args.push(f);
        }
        if (args.length === 0) return undefined;
        const isMin = n.name === 'min';
        if (args.length === 2) {
          const [p, q] = args;
          return isMin ? (ix) => Math.min(p(ix), q(ix)) : (ix) => Math.max(p(ix), q(ix));
        }
        return (ix) => {
          let r = isMin ? Infinity : -Infinity;
          for (const f of args) r = isMin ? Math.min(r, f(ix)) : Math.max(r, f(ix));
          return r;
        };
      }
      if (NOT_SCALAR.has(n.name) || n.base || n.args.length !== 1) return undefined;
      const a = compileEntry(n.args[0], env);
      if (!a) return undefined;
      const name = n.name;
      // the table's function; outside its domain the interpreter takes over (and reports where)
      const fn = scalarFunction(name);
      if (!fn) return undefined;
      const f = fn.f;
      const dom = fn.domain;
      if (!dom) return (ix) => f(a(ix));
      return (ix) => {
        const x = a(ix);
        if (dom.outside(x)) bail();
        return f(x);
      };
    }
    default:
      return undefined;
  }
}
