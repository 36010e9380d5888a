// Exact derivatives: forward mode on the check AST with hyper-dual numbers (a value, two tangents and their mixed
// second-order part), so ∇f is exact to rounding and ∇²f takes one pass per entry. Two kinds of target: a `let`
// function with respect to (some of) its parameters, and an expression or parameterless `let` with respect to
// values of `given` (`\frac{\partial}{\partial x}(x^2 y)`, `\nabla g`). Subexpressions that do not involve the
// variables are computed by the normal evaluator. Each node kind has its rule here (sums, products, quotients,
// powers, matrix inverses and powers, determinants, traces, simple eigenvalues of symmetric matrices, norms, |·|,
// \max/\min/clip, ceil/floor, var, matrix and vector literals, indexing, \sum, \prod, let-functions called
// inside, the functions of the scalar-function table); anything else throws `Unsupported` and the caller falls
// back to difference quotients. A point where the expression is not differentiable (|0|, relu(0), a tie in \max,
// ‖0‖, a repeated eigenvalue) also throws `Unsupported`: an exact derivative is never guessed.
import type { Node } from '../parser/ast';
import { children } from '../parser/visit';
import { Mat, add, inv, mul, neg, symmetricWithin, transpose, type Value } from '../linalg/values';
import { det } from '../linalg/decompose';
import { eigenSystem } from '../linalg/eigenvectors';
import type { Program, Ref, Scope } from '../evaluation/scope';
import { assembleMatrix, ev, indexValue } from '../evaluation/evaluate';
import { scalarFunction, type ScalarFunction } from '../functions';

/** The expression is outside what exact differentiation handles (the numeric path takes over). */
export class Unsupported extends Error {}

/** A tangent: null is an exact zero of the value's shape. */
type T = Value | null;

interface HD {
  v: Value;
  a: T;
  b: T;
  ab: T;
}

const PARTS = ['a', 'b', 'ab'] as const;

function arr(x: Value): Mat | number {
  if (typeof x === 'number' || x instanceof Mat) return x;
  throw new Unsupported();
}

function tadd(x: T, y: T, sign: 1 | -1 = 1): T {
  if (x === null) return y === null ? null : sign === 1 ? y : neg(y);
  if (y === null) return x;
  return add(x, y, sign);
}

function bil(x: T, y: T, dot: boolean): T {
  return x === null || y === null ? null : mul(x, y, dot);
}

/** Entrywise product of a coefficient and a tangent; a zero tangent entry gives 0 whatever the coefficient. */
function had(x: Value, y: T): T {
  if (y === null) return null;
  const o = arr(y);
  if (typeof x === 'number') {
    if (typeof o === 'number') return o === 0 ? 0 : x * o;
    return new Mat(o.r, o.c, o.d.map((v) => (v === 0 ? 0 : x * v)), o.vec);
  }
  const m = arr(x) as Mat;
  if (typeof o === 'number' || o.d.length !== m.d.length) throw new Unsupported();
  return new Mat(m.r, m.c, m.d.map((v, i) => (o.d[i] === 0 ? 0 : v * o.d[i])), m.vec);
}

function mapv(x: Value, g: (v: number) => number): Value {
  if (typeof x === 'number') return g(x);
  const m = arr(x) as Mat;
  return new Mat(m.r, m.c, m.d.map(g), m.vec);
}

function entries(x: Value): ArrayLike<number> {
  const m = arr(x);
  return typeof m === 'number' ? [m] : m.d;
}

/** Entry i of a tangent (null stays an exact zero). */
function entryT(t: T, i: number): T {
  if (t === null) return null;
  const m = arr(t);
  return typeof m === 'number' ? m : m.d[i];
}

function entryHD(x: HD, i: number): HD {
  return { v: entries(x.v)[i], a: entryT(x.a, i), b: entryT(x.b, i), ab: entryT(x.ab, i) };
}

const num0 = (t: T): number => (t === null ? 0 : (t as number));

/** A matrix of the shape of `proto` from hyper-dual entries (one per entry of `proto`). */
function gather(proto: Mat, xs: HD[]): HD {
  const part = (p: 'a' | 'b' | 'ab'): T => (xs.every((x) => x[p] === null) ? null : new Mat(proto.r, proto.c, Float64Array.from(xs, (x) => num0(x[p])), proto.vec));
  return { v: new Mat(proto.r, proto.c, Float64Array.from(xs, (x) => x.v as number), proto.vec), a: part('a'), b: part('b'), ab: part('ab') };
}

