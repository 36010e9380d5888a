// Row kernels for index definitions: the whole matrix is filled one row at a time (used by fastfamily.ts).
import type { Node } from '../parser/ast';
import { scalarFunction, type ScalarFunction } from '../functions';
import { Mat, type Value } from '../linalg/values';
import { NOT_SCALAR, bail, compileEntry, constantOf, toIdx, type EntryFn, type FastEnv } from './entry';
import { EMPTY, OP_ADD, OP_DIV, OP_MAX, OP_MIN, OP_MUL, OP_POW, OP_SUB, UNARY_OPS, binSV, binVS, binVV, fnRow, gather2, gatherInColumn, gatherInRow, gatherVec, minMaxVS, minMaxVV, unaryRow } from './rowloops';

// Row kernels: the whole matrix is filled one row at a time. A sub-expression that does not depend on the column
// index j is a scalar closure (compileEntry above) evaluated once per row; one that depends on j is a row node
// whose buffer, indexed by the column, is filled by `fillRow` (the same operations per entry as the closures, in
// tight loops). Nodes that depend on j only (`K[j, j]`, `j^2`) are computed once; `M[i, j]` is a view of row i of M.
// Every row node is a RowK of one fixed shape and every loop is in a top-level function of typed arrays and
// numbers: the optimised code does not depend on the closures or objects of one evaluation, so a second check (or
// a second run of the same check) reuses it instead of starting over.

/** A sub-expression that does not depend on j: a constant or a closure evaluated once per row. */
interface ScalarK {
  k: 's';
  f: EntryFn;
  /** The value when the closure is a constant. */
  c: number | undefined;
}

// what a row node computes (RowK.kind)
const R_FIXED = 0; // buf never changes (the column index itself, v[j], invariant nodes)
const R_SLICE = 1; // M[p, j]: a view of row p of M
const R_GATHER_V = 2; // v[q(j)]
const R_GATHER_SR = 3; // M[p, q(j)], p scalar
const R_GATHER_RS = 4; // M[p(j), q], q scalar
const R_GATHER_RR = 5; // M[p(j), q(j)]
const R_BIN_VV = 6; // row op row
const R_BIN_VS = 7; // row op scalar
const R_BIN_SV = 8; // scalar op row
const R_UNARY = 9; // −x or |x| entrywise
const R_FN = 10; // a scalar function of the table (functions.ts) applied entrywise
const R_MINMAX_VV = 11; // \min/\max of two rows
const R_MINMAX_VS = 12; // \min/\max of a row and a scalar
const R_MINMAX_N = 13; // \min/\max of more arguments


/** A sub-expression that depends on j: buf[jj] (jj = j − first column) after `fillRow` for jj ≥ j0. */
class RowK {
  readonly k = 'v' as const;
  constructor(
    readonly kind: number,
    readonly op: number,
    public buf: Float64Array,
    /** True when the values do not depend on the row (computed once, never filled again). */
    public inv: boolean,
    /** True for the column index j itself. */
    readonly isJ: boolean,
    readonly cols: number,
    /** Row inputs. */
    readonly a: RowK | undefined,
    readonly b: RowK | undefined,
    /** Scalar input (once per row). */
    readonly s: EntryFn | undefined,
    /** Matrix or vector data of entry nodes, with its size. */
    readonly d: Float64Array,
    readonly r: number,
    readonly c: number,
    /** All inputs of R_MINMAX_N, with scratch for their scalars. */
    readonly args: Kernel[] | undefined,
    readonly scal: Float64Array,
    /** The function of R_FN. */
    readonly fn: ScalarFunction | undefined,
  ) {}
}

type Kernel = ScalarK | RowK;

export interface RowCtx {
  env: FastEnv;
  /** First column index value and the number of columns. */
  b: number;
  cols: number;
  J: RowK;
}

