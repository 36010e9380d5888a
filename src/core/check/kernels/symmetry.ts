// Symmetry of an index definition: whether swapping i and j provably gives the same value bit for bit.
import type { Node } from '../parser/ast';
import { Mat, type Value } from '../linalg/values';
import type { FastEnv } from './entry';

// Symmetry: when swapping i and j provably gives the same value bit for bit, only the entries with j ≥ i are
// computed and mirrored. The proof is syntactic: a canonical form of the expression in which the operands of
// + and · and the arguments of \min/\max are sorted (IEEE addition, multiplication, min and max are commutative,
// exactly) and M[p, q] of a matrix M that is exactly symmetric has its two indices sorted; the expression is
// symmetric when its canonical form does not change when i and j are exchanged.

function numKey(v: number): string {
  return Object.is(v, -0) ? '-0' : String(v);
}

/** Exact symmetry of a square matrix: equal entries, with −0 ≠ +0 and NaN = NaN. */
export function exactlySymmetric(m: Mat): boolean {
  if (m.vec || m.r !== m.c) return false;
  return exactlySymmetricData(m.d, m.r);
}

/** The test of exactlySymmetric on n×n row-major data, in 32×32 tiles (cache-friendly). */
export function exactlySymmetricData(d: Float64Array, n: number): boolean {
  const T = 32;
  for (let bi = 0; bi < n; bi += T) {
    const ei = Math.min(n, bi + T);
    for (let bj = bi; bj < n; bj += T) {
      const ej = Math.min(n, bj + T);
      for (let i = bi; i < ei; i++) {
        const ri = i * n;
        for (let j = Math.max(bj, i + 1); j < ej; j++) {
          const x = d[ri + j];
          const y = d[j * n + i];
          if (x === y ? x === 0 && 1 / x !== 1 / y : !(x !== x && y !== y)) return false;
        }
      }
    }
  }
  return true;
}

interface CanonCtx {
  env: FastEnv;
  ids: Map<Mat, number>;
  sym: Map<Mat, boolean>;
}

function canonEntry(base: Value, idx: Node[], cc: CanonCtx, swap: boolean): string | undefined {
  if (!(base instanceof Mat)) return undefined;
  const parts: string[] = [];
  for (const x of idx) {
    const s = canonOf(x, cc, swap);
    if (s === undefined) return undefined;
    parts.push(s);
  }
  let id = cc.ids.get(base);
  if (id === undefined) {
    id = cc.ids.size;
    cc.ids.set(base, id);
  }
  if (parts.length === 2) {
    let sym = cc.sym.get(base);
    if (sym === undefined) {
      sym = exactlySymmetric(base);
      cc.sym.set(base, sym);
    }
    if (sym) parts.sort();
  }
  return `M${id}[${parts.join(',')}]`;
}

function canonOf(n: Node, cc: CanonCtx, swap: boolean): string | undefined {
  const env = cc.env;
  const list = (ns: Node[]): string[] | undefined => {
    const out: string[] = [];
    for (const x of ns) {
      const s = canonOf(x, cc, swap);
      if (s === undefined) return undefined;
      out.push(s);
    }
    return out;
  };
  switch (n.k) {
    case 'num':
      return numKey(n.v);
    case 'const':
      return n.name;
    case 'sym': {
      const slot = env.slotOf(n);
      if (slot !== undefined) return (slot === 1) !== swap ? 'J' : 'I';
      const v = env.constSym(n);
      if (typeof v === 'number') return numKey(v);
      if (typeof v === 'boolean') return v ? '1' : '0';
      if (v !== undefined) return undefined;
      const ind = env.indexedSym(n);
      return ind && canonEntry(ind.base, ind.idx, cc, swap);
    }
    case 'index': {
      const base = n.base.k === 'sym' && env.slotOf(n.base) === undefined ? env.constSym(n.base) : undefined;
      return base === undefined ? undefined : canonEntry(base, n.idx, cc, swap);
    }
    case 'bin': {
      const ab = list([n.a, n.b]);
      if (!ab) return undefined;
      const op = n.op === 'dot' ? '*' : n.op;
      if (op === '+' || op === '*') ab.sort();
      return `(${op} ${ab[0]} ${ab[1]})`;
    }
    case 'neg':
    case 'abs': {
      const a = canonOf(n.a, cc, swap);
      return a === undefined ? undefined : `(${n.k} ${a})`;
    }
    case 'fn': {
      if (n.base) return undefined;
      const args = list(n.args);
      if (!args) return undefined;
      if (n.name === 'min' || n.name === 'max') args.sort();
      return `(${n.name} ${args.join(' ')})`;
    }
    default:
      return undefined;
  }
}

/** True when the expression provably has the same value (bit for bit) at (i, j) and at (j, i). */
export function swapInvariant(n: Node, env: FastEnv): boolean {
  const cc: CanonCtx = { env, ids: new Map(), sym: new Map() };
  const a = canonOf(n, cc, false);
  return a !== undefined && a === canonOf(n, cc, true);
}

/**
 * Fill the rows×cols matrix of entries expr(i, j), i = a…, j = b…, row by row through row kernels (mirroring the
 * upper triangle when the expression is swap-invariant and the two ranges agree); `poll` is called once per row.
 * Returns undefined when the expression is outside the compiled subset; throws FastPathBail when the interpreter
 * must take over, or whatever `poll` throws.
 */
