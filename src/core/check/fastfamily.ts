// Fast path for two-index definitions `H_{ij} = …, i, j = 1, …, n`: the entry expression is compiled once into
// JavaScript closures over the syntax tree (no code generation) and evaluated straight into a Float64Array.
// Only scalar expressions built from numbers, the two indices, constants/definitions that do not depend on the
// indices, entries of such matrices/vectors, arithmetic and functions of one number are compiled; anything else
// returns undefined and the caller uses the interpreter. The closures reproduce the interpreter's arithmetic
// exactly (same operations in the same order, same scalar function implementation), so results are bit-identical.
// Any problem while filling (an index out of range, log of a negative number, …) throws FastPathBail and the
// caller re-runs the interpreter, which reports the error with its usual message and place.
import type { Node } from './ast';
import { Mat, type Value } from './values';

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
  /** The interpreter's function of one number (same errors, same values). */
  scalarFn(name: string, x: number, n: Node): number;
  /** True when the node is cached as static by the iterate machinery (then the interpreter must handle it). */
  isStatic(n: Node): boolean;
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
      switch (name) {
        // the interpreter's scalarFn for these, without its error-message machinery (errors bail out)
        case 'sqrt':
          return (ix) => {
            const x = a(ix);
            if (x < 0) bail();
            return Math.sqrt(x);
          };
        case 'log':
        case 'ln':
          return (ix) => {
            const x = a(ix);
            if (x <= 0) bail();
            return Math.log(x);
          };
        case 'exp':
          return (ix) => Math.exp(a(ix));
        case 'sin':
          return (ix) => Math.sin(a(ix));
        case 'cos':
          return (ix) => Math.cos(a(ix));
        case 'tanh':
          return (ix) => Math.tanh(a(ix));
        case 'arcsin':
        case 'arccos': {
          const f = name === 'arcsin' ? Math.asin : Math.acos;
          return (ix) => {
            let y = a(ix);
            if (Math.abs(y) > 1) {
              if (Math.abs(y) - 1 <= 1e-12) y = Math.sign(y);
              else bail();
            }
            return f(y);
          };
        }
      }
      return (ix) => env.scalarFn(name, a(ix), n);
    }
    default:
      return undefined;
  }
}


// ---------------------------------------------------------------------------------------------------------------
// Row kernels: the whole matrix is filled one row at a time. A sub-expression that does not depend on the column
// index j is a scalar closure (compileEntry above) evaluated once per row; one that depends on j is a row kernel
// that fills a Float64Array indexed by the column (the same operations per entry as the closures, in tight loops).
// Kernels that depend on j only (`K[j, j]`, `j^2`) are computed once; `M[i, j]` is a view of row i of M.

/** A sub-expression that does not depend on j: a constant or a closure evaluated once per row. */
interface ScalarK {
  k: 's';
  f: EntryFn;
  /** The value when the closure is a constant. */
  c: number | undefined;
}

/** A sub-expression that depends on j: `fill` sets buf[jj] for jj ≥ j0 (jj = j − first column). */
interface RowK {
  k: 'v';
  buf: Float64Array;
  /** True when the values do not depend on the row (computed once, `fill` does nothing). */
  inv: boolean;
  /** True for the column index j itself. */
  isJ: boolean;
  fill: (ix: Float64Array, j0: number) => void;
}

type Kernel = ScalarK | RowK;

const noFill = (): void => undefined;

interface RowCtx {
  env: FastEnv;
  /** First column index value and the number of columns. */
  b: number;
  cols: number;
  J: RowK;
}

function scalarK(n: Node, env: FastEnv): ScalarK | undefined {
  const f = compileEntry(n, env);
  return f && { k: 's', f, c: constants.get(f) };
}

/** A row kernel; when every input is row-invariant it is evaluated once here and never again. */
function rowK(cols: number, inputs: Kernel[], fill: (buf: Float64Array, ix: Float64Array, j0: number) => void): RowK {
  const buf = new Float64Array(cols);
  const inv = inputs.every((x) => (x.k === 's' ? x.c !== undefined : x.inv));
  if (inv) {
    fill(buf, new Float64Array(2), 0);
    return { k: 'v', buf, inv, isJ: false, fill: noFill };
  }
  return { k: 'v', buf, inv, isJ: false, fill: (ix, j0) => fill(buf, ix, j0) };
}