interface RowSpec {
  kind: number;
  op?: number;
  a?: RowK;
  b?: RowK;
  s?: EntryFn;
  d?: Float64Array;
  r?: number;
  c?: number;
  args?: Kernel[];
  fn?: ScalarFunction;
}

function scalarK(n: Node, env: FastEnv): ScalarK | undefined {
  const f = compileEntry(n, env);
  return f && { k: 's', f, c: constantOf(f) };
}

function isInvariant(x: Kernel | undefined): boolean {
  return x === undefined || (x.k === 's' ? x.c !== undefined : x.inv);
}

/**
 * A row node over `inputs` (its row and scalar inputs); when every input is row-invariant it is evaluated once here
 * and never again. R_SLICE keeps an empty buffer until filled (it is a view).
 */
function rowNode(cols: number, spec: RowSpec, inputs: Kernel[]): RowK {
  const buf = spec.kind === R_SLICE ? EMPTY : new Float64Array(cols);
  const args = spec.args;
  const x = new RowK(
    spec.kind,
    spec.op ?? 0,
    buf,
    false,
    false,
    cols,
    spec.a,
    spec.b,
    spec.s,
    spec.d ?? EMPTY,
    spec.r ?? 0,
    spec.c ?? 0,
    args,
    new Float64Array(args ? args.length : 0),
    spec.fn,
  );
  if (inputs.every(isInvariant)) {
    fillRow(x, new Float64Array(2), 0);
    x.inv = true;
  }
  return x;
}

/** A row node whose buffer is given and never changes. */
export function fixedRow(buf: Float64Array, cols: number, isJ: boolean): RowK {
  return new RowK(R_FIXED, 0, buf, true, isJ, cols, undefined, undefined, undefined, EMPTY, 0, 0, undefined, EMPTY, undefined);
}

/** Fills x.buf for the row in ix (columns jj ≥ j0), after its inputs; nothing for row-invariant nodes. */
export function fillRow(x: RowK, ix: Float64Array, j0: number): void {
  if (x.inv) return;
  const cols = x.cols;
  switch (x.kind) {
    case R_SLICE: {
      const o = toIdx((x.s as EntryFn)(ix), x.r) * x.c + x.op;
      x.buf = x.d.subarray(o, o + cols);
      return;
    }
    case R_GATHER_V: {
      const p = x.a as RowK;
      fillRow(p, ix, j0);
      gatherVec(x.buf, x.d, x.r, p.buf, j0, cols);
      return;
    }
    case R_GATHER_SR: {
      const o = toIdx((x.s as EntryFn)(ix), x.r) * x.c;
      const q = x.a as RowK;
      fillRow(q, ix, j0);
      gatherInRow(x.buf, x.d, o, x.c, q.buf, j0, cols);
      return;
    }
    case R_GATHER_RS: {
      const p = x.a as RowK;
      fillRow(p, ix, j0);
      const col = toIdx((x.s as EntryFn)(ix), x.c);
      gatherInColumn(x.buf, x.d, x.r, x.c, col, p.buf, j0, cols);
      return;
    }
    case R_GATHER_RR: {
      const p = x.a as RowK;
      const q = x.b as RowK;
      fillRow(p, ix, j0);
      fillRow(q, ix, j0);
      gather2(x.buf, x.d, x.r, x.c, p.buf, q.buf, j0, cols);
      return;
    }
    case R_BIN_VV: {
      const p = x.a as RowK;
      const q = x.b as RowK;
      fillRow(p, ix, j0);
      fillRow(q, ix, j0);
      binVV(x.op, x.buf, p.buf, q.buf, j0, cols);
      return;
    }
    case R_BIN_VS: {
      const p = x.a as RowK;
      fillRow(p, ix, j0);
      binVS(x.op, x.buf, p.buf, (x.s as EntryFn)(ix), j0, cols);
      return;
    }
    case R_BIN_SV: {
      const s = (x.s as EntryFn)(ix);
      const q = x.a as RowK;
      fillRow(q, ix, j0);
      binSV(x.op, x.buf, s, q.buf, j0, cols);
      return;
    }
    case R_UNARY: {
      const p = x.a as RowK;
      fillRow(p, ix, j0);
      unaryRow(x.op, x.buf, p.buf, j0, cols);
      return;
    }
    case R_FN: {
      const p = x.a as RowK;
      fillRow(p, ix, j0);
      fnRow(x.fn as ScalarFunction, x.buf, p.buf, j0, cols);
      return;
    }
    case R_MINMAX_VV: {
      const p = x.a as RowK;
      const q = x.b as RowK;
      fillRow(p, ix, j0);
      fillRow(q, ix, j0);
      minMaxVV(x.op, x.buf, p.buf, q.buf, j0, cols);
      return;
    }
    case R_MINMAX_VS: {
      const s = (x.s as EntryFn)(ix);
      const p = x.a as RowK;
      fillRow(p, ix, j0);
      minMaxVS(x.op, x.buf, p.buf, s, j0, cols);
      return;
    }
    case R_MINMAX_N:
      minMaxN(x, ix, j0);
      return;
  }
}

