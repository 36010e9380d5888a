// Exact derivatives of `let` functions: forward mode on the check AST with hyper-dual numbers (a value, two
// tangents and their mixed second-order part), so ∇f is exact to rounding and ∇²f takes one pass per entry.
// Subexpressions that do not involve the function's parameters are computed by the normal evaluator; every rule
// here covers sums, differences, products (scalar, matrix, inner), quotients by numbers, powers with a constant
// exponent, ‖v‖², transposes, \sum over an index, let-functions called inside (inlined) and the functions of the
// scalar-function table that carry derivatives. Anything else throws `Unsupported`, and the caller falls back to
// difference quotients: an exact derivative is never guessed.
import type { Node } from '../parser/ast';
import { children } from '../parser/visit';
import { Mat, add, mul, neg, scale, transpose, type Value } from '../linalg/values';
import type { Program, Scope } from '../evaluation/scope';
import { ev, scalarFn } from '../evaluation/evaluate';
import { scalarFunction } from '../functions';

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

/** Entrywise product (numbers or same-shape matrices). */
function had(x: Value, y: T): T {
  if (y === null) return null;
  if (typeof x === 'number') return typeof y === 'number' ? x * y : scale(arr(y) as Mat, x);
  const m = arr(x) as Mat;
  const o = arr(y);
  if (typeof o === 'number' || o.d.length !== m.d.length) throw new Unsupported();
  return new Mat(m.r, m.c, m.d.map((v, i) => v * o.d[i]), m.vec);
}