/** `fill` of a child row kernel, or nothing for row-invariant ones. */
function prep(x: RowK): (ix: Float64Array, j0: number) => void {
  return x.inv ? noFill : x.fill;
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
      return { k: 'v', buf: d.subarray(b - 1, b - 1 + cols), inv: true, isJ: false, fill: noFill };
    }
    const pf = prep(p);
    return rowK(cols, idx, (buf, ix, j0) => {
      pf(ix, j0);
      const pb = p.buf;
      for (let jj = j0; jj < cols; jj++) buf[jj] = d[toIdx(pb[jj], r)];
    });
  }
  if (idx.length !== 2) return undefined;
  const c = base.c;
  const [p, q] = idx;
  if (p.k === 's' && q.k === 'v' && q.isJ) {
    // M[·, j]: a slice of one row of M
    if (b < 1 || b + cols - 1 > c) bail();
    const pf = p.f;
    const out: RowK = { k: 'v', buf: d.subarray(0, 0), inv: false, isJ: false, fill: noFill };
    out.fill = (ix) => {
      const o = toIdx(pf(ix), r) * c + b - 1;
      out.buf = d.subarray(o, o + cols);
    };
    if (p.c !== undefined) {
      out.fill(new Float64Array(2), 0);
      out.fill = noFill;
      out.inv = true;
    }
    return out;
  }
  if (p.k === 's') {
    const pf = p.f;
    const qq = q as RowK;
    const qf = prep(qq);
    return rowK(cols, idx, (buf, ix, j0) => {
      const o = toIdx(pf(ix), r) * c;
      qf(ix, j0);
      const qb = qq.buf;
      for (let jj = j0; jj < cols; jj++) buf[jj] = d[o + toIdx(qb[jj], c)];
    });
  }
  if (q.k === 's') {
    const qf = q.f;
    const pf = prep(p);
    return rowK(cols, idx, (buf, ix, j0) => {
      pf(ix, j0);
      const col = toIdx(qf(ix), c);
      const pb = p.buf;
      for (let jj = j0; jj < cols; jj++) buf[jj] = d[toIdx(pb[jj], r) * c + col];
    });
  }
  const pf = prep(p);
  const qf = prep(q);
  return rowK(cols, idx, (buf, ix, j0) => {
    pf(ix, j0);
    qf(ix, j0);
    const pb = p.buf;
    const qb = q.buf;
    for (let jj = j0; jj < cols; jj++) {
      const i = toIdx(pb[jj], r);
      buf[jj] = d[i * c + toIdx(qb[jj], c)];
    }
  });
}

type BinOp = '+' | '-' | '*' | '/' | 'pow';

function powChecked(x: number, y: number): number {
  if ((x < 0 && !Number.isInteger(y)) || (x === 0 && y < 0)) bail();
  return Math.pow(x, y);
}