/** Product rule for any bilinear product (scalar, matrix, inner). */
function product(x: HD, y: HD, dot: boolean): HD {
  return {
    v: mul(x.v, y.v, dot),
    a: tadd(bil(x.a, y.v, dot), bil(x.v, y.a, dot)),
    b: tadd(bil(x.b, y.v, dot), bil(x.v, y.b, dot)),
    ab: tadd(tadd(bil(x.ab, y.v, dot), bil(x.a, y.b, dot)), tadd(bil(x.b, y.a, dot), bil(x.v, y.ab, dot))),
  };
}

/** Chain rule for an entrywise function with value v = f(x), first and second derivatives f1(x), f2(x). */
function chain(x: HD, v: Value, f1: Value, f2: Value): HD {
  const aa = x.a === null || x.b === null ? null : had(arr(x.a), x.b);
  return {
    v,
    a: had(f1, x.a),
    b: had(f1, x.b),
    ab: tadd(aa === null ? null : had(f2, aa), had(f1, x.ab)),
  };
}

const linear = (x: HD, g: (t: Value) => Value): HD => ({
  v: g(x.v),
  a: x.a === null ? null : g(x.a),
  b: x.b === null ? null : g(x.b),
  ab: x.ab === null ? null : g(x.ab),
});

const constant = (v: Value): HD => ({ v, a: null, b: null, ab: null });

/** |x| for exact differentiation (not a named function of the table; its kink at 0 is left to the numeric path). */
const ABS: ScalarFunction = { f: Math.abs, d1: Math.sign, d2: () => 0, kink: (x) => x === 0, entrywise: true };

/** A table function applied to a number or entrywise; refused outside its domain and at a kink that moves. */
function apply(f: ScalarFunction, x: HD): HD {
  const { d1, d2 } = f;
  if (!d1 || !d2) throw new Unsupported();
  const xs = entries(x.v);
  for (let i = 0; i < xs.length; i++) {
    const e = xs[i];
    if (Number.isNaN(e) || f.domain?.outside(e)) throw new Unsupported();
    // at a kink the derivative exists only when the entry does not move (all its tangents are exactly zero)
    if (f.kink?.(e) && PARTS.some((p) => num0(entryT(x[p], i)) !== 0)) throw new Unsupported();
  }
  return chain(x, mapv(x.v, f.f), mapv(x.v, d1), mapv(x.v, d2));
}

/** The largest (or smallest) of hyper-dual numbers; a tie between entries that move differently is a kink. */
function select(xs: HD[], max: boolean): HD {
  if (!xs.length || xs.some((x) => typeof x.v !== 'number' || Number.isNaN(x.v))) throw new Unsupported();
  let best = xs[0];
  for (const x of xs) if (max ? (x.v as number) > (best.v as number) : (x.v as number) < (best.v as number)) best = x;
  for (const x of xs) if (x !== best && x.v === best.v && PARTS.some((p) => num0(x[p]) !== num0(best[p]))) throw new Unsupported();
  return best;
}

function trace(t: Value): Value {
  if (typeof t === 'number') return t;
  const m = arr(t) as Mat;
  if (m.vec || !m.square) throw new Unsupported();
  let s = 0;
  for (let i = 0; i < m.r; i++) s += m.d[i * m.c + i];
  return s;
}

function sumAll(t: Value): Value {
  const xs = entries(t);
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i];
  return s;
}

function diagOf(t: Value): Value {
  const m = arr(t);
  if (typeof m === 'number') throw new Unsupported();
  if (m.vec) {
    const out = Mat.zeros(m.r, m.r);
    for (let i = 0; i < m.r; i++) out.d[i * m.r + i] = m.d[i];
    return out;
  }
  return Mat.vector(Array.from({ length: Math.min(m.r, m.c) }, (_, i) => m.d[i * m.c + i]));
}

