// Fast path for two-index definitions `H_{ij} = …, i, j = 1, …, n`: the entry expression is compiled (entry.ts)
// into row kernels (rows.ts, loops in rowloops.ts) and evaluated straight into a Float64Array, mirrored when the
// expression is swap-invariant (symmetry.ts). Only scalar expressions built from numbers, the two indices,
// constants/definitions that do not depend on the indices, entries of such matrices/vectors, arithmetic and
// functions of one number are compiled; anything else returns undefined and the caller uses the interpreter. The
// kernels reproduce the interpreter's arithmetic exactly (same operations in the same order, same scalar function
// implementation), so results are bit-identical. Any problem while filling (an index out of range, log of a
// negative number, …) throws FastPathBail and the caller re-runs the interpreter, which reports the error with
// its usual message and place.
import type { Node } from '../parser/ast';
import { scalarFunction, type ScalarFunction } from '../functions';
import type { FastEnv } from './entry';
import { type RowCtx, compileRow, fillRow, fixedRow } from './rows';
import { OP_ADD, OP_MAX, OP_MIN, OP_POW, UNARY_OPS, binSV, binVS, binVV, fnRow, gather2, gatherInColumn, gatherInRow, gatherVec, minMaxVS, minMaxVV, unaryRow } from './rowloops';
import { exactlySymmetricData, swapInvariant } from './symmetry';

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