function mapv(x: Value, g: (v: number) => number): Value {
  if (typeof x === 'number') return g(x);
  const m = arr(x) as Mat;
  return new Mat(m.r, m.c, m.d.map(g), m.vec);
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

/** Node kinds whose meaning involves steps, draws or numeric derivatives: never differentiated exactly. */
const OPAQUE = new Set<Node['k']>(['grad', 'partial', 'E', 'agg', 'forall', 'measure', 'dist']);

export class ExactDiff {
  private readonly depMemo = new Map<Node, boolean>();
  private readonly letMemo = new Map<string, boolean>();

  constructor(private readonly prog: Program) {}

  /** True when `n` involves the parameters `names` of the function whose body it is in. */
  private dep(n: Node, names: readonly string[]): boolean {
    const hit = this.depMemo.get(n);
    if (hit !== undefined) return hit;
    const ref = this.prog.refs.get(n);
    // `\nabla F_j` defined in `let` is a name, not a derivative
    if (OPAQUE.has(n.k) && !(n.k === 'grad' && ref)) throw new Unsupported();
    let d = false;
    if (ref) {
      if (ref.r === 'local' && names.includes(ref.key)) {
        if (n.k !== 'sym' || n.key !== ref.key) throw new Unsupported();
        d = true;
      }
      if (ref.r === 'index' && ref.base.r === 'local' && names.includes(ref.base.key)) throw new Unsupported();
      if (ref.r === 'let' && this.letMentions(ref.key, names)) throw new Unsupported();
      if (ref.r === 'index' && ref.base.r === 'let' && this.letMentions(ref.base.key, names)) throw new Unsupported();
    }
    const app = this.prog.appRefs.get(n);
    if (app && app.r === 'call' && this.letMentions(app.key, names)) throw new Unsupported();
    for (const c of children(n)) if (this.dep(c, names)) d = true;
    this.depMemo.set(n, d);
    return d;
  }

  /** Whether a let's definition (or a function's body, through its free names) reads any of `names` lexically. */
  private letMentions(key: string, names: readonly string[], seen = new Set<string>()): boolean {
    const memoKey = `${key}\u0000${names.join('\u0000')}`;
    const memo = this.letMemo.get(memoKey);
    if (memo !== undefined) return memo;
    if (seen.has(key)) return false;
    seen.add(key);
    const def = this.prog.lets.get(key);
    if (!def || !('expr' in def)) return false;
    const own = def.kind === 'func' ? def.params : def.kind === 'family' ? def.indices : [];
    const free = names.filter((x) => !own.includes(x));
    let found = false;
    const stack: Node[] = [def.expr, ...(def.kind === 'family' ? def.ranges.flat() : [])];
    while (stack.length && !found) {
      const node = stack.pop() as Node;
      const ref = this.prog.refs.get(node);
      if (ref) {
        const base = ref.r === 'index' ? ref.base : ref;
        if (base.r === 'local' && free.includes(base.key)) found = true;
        if (base.r === 'let' && this.letMentions(base.key, free, seen)) found = true;
      }
      const app = this.prog.appRefs.get(node);
      if (app && app.r === 'call' && this.letMentions(app.key, free, seen)) found = true;
      stack.push(...children(node));
    }
    this.letMemo.set(memoKey, found);
    return found;
  }

  /** The hyper-dual value of `n` in scope `sc`, where the parameters `names` carry the tangents of `env`. */
  ad(n: Node, sc: Scope, names: readonly string[], env: Map<string, HD>): HD {
    if (!this.dep(n, names)) return { v: ev(n, sc), a: null, b: null, ab: null };
    sc.run.budget.poll();
    switch (n.k) {
      case 'sym': {
        const x = env.get(n.key);
        if (!x) throw new Unsupported();
        return x;
      }
      case 'bin': {
        // ‖v‖² and ‖v‖_F² as the inner product of v with itself
        if (n.op === 'pow' && n.a.k === 'norm' && (n.a.p === '2' || n.a.p === 'F') && !this.dep(n.b, names) && ev(n.b, sc) === 2) {
          const u = this.ad(n.a.a, sc, names, env);
          const uv = u.v;
          if (typeof uv === 'number') return product(u, u, false);
          if (!(uv instanceof Mat) || (!uv.vec && n.a.p === '2')) throw new Unsupported();
          const flat = (t: Value): Value => new Mat((t as Mat).d.length, 1, (t as Mat).d, true);
          const f = linear(u, flat);
          return product(f, f, true);
        }
        const x = this.ad(n.a, sc, names, env);
        const y = this.ad(n.b, sc, names, env);
        switch (n.op) {
          case '+':
          case '-': {
            const s = n.op === '+' ? 1 : -1;
            return { v: add(arr(x.v), arr(y.v), s), a: tadd(x.a, y.a, s), b: tadd(x.b, y.b, s), ab: tadd(x.ab, y.ab, s) };
          }
          case '*':
          case 'dot':
            arr(x.v);
            arr(y.v);
            return product(x, y, n.op === 'dot');
          case '/': {
            if (typeof y.v !== 'number') throw new Unsupported();
            const yv = y.v;
            if (yv === 0) throw new Unsupported();
            const r = chain(y, 1 / yv, -1 / (yv * yv), 2 / (yv * yv * yv));
            arr(x.v);
            return product(x, r, false);
          }
          case 'pow': {
            if (y.a !== null || y.b !== null || y.ab !== null || typeof y.v !== 'number') throw new Unsupported();
            const p = y.v;
            if (typeof x.v !== 'number') throw new Unsupported();
            const b = x.v;
            if (b <= 0 && !Number.isInteger(p)) throw new Unsupported();
            if (b === 0 && p < 2) throw new Unsupported();
            return chain(x, Math.pow(b, p), p * Math.pow(b, p - 1), p * (p - 1) * Math.pow(b, p - 2));
          }
        }
        throw new Unsupported();
      }
      case 'neg':
        return linear(this.ad(n.a, sc, names, env), neg);
      case 'transpose':
        if (n.pow) throw new Unsupported();
        return linear(this.ad(n.a, sc, names, env), transpose);
      case 'fn': {
        const f = scalarFunction(n.name);
        if (!f || !f.d1 || !f.d2 || n.args.length !== 1 || n.base) throw new Unsupported();
        const x = this.ad(n.args[0], sc, names, env);
        const xv = x.v;
        if (xv instanceof Mat) {
          if (!f.entrywise || (f.domain && xv.d.some((e) => f.domain?.outside(e)))) throw new Unsupported();
        } else if (typeof xv === 'number') {
          scalarFn(n.name, xv, n, sc);
        } else throw new Unsupported();
        const d1 = f.d1;
        const d2 = f.d2;
        return chain(x, mapv(xv, f.f), mapv(xv, d1), mapv(xv, d2));
      }
      case 'app': {
        const ref = this.prog.appRefs.get(n);
        if (!ref || ref.r !== 'call') throw new Unsupported();
        const def = this.prog.lets.get(ref.key);
        if (!def || def.kind !== 'func' || def.params.length !== n.args.length) throw new Unsupported();
        const args = n.args.map((a) => this.ad(a, sc, names, env));
        const local = sc.child();
        const inner = new Map<string, HD>();
        def.params.forEach((p, i) => {
          local.locals.set(p, args[i].v);
          inner.set(p, args[i]);
        });
        return this.ad(def.expr, local, def.params, inner);
      }
      case 'sumprod': {
        if (n.op !== 'sum' || names.includes(n.v)) throw new Unsupported();
        const lo = ev(n.lo, sc);
        const hi = ev(n.hi, sc);
        if (typeof lo !== 'number' || typeof hi !== 'number' || !Number.isInteger(lo) || !Number.isInteger(hi) || hi - lo > 1e6) throw new Unsupported();
        const local = sc.child();
        let acc: HD | undefined;
        for (let i = lo; i <= hi; i++) {
          local.locals.set(n.v, i);
          const t = this.ad(n.body, local, names, env);
          acc = acc ? { v: add(arr(acc.v), arr(t.v), 1), a: tadd(acc.a, t.a), b: tadd(acc.b, t.b), ab: tadd(acc.ab, t.ab) } : t;
        }
        if (!acc) throw new Unsupported();
        return acc;
      }
      default:
        throw new Unsupported();
    }
  }
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
 * Exact gradient (order 1: k entries) or Hessian (order 2: k×k, row-major) of the let-function `key` at `args`,
 * with respect to the flat coordinates of the arguments `idx`; throws Unsupported when a rule is missing.
 */
export function exactDerivative(key: string, args: Value[], idx: number[], k: number, order: 1 | 2, sc: Scope): Float64Array {
  const prog = sc.run.prog;
  const def = prog.lets.get(key);
  if (!def || def.kind !== 'func') throw new Unsupported();
  const x = new ExactDiff(prog);
  const pass = (i: number, j: number | undefined): HD => {
    const ta = seed(args, idx, i);
    const tb = seed(args, idx, j);
    const local = sc.child();
    const env = new Map<string, HD>();
    def.params.forEach((p, q) => {
      local.locals.set(p, args[q]);
      env.set(p, { v: args[q], a: ta[q], b: tb[q], ab: null });
    });
    const r = x.ad(def.expr, local, def.params, env);
    if (typeof r.v !== 'number' && !(r.v instanceof Mat && r.v.d.length === 1)) throw new Unsupported();
    return r;
  };
  const out = new Float64Array(order === 1 ? k : k * k);
  for (let i = 0; i < k; i++) {
    if (order === 1) out[i] = scalarOf(pass(i, undefined).a);
    else
      for (let j = i; j < k; j++) {
        const h = scalarOf(pass(i, j).ab);
        out[i * k + j] = h;
        out[j * k + i] = h;
      }
  }
  if (!out.every(Number.isFinite)) throw new Unsupported();
  return out;
}