/** det(A): d det = det·tr(A⁻¹dA), d² det = det·(tr(A⁻¹A_a)tr(A⁻¹A_b) − tr(A⁻¹A_a A⁻¹A_b) + tr(A⁻¹A_ab)). */
function determinant(x: HD): HD {
  if (typeof x.v === 'number') return x;
  const A = arr(x.v) as Mat;
  if (A.vec || !A.square) throw new Unsupported();
  const D = det(A);
  if (D === 0 || !Number.isFinite(D)) throw new Unsupported();
  const Ai = inv(A);
  const tr = (t: T): number => (t === null ? 0 : (trace(mul(Ai, t)) as number));
  const ta = tr(x.a);
  const tb = tr(x.b);
  const cross = x.a === null || x.b === null ? 0 : (trace(mul(mul(Ai, x.a), mul(Ai, x.b))) as number);
  const ab = x.ab === null && (x.a === null || x.b === null) ? null : D * (ta * tb - cross + tr(x.ab));
  return { v: D, a: x.a === null ? null : D * ta, b: x.b === null ? null : D * tb, ab };
}

/** A⁻¹: dV = −V dA V, d²V = −V A_ab V + V A_a V A_b V + V A_b V A_a V. */
function inverse(x: HD): HD {
  const V = inv(x.v);
  const d = (t: T): T => (t === null ? null : neg(mul(mul(V, t), V)));
  const a = d(x.a);
  const b = d(x.b);
  let ab = d(x.ab);
  const [xa, xb] = [x.a, x.b];
  if (xa !== null && xb !== null && a !== null && b !== null) ab = tadd(ab, neg(add(mul(mul(V, xa), b), mul(mul(V, xb), a), 1)));
  return { v: V, a, b, ab };
}

/** Integer power of a square matrix by repeated squaring, each product by the product rule. */
function matrixPower(x: HD, p: number): HD {
  const A = arr(x.v);
  if (typeof A === 'number' || A.vec || !A.square || !Number.isInteger(p) || Math.abs(p) > 1e6) throw new Unsupported();
  let base = p < 0 ? inverse(x) : x;
  let k = Math.abs(p);
  let acc: HD = constant(Mat.identity(A.r));
  while (k > 0) {
    if (k & 1) acc = product(acc, base, false);
    k >>= 1;
    if (k > 0) base = product(base, base, false);
  }
  return acc;
}

/**
 * The i-th largest eigenvalue (0-based) of a symmetric matrix whose tangents are symmetric, when it is simple:
 * λ_a = uᵀA_a u, λ_ab = uᵀA_ab u + 2 Σ_{k≠i} (u_kᵀA_a u)(u_kᵀA_b u)/(λ − λ_k). A repeated eigenvalue is a kink.
 */
function symmetricEigenvalue(x: HD, i: number): HD {
  const A = arr(x.v);
  if (typeof A === 'number') return x;
  if (A.vec || !A.square) throw new Unsupported();
  const n = A.r;
  let scale = 0;
  for (const e of A.d) scale = Math.max(scale, Math.abs(e));
  for (const t of [x.v, x.a, x.b, x.ab]) {
    if (t === null) continue;
    const m = arr(t);
    if (typeof m === 'number' || m.r !== n || m.c !== n || !symmetricWithin(m.d, n, 1e-13 * Math.max(1, scale))) throw new Unsupported();
  }
  const { values, vectors } = eigenSystem(A, 'λ', true);
  const lam = values[i];
  if (values.some((l, k) => k !== i && Math.abs(l - lam) <= 1e-8 * Math.max(1, scale))) throw new Unsupported();
  const V = vectors as Mat;
  const col = (k: number): Mat => Mat.vector(Array.from({ length: n }, (_, r) => V.d[r * n + k]));
  const u = col(i);
  const q = (t: Value, p: Mat): number => mul(transpose(p), mul(t, u)) as number;
  let ab: T = x.ab === null ? null : q(x.ab, u);
  if (x.a !== null && x.b !== null) {
    let s = 0;
    for (let k = 0; k < n; k++) if (k !== i) s += (q(x.a, col(k)) * q(x.b, col(k))) / (lam - values[k]);
    ab = num0(ab) + 2 * s;
  }
  return { v: lam, a: x.a === null ? null : q(x.a, u), b: x.b === null ? null : q(x.b, u), ab };
}

/** Node kinds whose meaning involves steps, draws or numeric derivatives: never differentiated exactly. */
const OPAQUE = new Set<Node['k']>(['grad', 'partial', 'E', 'agg', 'forall', 'measure', 'dist']);

