// The loops of the row kernels (rows.ts): gathers, binary operations, entrywise functions and \min/\max over one
// row of typed arrays, from column j0 to cols. Each is a top-level function of typed arrays and numbers, so its
// optimised code is shared by every check.
import type { ScalarFunction } from '../functions';
import { bail, toIdx } from './entry';

// operations (RowK.op)
export const OP_ADD = 0;
export const OP_SUB = 1;
export const OP_MUL = 2;
export const OP_DIV = 3;
export const OP_POW = 4;
export const OP_MIN = 0;
export const OP_MAX = 1;
export const UNARY_OPS = new Map<string, number>([
  ['neg', 0],
  ['abs', 1],
]);

export const EMPTY = new Float64Array(0);

export function gatherVec(o: Float64Array, d: Float64Array, r: number, p: Float64Array, j0: number, cols: number): void {
  for (let jj = j0; jj < cols; jj++) o[jj] = d[toIdx(p[jj], r)];
}

export function gatherInRow(o: Float64Array, d: Float64Array, off: number, c: number, q: Float64Array, j0: number, cols: number): void {
  for (let jj = j0; jj < cols; jj++) o[jj] = d[off + toIdx(q[jj], c)];
}

export function gatherInColumn(o: Float64Array, d: Float64Array, r: number, c: number, col: number, p: Float64Array, j0: number, cols: number): void {
  for (let jj = j0; jj < cols; jj++) o[jj] = d[toIdx(p[jj], r) * c + col];
}

export function gather2(o: Float64Array, d: Float64Array, r: number, c: number, p: Float64Array, q: Float64Array, j0: number, cols: number): void {
  for (let jj = j0; jj < cols; jj++) {
    const i = toIdx(p[jj], r);
    o[jj] = d[i * c + toIdx(q[jj], c)];
  }
}

function powChecked(x: number, y: number): number {
  if ((x < 0 && !Number.isInteger(y)) || (x === 0 && y < 0)) bail();
  return Math.pow(x, y);
}

export function binVV(op: number, o: Float64Array, x: Float64Array, y: Float64Array, j0: number, cols: number): void {
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

export function binVS(op: number, o: Float64Array, x: Float64Array, y: number, j0: number, cols: number): void {
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

export function binSV(op: number, o: Float64Array, x: number, y: Float64Array, j0: number, cols: number): void {
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
export function unaryRow(op: number, o: Float64Array, x: Float64Array, j0: number, cols: number): void {
  if (op === 0) for (let jj = j0; jj < cols; jj++) o[jj] = -x[jj];
  else for (let jj = j0; jj < cols; jj++) o[jj] = Math.abs(x[jj]);
}

/** A function of the table entrywise (as the closures of compileEntry: outside its domain the fast path bails). */
export function fnRow(fn: ScalarFunction, o: Float64Array, x: Float64Array, j0: number, cols: number): void {
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

export function minMaxVV(op: number, o: Float64Array, x: Float64Array, y: Float64Array, j0: number, cols: number): void {
  if (op === OP_MIN) for (let jj = j0; jj < cols; jj++) o[jj] = Math.min(x[jj], y[jj]);
  else for (let jj = j0; jj < cols; jj++) o[jj] = Math.max(x[jj], y[jj]);
}

/** Math.min/max are symmetric in their two arguments (also for −0 and NaN), so the scalar may come second. */
export function minMaxVS(op: number, o: Float64Array, x: Float64Array, c: number, j0: number, cols: number): void {
  if (op === OP_MIN) for (let jj = j0; jj < cols; jj++) o[jj] = Math.min(x[jj], c);
  else for (let jj = j0; jj < cols; jj++) o[jj] = Math.max(x[jj], c);
}