function minMaxN(x: RowK, ix: Float64Array, j0: number): void {
  const args = x.args as Kernel[];
  const scal = x.scal;
  const isMin = x.op === OP_MIN;
  for (let t = 0; t < args.length; t++) {
    const y = args[t];
    if (y.k === 's') scal[t] = y.f(ix);
    else fillRow(y, ix, j0);
  }
  const o = x.buf;
  for (let jj = j0; jj < x.cols; jj++) {
    let r = isMin ? Infinity : -Infinity;
    for (let t = 0; t < args.length; t++) {
      const y = args[t];
      const v = y.k === 's' ? scal[t] : y.buf[jj];
      r = isMin ? Math.min(r, v) : Math.max(r, v);
    }
    o[jj] = r;
  }
}

function entryRow(base: Value, idx: Kernel[], n: Node, cx: RowCtx): Kernel | undefined {
  if (!(base instanceof Mat)) return undefined;
  if (idx.every((x) => x.k === 's')) return scalarK(n, cx.env);
  const { b, cols } = cx;
  const d = base.d;
  const r = base.r;
  if (base.vec) {
    if (idx.length !== 1) return undefined;
    const p = idx[0] as RowK;
    if (p.isJ) {
      // v[j]: a fixed slice of v (every column is used in every row, so a range check once is exact)
      if (b < 1 || b + cols - 1 > r) bail();
      return fixedRow(d.subarray(b - 1, b - 1 + cols), cols, false);
    }
    return rowNode(cols, { kind: R_GATHER_V, a: p, d, r }, idx);
  }
  if (idx.length !== 2) return undefined;
  const c = base.c;
  const [p, q] = idx;
  if (p.k === 's' && q.k === 'v' && q.isJ) {
    // M[·, j]: a slice of one row of M (op holds the offset of the first column)
    if (b < 1 || b + cols - 1 > c) bail();
    return rowNode(cols, { kind: R_SLICE, op: b - 1, s: p.f, d, r, c }, [p]);
  }
  if (p.k === 's') return rowNode(cols, { kind: R_GATHER_SR, s: p.f, a: q as RowK, d, r, c }, idx);
  if (q.k === 's') return rowNode(cols, { kind: R_GATHER_RS, a: p, s: q.f, d, r, c }, idx);
  return rowNode(cols, { kind: R_GATHER_RR, a: p, b: q, d, r, c }, idx);
}

const BIN_OPS = new Map<string, number>([
  ['+', OP_ADD],
  ['-', OP_SUB],
  ['*', OP_MUL],
  ['dot', OP_MUL],
  ['/', OP_DIV],
  ['pow', OP_POW],
]);