type Reads = 'local' | 'global' | undefined;

export class ExactDiff {
  /** Per list of variable names (a function body is analysed once per set of varying parameters). */
  private readonly depMemo = new Map<string, Map<Node, boolean>>();
  private readonly readsMemo = new Map<string, Reads>();
  /** The values of `given` being differentiated (their tangents are set per pass); empty for a let-function. */
  readonly globals = new Map<string, HD>();

  constructor(private readonly prog: Program) {}

  /** True when `n` involves the parameters `names` of the function whose body it is in, or a differentiated given. */
  private dep(n: Node, names: readonly string[]): boolean {
    const namesKey = names.join('\u0000');
    let memo = this.depMemo.get(namesKey);
    if (!memo) this.depMemo.set(namesKey, (memo = new Map()));
    const hit = memo.get(n);
    if (hit !== undefined) return hit;
    const ref = this.prog.refs.get(n);
    // `\nabla F_j` defined in `let` is a name, not a derivative
    if (OPAQUE.has(n.k) && !(n.k === 'grad' && ref)) throw new Unsupported();
    let d = ref ? this.refDep(ref, n.k === 'sym' ? n.key : undefined, names) : false;
    const app = this.prog.appRefs.get(n);
    if (app && app.r === 'call') d = this.readsDep(app.key, names) || d;
    for (const c of children(n)) if (this.dep(c, names)) d = true;
    memo.set(n, d);
    return d;
  }

  /** Whether a resolved name involves the variables; `key` is the name as written (undefined: not a plain name). */
  private refDep(ref: Ref, key: string | undefined, names: readonly string[]): boolean {
    switch (ref.r) {
      case 'local':
        if (names.includes(ref.key)) {
          if (key !== ref.key) throw new Unsupported();
          return true;
        }
        // a differentiated given hidden by a local of the same name
        if (this.globals.has(ref.key)) throw new Unsupported();
        return false;
      case 'val':
        if (!this.globals.has(ref.key)) return false;
        if (key !== ref.key) throw new Unsupported();
        return true;
      case 'let':
        return this.readsDep(ref.key, names);
      case 'index': {
        for (const i of ref.idx) if (this.dep(i, names)) throw new Unsupported();
        const b = ref.base;
        return b.r === 'local' || b.r === 'val' || b.r === 'let' ? this.refDep(b, b.r === 'let' ? undefined : b.key, names) : false;
      }
      default:
        return false;
    }
  }

  /** A let or function that reads a variable: through a given (differentiated by inlining) or a captured local (refused). */
  private readsDep(key: string, names: readonly string[]): boolean {
    const r = this.reads(key, names);
    if (r === 'local') throw new Unsupported();
    return r === 'global';
  }

  /** Whether a let's definition (or a function's body) reads a free name among `names`, or a differentiated given. */
  private reads(key: string, names: readonly string[], seen = new Set<string>()): Reads {
    const memoKey = `${key}\u0000${names.join('\u0000')}`;
    if (this.readsMemo.has(memoKey)) return this.readsMemo.get(memoKey);
    if (seen.has(key)) return undefined;
    seen.add(key);
    const def = this.prog.lets.get(key);
    if (!def || !('expr' in def)) return undefined;
    const own = def.kind === 'func' ? def.params : def.kind === 'family' ? def.indices : [];
    const free = names.filter((x) => !own.includes(x));
    let out: Reads;
    const note = (r: Reads): void => {
      if (r === 'local' || (r === 'global' && out === undefined)) out = r;
    };
    const stack: Node[] = [def.expr, ...(def.kind === 'family' ? def.ranges.flat() : [])];
    while (stack.length && out !== 'local') {
      const node = stack.pop() as Node;
      const ref = this.prog.refs.get(node);
      if (ref) {
        const base = ref.r === 'index' ? ref.base : ref;
        if (ref.r === 'index') stack.push(...ref.idx);
        if (base.r === 'local' && free.includes(base.key)) note('local');
        if (base.r === 'val' && this.globals.has(base.key)) note('global');
        if (base.r === 'let') note(this.reads(base.key, free, seen));
      }
      const app = this.prog.appRefs.get(node);
      if (app && app.r === 'call') note(this.reads(app.key, free, seen));
      stack.push(...children(node));
    }
    this.readsMemo.set(memoKey, out);
    return out;
  }