/** Row kernel of a binary operation where at least one side depends on j. */
function binRow(op: BinOp, a: Kernel, b: Kernel, cols: number): RowK {
  if (a.k === 'v' && b.k === 'v') {
    const af = prep(a);
    const bf = prep(b);
    const run = (f: (buf: Float64Array, x: Float64Array, y: Float64Array, j0: number) => void) =>
      rowK(cols, [a, b], (buf, ix, j0) => {
        af(ix, j0);
        bf(ix, j0);
        f(buf, a.buf, b.buf, j0);
      });
    switch (op) {
      case '+':
        return run((o, x, y, j0) => {
          for (let jj = j0; jj < cols; jj++) o[jj] = x[jj] + y[jj];
        });
      case '-':
        return run((o, x, y, j0) => {
          for (let jj = j0; jj < cols; jj++) o[jj] = x[jj] - y[jj];
        });
      case '*':
        return run((o, x, y, j0) => {
          for (let jj = j0; jj < cols; jj++) o[jj] = x[jj] * y[jj];
        });
      case '/':
        return run((o, x, y, j0) => {
          for (let jj = j0; jj < cols; jj++) {
            const v = y[jj];
            if (v === 0) bail();
            o[jj] = x[jj] / v;
          }
        });
      case 'pow':
        return run((o, x, y, j0) => {
          for (let jj = j0; jj < cols; jj++) o[jj] = powChecked(x[jj], y[jj]);
        });
    }
  }
  if (a.k === 'v' && b.k === 's') {
    // row op scalar
    const af = prep(a);
    const sf = b.f;
    const run = (f: (buf: Float64Array, x: Float64Array, y: number, j0: number) => void) =>
      rowK(cols, [a, b], (buf, ix, j0) => {
        af(ix, j0);
        f(buf, a.buf, sf(ix), j0);
      });
    switch (op) {
      case '+':
        return run((o, x, y, j0) => {
          for (let jj = j0; jj < cols; jj++) o[jj] = x[jj] + y;
        });
      case '-':
        return run((o, x, y, j0) => {
          for (let jj = j0; jj < cols; jj++) o[jj] = x[jj] - y;
        });
      case '*':
        return run((o, x, y, j0) => {
          for (let jj = j0; jj < cols; jj++) o[jj] = x[jj] * y;
        });
      case '/':
        return run((o, x, y, j0) => {
          if (y === 0) bail();
          for (let jj = j0; jj < cols; jj++) o[jj] = x[jj] / y;
        });
      case 'pow':
        return run((o, x, y, j0) => {
          for (let jj = j0; jj < cols; jj++) o[jj] = powChecked(x[jj], y);
        });
    }
  }
  // scalar op row
  const bb = b as RowK;
  const bf = prep(bb);
  const sf = (a as ScalarK).f;
  const run = (f: (buf: Float64Array, x: number, y: Float64Array, j0: number) => void) =>
    rowK(cols, [a, b], (buf, ix, j0) => {
      const x = sf(ix);
      bf(ix, j0);
      f(buf, x, bb.buf, j0);
    });
  switch (op) {
    case '+':
      return run((o, x, y, j0) => {
        for (let jj = j0; jj < cols; jj++) o[jj] = x + y[jj];
      });
    case '-':
      return run((o, x, y, j0) => {
        for (let jj = j0; jj < cols; jj++) o[jj] = x - y[jj];
      });
    case '*':
      return run((o, x, y, j0) => {
        for (let jj = j0; jj < cols; jj++) o[jj] = x * y[jj];
      });
    case '/':
      return run((o, x, y, j0) => {
        for (let jj = j0; jj < cols; jj++) {
          const v = y[jj];
          if (v === 0) bail();
          o[jj] = x / v;
        }
      });
    case 'pow':
      return run((o, x, y, j0) => {
        for (let jj = j0; jj < cols; jj++) o[jj] = powChecked(x, y[jj]);
      });
  }
}

/** Row kernel of a function of one number applied entrywise (same rules as the closures of compileEntry). */
function unaryRow(name: string, a: RowK, n: Node, cx: RowCtx): RowK {
  const af = prep(a);
  const cols = cx.cols;
  const run = (f: (o: Float64Array, x: Float64Array, j0: number) => void) =>
    rowK(cols, [a], (buf, ix, j0) => {
      af(ix, j0);
      f(buf, a.buf, j0);
    });
  switch (name) {
    case 'neg':
      return run((o, x, j0) => {
        for (let jj = j0; jj < cols; jj++) o[jj] = -x[jj];
      });
    case 'abs':
      return run((o, x, j0) => {
        for (let jj = j0; jj < cols; jj++) o[jj] = Math.abs(x[jj]);
      });
    case 'sqrt':
      return run((o, x, j0) => {
        for (let jj = j0; jj < cols; jj++) {
          const v = x[jj];
          if (v < 0) bail();
          o[jj] = Math.sqrt(v);
        }
      });
    case 'log':
    case 'ln':
      return run((o, x, j0) => {
        for (let jj = j0; jj < cols; jj++) {
          const v = x[jj];
          if (v <= 0) bail();
          o[jj] = Math.log(v);
        }
      });
    case 'exp':
      return run((o, x, j0) => {
        for (let jj = j0; jj < cols; jj++) o[jj] = Math.exp(x[jj]);
      });
    case 'sin':
      return run((o, x, j0) => {
        for (let jj = j0; jj < cols; jj++) o[jj] = Math.sin(x[jj]);
      });
    case 'cos':
      return run((o, x, j0) => {
        for (let jj = j0; jj < cols; jj++) o[jj] = Math.cos(x[jj]);
      });
    case 'tanh':
      return run((o, x, j0) => {
        for (let jj = j0; jj < cols; jj++) o[jj] = Math.tanh(x[jj]);
      });
    case 'arcsin':
    case 'arccos': {
      const f = name === 'arcsin' ? Math.asin : Math.acos;
      return run((o, x, j0) => {
        for (let jj = j0; jj < cols; jj++) {
          let y = x[jj];
          if (Math.abs(y) > 1) {
            if (Math.abs(y) - 1 <= 1e-12) y = Math.sign(y);
            else bail();
          }
          o[jj] = f(y);
        }
      });
    }
  }
  const env = cx.env;
  return run((o, x, j0) => {
    for (let jj = j0; jj < cols; jj++) o[jj] = env.scalarFn(name, x[jj], n);
  });
}