/** Row node of a binary operation where at least one side depends on j. */
function binRow(op: number, a: Kernel, b: Kernel, cols: number): RowK {
  if (a.k === 'v' && b.k === 'v') return rowNode(cols, { kind: R_BIN_VV, op, a, b }, [a, b]);
  if (a.k === 'v') return rowNode(cols, { kind: R_BIN_VS, op, a, s: (b as ScalarK).f }, [a, b]);
  return rowNode(cols, { kind: R_BIN_SV, op, s: a.f, a: b as RowK }, [a, b]);
}

/** Row node of a function of one number applied entrywise. */
function entrywiseRow(name: string, a: RowK, cx: RowCtx): RowK | undefined {
  const op = UNARY_OPS.get(name);
  if (op !== undefined) return rowNode(cx.cols, { kind: R_UNARY, op, a }, [a]);
  const fn = scalarFunction(name);
  return fn && rowNode(cx.cols, { kind: R_FN, a, fn }, [a]);
}

/** Row node of \min / \max with at least one argument depending on j. */
function minMaxRow(isMin: boolean, args: Kernel[], cols: number): RowK {
  const op = isMin ? OP_MIN : OP_MAX;
  if (args.length === 2) {
    const [p, q] = args;
    if (p.k === 'v' && q.k === 'v') return rowNode(cols, { kind: R_MINMAX_VV, op, a: p, b: q }, args);
    const s = (p.k === 's' ? p : q) as ScalarK;
    const v = (p.k === 'v' ? p : q) as RowK;
    return rowNode(cols, { kind: R_MINMAX_VS, op, a: v, s: s.f }, args);
  }
  return rowNode(cols, { kind: R_MINMAX_N, op, args }, args);
}

export function compileRow(n: Node, cx: RowCtx): Kernel | undefined {
  const env = cx.env;
  const list = (ns: Node[]): Kernel[] | undefined => {
    const out: Kernel[] = [];
    for (const x of ns) {
      const k = compileRow(x, cx);
      if (!k) return undefined;
      out.push(k);
    }
    return out;
  };
  switch (n.k) {
    case 'sym': {
      const slot = env.slotOf(n);
      if (slot === 1) return cx.J;
      if (slot === 0 || env.constSym(n) !== undefined) return scalarK(n, env);
      const ind = env.indexedSym(n);
      if (!ind) return undefined;
      const idx = list(ind.idx);
      return idx && entryRow(ind.base, idx, n, cx);
    }
    case 'index': {
      const base = n.base.k === 'sym' && env.slotOf(n.base) === undefined ? env.constSym(n.base) : undefined;
      if (base === undefined) return undefined;
      const idx = list(n.idx);
      return idx && entryRow(base, idx, n, cx);
    }
    case 'bin': {
      if (env.isStatic(n)) return undefined;
      const a = compileRow(n.a, cx);
      const b = a && compileRow(n.b, cx);
      if (!a || !b) return undefined;
      if (a.k === 's' && b.k === 's') return scalarK(n, env);
      const op = BIN_OPS.get(n.op);
      return op === undefined ? undefined : binRow(op, a, b, cx.cols);
    }
    case 'neg':
    case 'abs': {
      const a = compileRow(n.a, cx);
      if (!a) return undefined;
      return a.k === 's' ? scalarK(n, env) : entrywiseRow(n.k, a, cx);
    }
    case 'fn': {
      if (n.name === 'min' || n.name === 'max') {
        const args = list(n.args);
        if (!args || args.length === 0) return undefined;
        if (args.every((x) => x.k === 's')) return scalarK(n, env);
        return minMaxRow(n.name === 'min', args, cx.cols);
      }
      if (NOT_SCALAR.has(n.name) || n.base || n.args.length !== 1) return undefined;
      const a = compileRow(n.args[0], cx);
      if (!a) return undefined;
      return a.k === 's' ? scalarK(n, env) : entrywiseRow(n.name, a, cx);
    }
    default:
      return scalarK(n, env);
  }
}