  /** The hyper-dual value of a resolved name that involves the variables. */
  private refValue(ref: Ref, sc: Scope, env: Map<string, HD>): HD {
    const x = ref.r === 'local' ? env.get(ref.key) : ref.r === 'val' ? this.globals.get(ref.key) : undefined;
    if (x) return x;
    if (ref.r !== 'let') throw new Unsupported();
    // a parameterless let that reads a differentiated given: its definition, differentiated in place
    const def = this.prog.lets.get(ref.key);
    if (!def || def.kind !== 'value' || def.sqrtOf) throw new Unsupported();
    return this.ad(def.expr, sc, [], new Map());
  }

  /** The hyper-dual value of `n` in scope `sc`, where the parameters `names` carry the tangents of `env`. */
  ad(n: Node, sc: Scope, names: readonly string[], env: Map<string, HD>): HD {
    if (!this.dep(n, names)) return constant(ev(n, sc));
    sc.run.budget.poll();
    const sub = (m: Node): HD => this.ad(m, sc, names, env);
    switch (n.k) {
      case 'sym': {
        const ref = this.prog.refs.get(n);
        if (!ref) throw new Unsupported();
        if (ref.r !== 'index') return this.refValue(ref, sc, env);
        const idx = ref.idx.map((i) => ev(i, sc) as number);
        return linear(this.refValue(ref.base, sc, env), (t) => indexValue(t, idx, ref.idx, n));
      }
      case 'index': {
        if (n.idx.some((i) => this.dep(i, names))) throw new Unsupported();
        const idx = n.idx.map((i) => ev(i, sc) as number);
        return linear(sub(n.base), (t) => indexValue(t, idx, n.idx, n));
      }
      case 'bin':
        return this.binary(n, sc, names, env);
      case 'neg':
        return linear(sub(n.a), neg);
      case 'transpose':
        // `x^T` with T a number of steps is a power (the evaluator's reading); only a true transpose is linear
        if (n.pow) throw new Unsupported();
        return linear(sub(n.a), transpose);
      case 'abs': {
        // |x| of a number, the Euclidean length of a vector, |det A| of a square matrix (as the evaluator reads |·|)
        const x = sub(n.a);
        if (typeof x.v === 'number') return apply(ABS, x);
        const m = arr(x.v) as Mat;
        if (m.vec) return euclid(x);
        return apply(ABS, determinant(x));
      }
      case 'norm': {
        const x = sub(n.a);
        if (typeof x.v === 'number') return apply(ABS, x);
        const m = arr(x.v) as Mat;
        if (n.p === 'F' || (n.p === '2' && (m.vec || m.r === 1 || m.c === 1))) return euclid(x);
        if (m.vec && n.p === '1') return linear(apply(ABS, x), sumAll);
        if (m.vec && n.p === 'inf') {
          const a = apply(ABS, x);
          return select(Array.from({ length: m.d.length }, (_, i) => entryHD(a, i)), true);
        }
        throw new Unsupported();
      }
      case 'fn':
        return this.fn(n, sc, names, env);
      case 'ceil':
      case 'floor': {
        // piecewise constant: derivative 0 away from whole numbers (the value is the evaluator's)
        const x = sub(n.a);
        if (typeof x.v !== 'number' || Number.isNaN(x.v)) throw new Unsupported();
        if (Math.abs(x.v - Math.round(x.v)) <= 1e-12 * Math.max(1, Math.abs(x.v)) && PARTS.some((p) => num0(x[p]) !== 0)) throw new Unsupported();
        return constant(ev(n, sc));
      }
      case 'matrix': {
        const hs = n.rows.map((r) => r.map(sub));
        const zero = (v: Value): Value => (typeof v === 'number' ? 0 : Mat.zeros((v as Mat).r, (v as Mat).c, (v as Mat).vec));
        const part = (p: 'a' | 'b' | 'ab'): T => (hs.every((r) => r.every((h) => h[p] === null)) ? null : assembleMatrix(hs.map((r) => r.map((h) => h[p] ?? zero(h.v))), n));
        return { v: assembleMatrix(hs.map((r) => r.map((h) => h.v)), n), a: part('a'), b: part('b'), ab: part('ab') };
      }
      case 'tuple': {
        const hs = n.items.map(sub);
        if (hs.some((h) => typeof h.v !== 'number' || PARTS.some((p) => h[p] !== null && typeof h[p] !== 'number'))) throw new Unsupported();
        return gather(Mat.zeros(hs.length, 1, true), hs);
      }
      case 'app': {
        const ref = this.prog.appRefs.get(n);
        // `A(v)` read as a product
        if (ref && ref.r === 'mul' && n.args.length === 1) return product(sub(n.f), sub(n.args[0]), false);
        // \lambda_{\max}, \lambda_{\min}, \lambda_i and \lambda(A) of a symmetric matrix with simple eigenvalues
        if (ref && ((ref.r === 'builtin' && (ref.name === 'lambda_max' || ref.name === 'lambda_min')) || ref.r === 'eig') && n.args.length === 1) {
          const x = sub(n.args[0]);
          const size = typeof x.v === 'number' ? 1 : (arr(x.v) as Mat).r;
          if (ref.r === 'builtin') return symmetricEigenvalue(x, ref.name === 'lambda_max' ? 0 : size - 1);
          if (ref.idx) {
            if (this.dep(ref.idx, names)) throw new Unsupported();
            const k = ev(ref.idx, sc);
            if (typeof k !== 'number' || !Number.isInteger(k) || k < 1 || k > size) throw new Unsupported();
            return symmetricEigenvalue(x, k - 1);
          }
          if (typeof x.v === 'number') return x;
          return gather(Mat.zeros(size, 1, true), Array.from({ length: size }, (_, k) => symmetricEigenvalue(x, k)));
        }
        if (!ref || ref.r !== 'call') throw new Unsupported();
        const def = this.prog.lets.get(ref.key);
        if (!def || def.kind !== 'func' || def.params.length !== n.args.length) throw new Unsupported();
        // parameters whose argument does not involve the variables (an index j in F(j, v)) are plain values
        const args = n.args.map(sub);
        const local = sc.child();
        const inner = new Map<string, HD>();
        const varying: string[] = [];
        def.params.forEach((p, i) => {
          local.locals.set(p, args[i].v);
          if (!this.dep(n.args[i], names)) return;
          inner.set(p, args[i]);
          varying.push(p);
        });
        return this.ad(def.expr, local, varying, inner);
      }
      case 'sumprod': {
        if (names.includes(n.v) || this.globals.has(n.v) || this.dep(n.lo, names) || this.dep(n.hi, names)) throw new Unsupported();
        const lo = ev(n.lo, sc);
        const hi = ev(n.hi, sc);
        if (typeof lo !== 'number' || typeof hi !== 'number' || !Number.isInteger(lo) || !Number.isInteger(hi) || hi - lo > 1e6) throw new Unsupported();
        const local = sc.child();
        let acc: HD = constant(n.op === 'sum' ? 0 : 1);
        for (let i = lo; i <= hi; i++) {
          local.locals.set(n.v, i);
          const t = this.ad(n.body, local, names, env);
          acc = n.op === 'sum' ? { v: add(acc.v, t.v, 1), a: tadd(acc.a, t.a), b: tadd(acc.b, t.b), ab: tadd(acc.ab, t.ab) } : product(acc, t, false);
        }
        return acc;
      }
      default:
        throw new Unsupported();
    }
  }

