// Fast path for two-index definitions `H_{ij} = …, i, j = 1, …, n`: the entry expression is compiled once into
// JavaScript closures over the syntax tree (no code generation) and evaluated straight into a Float64Array.
// Only scalar expressions built from numbers, the two indices, constants/definitions that do not depend on the
// indices, entries of such matrices/vectors, arithmetic and functions of one number are compiled; anything else
// returns undefined and the caller uses the interpreter. The closures reproduce the interpreter's arithmetic
// exactly (same operations in the same order, same scalar function implementation), so results are bit-identical.
// Any problem while filling (an index out of range, log of a negative number, …) throws FastPathBail and the
// caller re-runs the interpreter, which reports the error with its usual message and place.
import type { Node } from '../parser/ast';
import { scalarFunction, type ScalarFunction } from '../functions';
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
const NOT_SCALAR = new Set(['tr', 'det', 'diag', 'rank', 'cond', 'mean', 'var', 'sumall', 'gcd', 'clip', 'min', 'max']);

function bail(): never {
  throw new FastPathBail('fast path bailed out');
}

function toIdx(x: number, size: number): number {
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


// ---------------------------------------------------------------------------------------------------------------
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

// operations (RowK.op)
const OP_ADD = 0;
const OP_SUB = 1;
const OP_MUL = 2;
const OP_DIV = 3;
const OP_POW = 4;
const OP_MIN = 0;
const OP_MAX = 1;
const UNARY_OPS = new Map<string, number>([
  ['neg', 0],
  ['abs', 1],
]);

const EMPTY = new Float64Array(0);

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

interface RowCtx {
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
  return f && { k: 's', f, c: constants.get(f) };
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
function fixedRow(buf: Float64Array, cols: number, isJ: boolean): RowK {
  return new RowK(R_FIXED, 0, buf, true, isJ, cols, undefined, undefined, undefined, EMPTY, 0, 0, undefined, EMPTY, undefined);
}

/** Fills x.buf for the row in ix (columns jj ≥ j0), after its inputs; nothing for row-invariant nodes. */
function fillRow(x: RowK, ix: Float64Array, j0: number): void {
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

function gatherVec(o: Float64Array, d: Float64Array, r: number, p: Float64Array, j0: number, cols: number): void {
  for (let jj = j0; jj < cols; jj++) o[jj] = d[toIdx(p[jj], r)];
}

function gatherInRow(o: Float64Array, d: Float64Array, off: number, c: number, q: Float64Array, j0: number, cols: number): void {
  for (let jj = j0; jj < cols; jj++) o[jj] = d[off + toIdx(q[jj], c)];
}

function gatherInColumn(o: Float64Array, d: Float64Array, r: number, c: number, col: number, p: Float64Array, j0: number, cols: number): void {
  for (let jj = j0; jj < cols; jj++) o[jj] = d[toIdx(p[jj], r) * c + col];
}

function gather2(o: Float64Array, d: Float64Array, r: number, c: number, p: Float64Array, q: Float64Array, j0: number, cols: number): void {
  for (let jj = j0; jj < cols; jj++) {
    const i = toIdx(p[jj], r);
    o[jj] = d[i * c + toIdx(q[jj], c)];
  }
}

function powChecked(x: number, y: number): number {
  if ((x < 0 && !Number.isInteger(y)) || (x === 0 && y < 0)) bail();
  return Math.pow(x, y);
}

function binVV(op: number, o: Float64Array, x: Float64Array, y: Float64Array, j0: number, cols: number): void {
  switch (op) {
    case OP_ADD:
      for (let jj = j0; jj < cols; jj++) o[jj] = x[jj] + y[jj];
      return;
    case OP_SUB:
      for (let jj = j0; jj < cols; jj++) o[jj] = x[jj] - y[jj];
      return;
    case OP_MUL:
      for (let jj = j0; jj < cols; jj++) o[jj] = x[jj] * y[jj];
      return;
    case OP_DIV:
      for (let jj = j0; jj < cols; jj++) {
        const v = y[jj];
        if (v === 0) bail();
        o[jj] = x[jj] / v;
      }
      return;
    default:
      for (let jj = j0; jj < cols; jj++) o[jj] = powChecked(x[jj], y[jj]);
  }
}

function binVS(op: number, o: Float64Array, x: Float64Array, y: number, j0: number, cols: number): void {
  switch (op) {
    case OP_ADD:
      for (let jj = j0; jj < cols; jj++) o[jj] = x[jj] + y;
      return;
    case OP_SUB:
      for (let jj = j0; jj < cols; jj++) o[jj] = x[jj] - y;
      return;
    case OP_MUL:
      for (let jj = j0; jj < cols; jj++) o[jj] = x[jj] * y;
      return;
    case OP_DIV:
      if (y === 0) bail();
      for (let jj = j0; jj < cols; jj++) o[jj] = x[jj] / y;
      return;
    default:
      for (let jj = j0; jj < cols; jj++) o[jj] = powChecked(x[jj], y);
  }
}

function binSV(op: number, o: Float64Array, x: number, y: Float64Array, j0: number, cols: number): void {
  switch (op) {
    case OP_ADD:
      for (let jj = j0; jj < cols; jj++) o[jj] = x + y[jj];
      return;
    case OP_SUB:
      for (let jj = j0; jj < cols; jj++) o[jj] = x - y[jj];
      return;
    case OP_MUL:
      for (let jj = j0; jj < cols; jj++) o[jj] = x * y[jj];
      return;
    case OP_DIV:
      for (let jj = j0; jj < cols; jj++) {
        const v = y[jj];
        if (v === 0) bail();
        o[jj] = x / v;
      }
      return;
    default:
      for (let jj = j0; jj < cols; jj++) o[jj] = powChecked(x, y[jj]);
  }
}

/** −x (op 0) or |x| (op 1) entrywise. */
function unaryRow(op: number, o: Float64Array, x: Float64Array, j0: number, cols: number): void {
  if (op === 0) for (let jj = j0; jj < cols; jj++) o[jj] = -x[jj];
  else for (let jj = j0; jj < cols; jj++) o[jj] = Math.abs(x[jj]);
}

/** A function of the table entrywise (as the closures of compileEntry: outside its domain the fast path bails). */
function fnRow(fn: ScalarFunction, o: Float64Array, x: Float64Array, j0: number, cols: number): void {
  if (fn.row) {
    if (!fn.row(o, x, j0, cols)) bail();
    return;
  }
  const f = fn.f;
  const dom = fn.domain;
  if (!dom) {
    for (let jj = j0; jj < cols; jj++) o[jj] = f(x[jj]);
    return;
  }
  for (let jj = j0; jj < cols; jj++) {
    const v = x[jj];
    if (dom.outside(v)) bail();
    o[jj] = f(v);
  }
}

function minMaxVV(op: number, o: Float64Array, x: Float64Array, y: Float64Array, j0: number, cols: number): void {
  if (op === OP_MIN) for (let jj = j0; jj < cols; jj++) o[jj] = Math.min(x[jj], y[jj]);
  else for (let jj = j0; jj < cols; jj++) o[jj] = Math.max(x[jj], y[jj]);
}

/** Math.min/max are symmetric in their two arguments (also for −0 and NaN), so the scalar may come second. */
function minMaxVS(op: number, o: Float64Array, x: Float64Array, c: number, j0: number, cols: number): void {
  if (op === OP_MIN) for (let jj = j0; jj < cols; jj++) o[jj] = Math.min(x[jj], c);
  else for (let jj = j0; jj < cols; jj++) o[jj] = Math.max(x[jj], c);
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

function compileRow(n: Node, cx: RowCtx): Kernel | undefined {
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

// ---------------------------------------------------------------------------------------------------------------
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
function exactlySymmetricData(d: Float64Array, n: number): boolean {
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
export function fillFamily(n: Node, env: FastEnv, a: number, rows: number, b: number, cols: number, poll: (row: number) => void): Float64Array | undefined {
  if (rows * cols >= PRIME_MIN_ENTRIES) primeRowKernels();
  const jv = new Float64Array(cols);
  for (let jj = 0; jj < cols; jj++) jv[jj] = b + jj;
  const cx: RowCtx = { env, b, cols, J: fixedRow(jv, cols, true) };
  const root = compileRow(n, cx);
  if (!root) return undefined;
  const sym = root.k === 'v' && rows === cols && a === b && swapInvariant(n, env);
  const out = new Float64Array(rows * cols);
  const ix = new Float64Array(2);
  ix[1] = NaN;
  for (let i = 0; i < rows; i++) {
    poll(i);
    ix[0] = a + i;
    const o = i * cols;
    if (root.k === 's') {
      out.fill(root.f(ix), o, o + cols);
      continue;
    }
    const j0 = sym ? i : 0;
    fillRow(root, ix, j0);
    copyRow(root.buf, j0, cols, out, o);
  }
  if (sym) mirrorUpper(out, cols);
  return out;
}

/** Families of at least this many entries first prime the row kernels. */
const PRIME_MIN_ENTRIES = 4096;

let primed = false;

/**
 * Runs every entrywise kernel with every operation a few dozen times on tiny rows (values for which nothing bails
 * out), so that the JIT compiler has type feedback for all of their branches when a large family makes them hot:
 * otherwise optimised code is discarded the first time it meets an operation it has not seen.
 */
function primeRowKernels(): void {
  if (primed) return;
  primed = true;
  const cols = 5;
  const x = Float64Array.of(0.5, 0.25, 0.75, 0.125, 0.625);
  const y = Float64Array.of(1, 2, 3, 4, 5);
  const o = new Float64Array(cols);
  for (let rep = 0; rep < 24; rep++) {
    for (let op = OP_ADD; op <= OP_POW; op++) {
      binVV(op, o, x, y, 0, cols);
      binVS(op, o, x, 2, 1, cols);
      binSV(op, o, 2, y, 0, cols);
    }
    for (const op of UNARY_OPS.values()) unaryRow(op, o, x, 0, cols);
    for (const name of ['exp', 'tanh', 'log', 'sqrt']) fnRow(scalarFunction(name) as ScalarFunction, o, x, 0, cols);
    for (const op of [OP_MIN, OP_MAX]) {
      minMaxVV(op, o, x, y, 0, cols);
      minMaxVS(op, o, x, 0.3, 0, cols);
    }
    copyRow(x, 1, cols, o, 0);
    gatherVec(o, x, cols, y, 0, cols);
    gatherInRow(o, x, 0, cols, y, 0, cols);
    gatherInColumn(o, x, cols, 1, 0, y, 0, cols);
    gather2(o, x, cols, 1, y, y.map(() => 1), 0, cols);
    mirrorUpper(new Float64Array(cols * cols), cols);
    exactlySymmetricData(Float64Array.of(1, 0, 0, 1), 2);
    exactlySymmetricData(Float64Array.of(1, 0, -0, 1), 2);
  }
}

/** out[o + jj] = buf[jj] for j0 ≤ jj < cols (buf has cols entries). */
function copyRow(buf: Float64Array, j0: number, cols: number, out: Float64Array, o: number): void {
  out.set(j0 === 0 ? buf : buf.subarray(j0, cols), o + j0);
}

/** Copies the upper triangle of the n×n row-major d into its lower triangle, in 32×32 tiles (cache-friendly). */
function mirrorUpper(d: Float64Array, n: number): void {
  const T = 32;
  for (let bi = 0; bi < n; bi += T) {
    const ei = Math.min(n, bi + T);
    for (let bj = bi; bj < n; bj += T) {
      const ej = Math.min(n, bj + T);
      for (let i = bi; i < ei; i++) {
        const ri = i * n;
        for (let j = Math.max(bj, i + 1); j < ej; j++) d[j * n + i] = d[ri + j];
      }
    }
  }
}