/** Row kernel of \min / \max with at least one argument depending on j. */
function minMaxRow(isMin: boolean, args: Kernel[], cols: number): RowK {
  if (args.length === 2) {
    const [p, q] = args;
    if (p.k === 'v' && q.k === 'v') {
      const pf = prep(p);
      const qf = prep(q);
      return rowK(cols, args, (o, ix, j0) => {
        pf(ix, j0);
        qf(ix, j0);
        const x = p.buf;
        const y = q.buf;
        if (isMin) for (let jj = j0; jj < cols; jj++) o[jj] = Math.min(x[jj], y[jj]);
        else for (let jj = j0; jj < cols; jj++) o[jj] = Math.max(x[jj], y[jj]);
      });
    }
    // one side is a scalar: Math.min/max are symmetric in their two arguments (also for −0 and NaN)
    const s = (p.k === 's' ? p : q) as ScalarK;
    const v = (p.k === 'v' ? p : q) as RowK;
    const vf = prep(v);
    const sf = s.f;
    return rowK(cols, args, (o, ix, j0) => {
      const c = sf(ix);
      vf(ix, j0);
      const x = v.buf;
      if (isMin) for (let jj = j0; jj < cols; jj++) o[jj] = Math.min(x[jj], c);
      else for (let jj = j0; jj < cols; jj++) o[jj] = Math.max(x[jj], c);
    });
  }
  const scal = new Float64Array(args.length);
  return rowK(cols, args, (o, ix, j0) => {
    for (let t = 0; t < args.length; t++) {
      const x = args[t];
      if (x.k === 's') scal[t] = x.f(ix);
      else if (!x.inv) x.fill(ix, j0);
    }
    for (let jj = j0; jj < cols; jj++) {
      let r = isMin ? Infinity : -Infinity;
      for (let t = 0; t < args.length; t++) {
        const x = args[t];
        const y = x.k === 's' ? scal[t] : x.buf[jj];
        r = isMin ? Math.min(r, y) : Math.max(r, y);
      }
      o[jj] = r;
    }
  });
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
      const op = n.op === 'dot' ? '*' : n.op;
      return binRow(op, a, b, cx.cols);
    }
    case 'neg':
    case 'abs': {
      const a = compileRow(n.a, cx);
      if (!a) return undefined;
      return a.k === 's' ? scalarK(n, env) : unaryRow(n.k, a, n, cx);
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
      return a.k === 's' ? scalarK(n, env) : unaryRow(n.name, a, n, cx);
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
  const n = m.r;
  const d = m.d;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const x = d[i * n + j];
      const y = d[j * n + i];
      if (x === y ? x === 0 && 1 / x !== 1 / y : !(x !== x && y !== y)) return false;
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
  const jv = new Float64Array(cols);
  for (let jj = 0; jj < cols; jj++) jv[jj] = b + jj;
  const cx: RowCtx = { env, b, cols, J: { k: 'v', buf: jv, inv: true, isJ: true, fill: noFill } };
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
    root.fill(ix, j0);
    const buf = root.buf;
    if (!sym) {
      out.set(buf, o);
      continue;
    }
    for (let jj = i; jj < cols; jj++) {
      const v = buf[jj];
      out[o + jj] = v;
      out[jj * cols + i] = v;
    }
  }
  return out;
}