  private binary(n: Node & { k: 'bin' }, sc: Scope, names: readonly string[], env: Map<string, HD>): HD {
    // ‖v‖² and ‖v‖_F² as the inner product of v with itself (smooth at v = 0, unlike ‖v‖)
    if (n.op === 'pow' && n.a.k === 'norm' && (n.a.p === '2' || n.a.p === 'F') && !this.dep(n.b, names) && ev(n.b, sc) === 2) {
      const u = this.ad(n.a.a, sc, names, env);
      const uv = u.v;
      if (typeof uv === 'number') return product(u, u, false);
      if (!(uv instanceof Mat) || (!uv.vec && n.a.p === '2')) throw new Unsupported();
      const f = linear(u, flat);
      return product(f, f, true);
    }
    const x = this.ad(n.a, sc, names, env);
    const y = this.ad(n.b, sc, names, env);
    switch (n.op) {
      case '+':
      case '-': {
        const s = n.op === '+' ? 1 : -1;
        return { v: add(x.v, y.v, s), a: tadd(x.a, y.a, s), b: tadd(x.b, y.b, s), ab: tadd(x.ab, y.ab, s) };
      }
      case '*':
      case 'dot':
        return product(x, y, n.op === 'dot');
      case '/': {
        if (typeof y.v !== 'number' || y.v === 0) throw new Unsupported();
        const yv = y.v;
        return product(x, chain(y, 1 / yv, -1 / (yv * yv), 2 / (yv * yv * yv)), false);
      }
      case 'pow': {
        if (typeof y.v !== 'number') throw new Unsupported();
        const p = y.v;
        if (y.a !== null || y.b !== null || y.ab !== null) {
          // x^y with a varying exponent: exp(y log x), for x > 0
          if (typeof x.v !== 'number' || !(x.v > 0)) throw new Unsupported();
          const lx = chain(x, Math.log(x.v), 1 / x.v, -1 / (x.v * x.v));
          const e = product(y, lx, false);
          const v = Math.pow(x.v, p);
          return chain(e, v, v, v);
        }
        if (typeof x.v !== 'number') return p === -1 ? inverse(x) : matrixPower(x, p);
        const b = x.v;
        if (b <= 0 && !Number.isInteger(p)) throw new Unsupported();
        if (b === 0 && p < 2) throw new Unsupported();
        return chain(x, Math.pow(b, p), p * Math.pow(b, p - 1), p * (p - 1) * Math.pow(b, p - 2));
      }
    }
    throw new Unsupported();
  }

  private fn(n: Node & { k: 'fn' }, sc: Scope, names: readonly string[], env: Map<string, HD>): HD {
    const name = n.name;
    const xs = n.args.map((a) => this.ad(a, sc, names, env));
    if (name === 'clip') {
      // clip(x, lo, hi) = min(hi, max(lo, x)) on numbers
      if (xs.length !== 3) throw new Unsupported();
      return select([xs[2], select([xs[1], xs[0]], true)], false);
    }
    if (name === 'max' || name === 'min') {
      const max = name === 'max';
      // \max(0, v) of a number and a vector or matrix is entrywise (ReLU), as in the evaluator
      const m = xs.find((x) => x.v instanceof Mat);
      const c = xs.find((x) => typeof x.v === 'number');
      if (xs.length === 2 && m && c) {
        const M = m.v as Mat;
        return gather(M, Array.from({ length: M.d.length }, (_, i) => select([entryHD(m, i), c], max)));
      }
      // otherwise over all entries of all arguments
      const all: HD[] = [];
      for (const x of xs) for (let i = 0; i < entries(x.v).length; i++) all.push(typeof x.v === 'number' ? x : entryHD(x, i));
      return select(all, max);
    }
    if (xs.length !== 1) throw new Unsupported();
    const x = xs[0];
    switch (name) {
      case 'tr':
        if (typeof x.v === 'number') throw new Unsupported();
        return linear(x, trace);
      case 'det':
        return determinant(x);
      case 'diag':
        return linear(x, diagOf);
      case 'sumall':
        return linear(x, sumAll);
      case 'mean':
        return linear(x, (t) => (sumAll(t) as number) / entries(x.v).length);
      case 'var': {
        // the mean square of the centred entries (centring is linear)
        const count = entries(x.v).length;
        const centred = linear(x, (t) => {
          const m = (sumAll(t) as number) / count;
          return typeof t === 'number' ? 0 : new Mat(count, 1, (arr(t) as Mat).d.map((e) => e - m), true);
        });
        const sq = typeof centred.v === 'number' ? product(centred, centred, false) : product(centred, centred, true);
        return linear(sq, (t) => (t as number) / count);
      }
    }
    const f = scalarFunction(name);
    if (!f) throw new Unsupported();
    if (x.v instanceof Mat && (!f.entrywise || n.base || (name === 'exp' && !x.v.vec && x.v.square))) throw new Unsupported();
    if (n.base) {
      // \log_b x = log x / log b, with a base that does not involve the variables
      if ((name !== 'log' && name !== 'ln') || this.dep(n.base, names)) throw new Unsupported();
      const b = ev(n.base, sc);
      if (typeof b !== 'number' || !(b > 0) || b === 1) throw new Unsupported();
      return linear(apply(f, x), (t) => (t as number) / Math.log(b));
    }
    return apply(f, x);
  }
}

const flat = (t: Value): Value => new Mat((t as Mat).d.length, 1, (t as Mat).d, true);

/** ‖u‖ over all entries (Euclidean / Frobenius); ‖0‖ is a kink. */
function euclid(u: HD): HD {
  const f = linear(u, flat);
  const s = product(f, f, true);
  if (s.v === 0) throw new Unsupported();
  return apply(scalarFunction('sqrt') as ScalarFunction, s);
}

/** A flat coordinate of the arguments: unit tangent of the argument it falls in. */
function seed(args: Value[], idx: number[], coord: number | undefined): T[] {
  const out: T[] = args.map(() => null);
  if (coord === undefined) return out;
  let o = 0;
  for (const i of idx) {
    const v = args[i];
    const size = typeof v === 'number' ? 1 : (v as Mat).d.length;
    if (coord < o + size) {
      if (typeof v === 'number') out[i] = 1;
      else {
        const m = v as Mat;
        const d = new Float64Array(m.d.length);
        d[coord - o] = 1;
        out[i] = new Mat(m.r, m.c, d, m.vec);
      }
      return out;
    }
    o += size;
  }
  throw new Unsupported();
}

function scalarOf(t: T): number {
  if (t === null) return 0;
  if (typeof t === 'number') return t;
  if (t instanceof Mat && t.d.length === 1) return t.d[0];
  throw new Unsupported();
}

/**
 * Gradient (k entries) or Hessian (k×k, row-major, one pass per upper-triangle entry) from hyper-dual passes; each
 * pass's value must equal `f0`, the evaluator's value at the point (a rule that computed another value is refused).
 */
function derive(k: number, order: 1 | 2, f0: number, pass: (i: number, j: number | undefined) => HD): Float64Array {
  const run = (i: number, j: number | undefined): HD => {
    const r = pass(i, j);
    const v = scalarOf(r.v);
    if (!(Math.abs(v - f0) <= 1e-9 * Math.max(1, Math.abs(f0)))) throw new Unsupported();
    return r;
  };
  const out = new Float64Array(order === 1 ? k : k * k);
  for (let i = 0; i < k; i++) {
    if (order === 1) out[i] = scalarOf(run(i, undefined).a);
    else
      for (let j = i; j < k; j++) {
        const h = scalarOf(run(i, j).ab);
        out[i * k + j] = h;
        out[j * k + i] = h;
      }
  }
  if (!out.every(Number.isFinite)) throw new Unsupported();
  return out;
}

/**
 * Exact gradient (order 1: k entries) or Hessian (order 2: k×k, row-major) of the let-function `key` at `args`
 * (where the evaluator gives `f0`), with respect to the flat coordinates of the arguments `idx`; throws
 * Unsupported when a rule is missing.
 */
export function exactDerivative(key: string, args: Value[], idx: number[], k: number, order: 1 | 2, f0: number, sc: Scope): Float64Array {
  const prog = sc.run.prog;
  const def = prog.lets.get(key);
  if (!def || def.kind !== 'func') throw new Unsupported();
  const x = new ExactDiff(prog);
  // only the differentiated parameters are variables; the others are plain values
  const names = idx.map((q) => def.params[q]);
  return derive(k, order, f0, (i, j) => {
    const ta = seed(args, idx, i);
    const tb = seed(args, idx, j);
    const local = sc.child();
    const env = new Map<string, HD>();
    def.params.forEach((p, q) => {
      local.locals.set(p, args[q]);
      if (idx.includes(q)) env.set(p, { v: args[q], a: ta[q], b: tb[q], ab: null });
    });
    return x.ad(def.expr, local, names, env);
  });
}

/**
 * Exact gradient or Hessian of an expression (or a parameterless let, through its definition) with respect to the
 * scalar givens `vars` at `x0` (where the evaluator gives `f0`); throws Unsupported when a rule is missing.
 */
export function exactValueDerivative(expr: Node, vars: string[], x0: number[], order: 1 | 2, f0: number, sc: Scope): Float64Array {
  const x = new ExactDiff(sc.run.prog);
  return derive(vars.length, order, f0, (i, j) => {
    vars.forEach((v, q) => x.globals.set(v, { v: x0[q], a: q === i ? 1 : null, b: q === j ? 1 : null, ab: null }));
    return x.ad(expr, sc, [], new Map());
  });
}
