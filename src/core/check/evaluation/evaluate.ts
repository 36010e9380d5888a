// Name resolution and evaluation of check expressions. Names are resolved once per program (`link`), so the
// inner loops of an iterate only do map look-ups and arithmetic.
import type { Binding, Node } from '../parser/ast';
import type { FastEnv } from '../kernels/entry';
import { fillFamily } from '../kernels/fastfamily';
import { scalarFunction } from '../functions';
import { indexAdvice, operandText } from '../hints';
import { CheckError, ShapeError, UndecidedError, UndefinedError } from '../errors';
import { Eye, FiniteSet, IntervalSet, Mat, add, demote, describe, frobenius, inv, matPow, mul, neg, requireSquare, scale, transpose, type Value } from '../linalg/values';
import { det, norm2, extremeEigenvalue, singularValues, spectralRadius } from '../linalg/decompose';
import { eigenSystem } from '../linalg/eigenvectors';
import { MAX_ENTRIES, type Ref, Scope, StopError } from './scope';
import { fmt, fmtCount, short } from './format';
import { sweepFree } from './sweepfree';

// ------------------------------------------------------------------ evaluation

export function at(n: { s: number; e: number }, f: () => Value, operands?: { a: Value; b: Value; sc: Scope }): Value {
  try {
    return f();
  } catch (e) {
    if (e instanceof ShapeError) throw new CheckError(e.message + (operands ? describeOperands(n as Node & { k: 'bin' }, operands) : ''), n.s, n.e);
    if (e instanceof UndefinedError && e.start < 0) throw new UndefinedError(e.message, n.s, n.e);
    throw e;
  }
}

/** Both operands of a failed operation, named, with a hint when an iterated variable starts at the number 0. */
function describeOperands(n: Node & { k: 'bin' }, o: { a: Value; b: Value; sc: Scope }): string {
  const prog = o.sc.run.prog;
  const starts = prog.stateBases
    .map((base) => ({ base, key: `${base}_0`, g: prog.givens.find((g) => g.key === `${base}_{0}` || g.key === `${base}_0`) }))
    .filter((x) => x.g && x.g.kind === 'value' && x.g.expr.k === 'num' && x.g.expr.v === 0);
  return operandText(n, o.a, o.b, prog.src, starts);
}

export function num(v: Value, n: { s: number; e: number }, what = 'a number'): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v instanceof Mat && v.r === 1 && v.c === 1) return v.d[0];
  throw new CheckError(`expected ${what}, got ${describe(v)}`, n.s, n.e);
}

export function bool(v: Value, n: { s: number; e: number }): boolean {
  if (typeof v === 'boolean') return v;
  throw new CheckError(`expected a statement (true/false), got ${describe(v)}`, n.s, n.e);
}

function checkFinite(x: number, n: Node, sc: Scope): number {
  if (Number.isNaN(x)) throw new UndefinedError(`\`${sc.run.prog.src(n.s, n.e)}\` is not a number (NaN)`, n.s, n.e);
  return x;
}

function snapInt(x: number): number {
  const r = Math.round(x);
  return Math.abs(x - r) <= 1e-12 * Math.max(1, Math.abs(x)) ? r : x;
}

/** A scalar function of one number (functions.ts) at x, with the domain error located at `n`. */
export function scalarFn(name: string, x: number, n: Node, sc: Scope): number {
  const fn = scalarFunction(name);
  if (!fn) throw new CheckError(`\`${name}\` is not a function of a number`, n.s, n.e);
  if (fn.domain?.outside(x)) throw new UndefinedError(`${fn.domain.why(x, fmt)} in \`${sc.run.prog.src(n.s, n.e)}\``, n.s, n.e);
  return fn.f(x);
}

function pow(a: Value, b: Value, n: Node & { k: 'bin' }, sc: Scope): Value {
  if (typeof a === 'number' && typeof b === 'number') {
    if (a < 0 && !Number.isInteger(b)) throw new UndefinedError(`non-integer power of a negative number (${fmt(a)}^${fmt(b)}) in \`${sc.run.prog.src(n.s, n.e)}\``, n.s, n.e);
    if (a === 0 && b < 0) throw new UndefinedError(`division by zero (0^${fmt(b)}) in \`${sc.run.prog.src(n.s, n.e)}\``, n.s, n.e);
    return Math.pow(a, b);
  }
  if (typeof b === 'number' && (a instanceof Mat || a instanceof Eye)) {
    if (a instanceof Eye) return new Eye(Math.pow(a.s, b));
    if (!Number.isInteger(b)) throw new CheckError(`a matrix power must be an integer, got ${fmt(b)}`, n.b.s, n.b.e);
    if (a.vec) throw new CheckError(`cannot raise ${describe(a)} to a power (use \\|x\\|^2 or x^\\top x)`, n.s, n.e);
    const m = requireSquare(a, 'a matrix power');
    if (b < 0) {
      const iv = inv(m);
      return demote(matPow(iv as Mat, -b));
    }
    return demote(matPow(m, b));
  }
  throw new CheckError(`cannot raise ${describe(a)} to the power ${describe(b)}`, n.s, n.e);
}

function toIndex(v: Value, n: Node, size: number, what: string): number {
  const x = num(v, n, 'an index');
  if (!Number.isInteger(x) || x < 1 || x > size) throw new CheckError(`index ${fmt(x)} is outside 1…${size} of ${what}${indexAdvice(what, size)}`, n.s, n.e);
  return x - 1;
}

export function indexValue(base: Value, idx: number[], nodes: Node[], n: Node): Value {
  if (!(base instanceof Mat)) throw new CheckError(`cannot index ${describe(base)}: an index picks an entry of a vector or a row of a matrix; for a separate name such as a_1, define it in \`given\``, n.s, n.e);
  if (base.vec) {
    if (idx.length !== 1) throw new CheckError(`a vector takes one index, got ${idx.length}`, n.s, n.e);
    return base.d[toIndex(idx[0], nodes[0], base.r, describe(base))];
  }
  if (idx.length === 1) {
    // row i of a matrix, as a vector (a view: values are never changed in place)
    const i = toIndex(idx[0], nodes[0], base.r, describe(base));
    return new Mat(base.c, 1, base.d.subarray(i * base.c, (i + 1) * base.c), true);
  }
  if (idx.length === 2) {
    const i = toIndex(idx[0], nodes[0], base.r, describe(base));
    const j = toIndex(idx[1], nodes[1], base.c, describe(base));
    return base.d[i * base.c + j];
  }
  throw new CheckError(`too many indices (${idx.length})`, n.s, n.e);
}

export function evalLet(key: string, sc: Scope, n: { s: number; e: number }): Value {
  const prog = sc.run.prog;
  const def = prog.lets.get(key);
  if (!def) throw new CheckError(`unknown definition \`${key}\``, n.s, n.e);
  const dynamic = prog.dynamicLets.has(key);
  // Cache on the nearest scope that holds values (or the iterate state, for lets that change with t); a let that
  // does not depend on the swept value is cached above the sweep point, once per trial.
  const sweepKey = prog.sweep?.key;
  const above = !dynamic && sweepKey !== undefined && sweepFree(key, prog);
  let owner: Scope = sc;
  while (owner.parent && (owner.vals.size === 0 || (above && owner.vals.size === 1 && owner.vals.has(sweepKey))) && !(dynamic && owner.state)) owner = owner.parent;
  const cached = owner.letCache.get(key);
  if (cached !== undefined) return cached;
  let v: Value;
  if (def.kind === 'value') v = ev(def.expr, sc);
  else if (def.kind === 'family') v = buildFamily(def, sc);
  else throw new CheckError(`\`${def.display}\` is a function: call it with arguments`, n.s, n.e);
  if (def.kind === 'value' && def.sqrtOf) v = sqrtValue(v, def.expr, sc);
  owner.letCache.set(key, v);
  return v;
}

function sqrtValue(v: Value, n: Node, sc: Scope): Value {
  return scalarFn('sqrt', num(v, n), n, sc);
}

function buildFamily(def: Binding & { kind: 'family' }, sc: Scope): Value {
  const sizes = def.ranges.map(([lo, hi]) => {
    const a = num(ev(lo, sc), lo);
    const b = num(ev(hi, sc), hi);
    if (!Number.isInteger(a) || !Number.isInteger(b)) throw new CheckError('index ranges must be whole numbers', lo.s, hi.e);
    if (b < a) throw new CheckError(`empty index range ${a}, …, ${b}`, lo.s, hi.e);
    return [a, b - a + 1];
  });
  const total = sizes.reduce((p, [, c]) => p * c, 1);
  if (total > MAX_ENTRIES) {
    throw new CheckError(`\`${def.display}\` would have ${fmtCount(total)} entries; the limit is 2·10^7`, def.ranges[0][1].s, def.ranges[def.ranges.length - 1][1].e);
  }
  const local = sc.child();
  const budget = sc.run.budget;
  if (def.indices.length === 1) {
    const [a, count] = sizes[0];
    let out: Float64Array | undefined;
    let width = 1;
    let vec = true;
    for (let k = 0; k < count; k++) {
      budget.poll();
      local.locals.set(def.indices[0], a + k);
      const v = ev(def.expr, local);
      if (typeof v === 'number') {
        if (!out) out = new Float64Array(count);
        out[k] = v;
      } else if (v instanceof Mat && (v.vec || v.r === 1)) {
        if (!out) {
          width = v.d.length;
          if (count * width > MAX_ENTRIES) throw new CheckError(`\`${def.display}\` would have ${fmtCount(count * width)} entries; the limit is 2·10^7`, def.s, def.e);
          out = new Float64Array(count * width);
          vec = false;
        }
        if (v.d.length !== width) throw new CheckError(`the entries of \`${def.display}\` have different sizes`, def.expr.s, def.expr.e);
        out.set(v.d, k * width);
      } else throw new CheckError(`an indexed definition needs numbers or vectors, got ${describe(v)}`, def.expr.s, def.expr.e);
    }
    return new Mat(count, vec ? 1 : width, out ?? new Float64Array(0), vec);
  }
  if (def.indices.length === 2) {
    const [a, rows] = sizes[0];
    const [b, cols] = sizes[1];
    const fast = fastFamily(def, local, a, rows, b, cols);
    if (fast) return demote(new Mat(rows, cols, fast, false));
    const out = new Float64Array(rows * cols);
    for (let i = 0; i < rows; i++) {
      budget.check();
      budget.progress(i / rows, `building ${def.display}`);
      local.locals.set(def.indices[0], a + i);
      for (let j = 0; j < cols; j++) {
        local.locals.set(def.indices[1], b + j);
        out[i * cols + j] = num(ev(def.expr, local), def.expr);
      }
    }
    return demote(new Mat(rows, cols, out, false));
  }
  throw new CheckError('indexed definitions take one or two indices', def.nameS, def.nameE);
}

/**
 * The two-index family through compiled row kernels (see fastfamily.ts); undefined when the entry expression is
 * outside the compiled subset or a problem occurred (the interpreter then recomputes and reports it).
 */
function fastFamily(def: Binding & { kind: 'family' }, local: Scope, a: number, rows: number, b: number, cols: number): Float64Array | undefined {
  const prog = local.run.prog;
  const [ki, kj] = def.indices;
  const env: FastEnv = {
    slotOf(n) {
      const ref = prog.refs.get(n);
      if (!ref || ref.r !== 'local') return undefined;
      return ref.key === ki ? 0 : ref.key === kj ? 1 : undefined;
    },
    constSym(n) {
      const ref = prog.refs.get(n);
      if (!ref) return undefined;
      if (ref.r === 'val' || ref.r === 'let' || ref.r === 'const') return evalRef(ref, local, n);
      if (ref.r === 'local' && ref.key !== ki && ref.key !== kj) return lookupLocal(local, ref.key);
      return undefined;
    },
    indexedSym(n) {
      const ref = prog.refs.get(n);
      if (!ref || ref.r !== 'index') return undefined;
      const base = evalRefConst(ref.base);
      return base === undefined ? undefined : { base, idx: ref.idx };
    },
    isStatic: (n) => prog.staticNodes.has(n),
  };
  function evalRefConst(ref: Ref): Value | undefined {
    if (ref.r === 'val' || ref.r === 'let' || ref.r === 'const') return evalRef(ref, local, def.expr);
    return undefined;
  }
  const budget = local.run.budget;
  try {
    return fillFamily(def.expr, env, a, rows, b, cols, (i) => {
      budget.check();
      budget.progress(i / rows, `building ${def.display}`);
    });
  } catch (e) {
    if (e instanceof StopError) throw e;
    return undefined;
  }
}

export function callFunc(key: string, args: Value[], sc: Scope, n: Node): Value {
  const def = sc.run.prog.lets.get(key);
  if (!def || def.kind !== 'func') throw new CheckError(`\`${key}\` is not a function`, n.s, n.e);
  const local = sc.child();
  def.params.forEach((p, i) => local.locals.set(p, args[i]));
  const x = args[0];
  if (def.params.length !== 1 || !(x instanceof Mat)) return ev(def.expr, local);
  try {
    return ev(def.expr, local);
  } catch (e) {
    // A function written for numbers (`\sigma(z) = \frac{1}{1 + e^{-z}}`) applied to a vector or matrix acts
    // entrywise, as \tanh and \exp do; when it does not give a number for each entry, the first error stands.
    if (!(e instanceof CheckError) || e instanceof UndecidedError) throw e;
    const out = new Float64Array(x.d.length);
    for (let i = 0; i < x.d.length; i++) {
      let v: Value;
      try {
        v = callFunc(key, [x.d[i]], sc, n);
      } catch {
        throw e;
      }
      if (typeof v !== 'number') throw e;
      out[i] = v;
    }
    return new Mat(x.r, x.c, out, x.vec);
  }
}

function lookupLocal(sc: Scope, key: string): Value | undefined {
  let s: Scope | undefined = sc;
  while (s) {
    const v = s.locals.get(key);
    if (v !== undefined) return v;
    s = s.parent;
  }
  return undefined;
}

function lookupState(sc: Scope, base: string, next: boolean, n: Node): Value {
  let s: Scope | undefined = sc;
  while (s) {
    const m = next ? s.next : s.state;
    if (m) {
      const v = m.get(base);
      if (v !== undefined) return v;
      if (next) throw new CheckError(`\`${sc.run.prog.src(n.s, n.e)}\` is used before it is computed (circular updates)`, n.s, n.e);
    }
    s = s.parent;
  }
  throw new CheckError(`\`${sc.run.prog.src(n.s, n.e)}\` is only known while iterating`, n.s, n.e);
}

function lookupStateScope(sc: Scope): Scope | undefined {
  let s: Scope | undefined = sc;
  while (s) {
    if (s.state) return s;
    s = s.parent;
  }
  return undefined;
}

export function evalRef(ref: Ref, sc: Scope, n: Node): Value {
  switch (ref.r) {
    case 'val': {
      const v = sc.lookup(ref.key);
      if (v === undefined) throw new CheckError(`\`${sc.run.prog.src(n.s, n.e)}\` has no value here`, n.s, n.e);
      return v;
    }
    case 'local': {
      const v = lookupLocal(sc, ref.key);
      if (v === undefined) throw new CheckError(`\`${ref.key}\` has no value here`, n.s, n.e);
      return v;
    }
    case 'let':
      return evalLet(ref.key, sc, n);
    case 'state':
      return lookupState(sc, ref.base, ref.next, n);
    case 'time': {
      const s = lookupStateScope(sc);
      if (!s) throw new CheckError('the step counter is only known while iterating', n.s, n.e);
      return s.t;
    }
    case 'perstep': {
      let s: Scope | undefined = sc;
      while (s) {
        const v = s.perStepVals?.get(ref.base);
        if (v !== undefined) return v;
        s = s.parent;
      }
      throw new CheckError('fresh draws are only known while iterating', n.s, n.e);
    }
    case 'index': {
      const base = evalRef(ref.base, sc, n);
      if (ref.idx.length === 1) return indexValue(base, [ev(ref.idx[0], sc) as number], ref.idx, n);
      const idx = ref.idx.map((x) => ev(x, sc));
      return indexValue(base, idx as number[], ref.idx, n);
    }
    case 'T': {
      const eps = num(ev(ref.eps, sc), ref.eps, 'ε');
      if (!(eps > 0 && eps < 1)) throw new CheckError(`ε must lie in (0, 1), got ${fmt(eps)}`, ref.eps.s, ref.eps.e);
      return sc.run.steps.T(eps, ref.of, sc, n);
    }
    case 'limit':
      return sc.run.steps.limit(ref.base, sc, n);
    case 'atStep': {
      const k = num(ev(ref.step, sc), ref.step, 'a step number');
      if (!Number.isInteger(k) || k < 0 || k > 10_000_000) throw new CheckError(`a step number is a whole number from 0 to 10^7, got ${fmt(k)}`, ref.step.s, ref.step.e);
      return sc.run.steps.atStep(ref.base, k, sc, n);
    }
    case 'drawAt': {
      const k = num(ev(ref.step, sc), ref.step, 'a step number');
      if (!Number.isInteger(k) || k < 0 || k > 10_000_000) throw new CheckError(`a step number is a whole number from 0 to 10^7, got ${fmt(k)}`, ref.step.s, ref.step.e);
      return sc.run.steps.drawAt(ref.base, k, sc, n);
    }
    case 'const':
      return ref.v;
    case 'eyeN': {
      const k = num(ev(ref.size, sc), ref.size);
      if (!Number.isInteger(k) || k < 1) throw new CheckError(`identity size must be a positive integer, got ${fmt(k)}`, ref.size.s, ref.size.e);
      if (k * k > MAX_ENTRIES) throw new CheckError(`I_${k} would have ${fmtCount(k * k)} entries; the limit is 2·10^7`, ref.size.s, ref.size.e);
      return Mat.identity(k);
    }
  }
}

function cachedStatic(n: Node & { k: 'bin' }, sc: Scope): Value {
  let owner: Scope = sc;
  while (owner.parent && owner.vals.size === 0) owner = owner.parent;
  const hit = owner.nodeCache.get(n);
  if (hit !== undefined) return hit;
  sc.run.prog.staticNodes.delete(n);
  try {
    const v = ev(n, sc);
    owner.nodeCache.set(n, v);
    return v;
  } finally {
    sc.run.prog.staticNodes.add(n);
  }
}

export function ev(n: Node, sc: Scope): Value {
  switch (n.k) {
    case 'num':
      return n.v;
    case 'const':
      return n.name === 'pi' ? Math.PI : n.name === 'e' ? Math.E : n.name === 'infty' ? Infinity : new Eye(1);
    case 'sym': {
      const ref = sc.run.prog.refs.get(n);
      if (!ref) throw new CheckError(`\`${sc.run.prog.src(n.s, n.e)}\` was not resolved`, n.s, n.e);
      return evalRef(ref, sc, n);
    }
    case 'zeros':
    case 'ones':
    case 'eyeN': {
      const k = num(ev(n.size, sc), n.size);
      if (!Number.isInteger(k) || k < 1) throw new CheckError(`size must be a positive integer, got ${fmt(k)}`, n.size.s, n.size.e);
      if (k > MAX_ENTRIES) throw new CheckError(`size ${fmtCount(k)} exceeds the limit of 2·10^7 entries`, n.size.s, n.size.e);
      if (n.k === 'eyeN') return Mat.identity(k);
      const m = Mat.zeros(k, 1, true);
      if (n.k === 'ones') m.d.fill(1);
      return m;
    }
    case 'bin': {
      if (sc.run.prog.staticNodes.has(n)) return cachedStatic(n, sc);
      const a = ev(n.a, sc);
      const b = ev(n.b, sc);
      switch (n.op) {
        case '+':
          if (typeof a === 'number' && typeof b === 'number') return a + b;
          return at(n, () => add(a, b, 1), { a, b, sc });
        case '-':
          if (typeof a === 'number' && typeof b === 'number') return a - b;
          return at(n, () => add(a, b, -1), { a, b, sc });
        case '*':
          if (typeof a === 'number' && typeof b === 'number') return a * b;
          return at(n, () => mul(a, b), { a, b, sc });
        case 'dot':
          if (typeof a === 'number' && typeof b === 'number') return a * b;
          return at(n, () => mul(a, b, true), { a, b, sc });
        case '/': {
          if (typeof b === 'number') {
            if (b === 0) throw new UndefinedError(`division by zero in \`${sc.run.prog.src(n.s, n.e)}\``, n.s, n.e);
            if (typeof a === 'number') return a / b;
            if (a instanceof Mat) return scale(a, 1 / b);
            if (a instanceof Eye) return new Eye(a.s / b);
          }
          if (b instanceof Mat && b.r === 1 && b.c === 1) return ev({ ...n, b: { k: 'num', v: b.d[0], s: n.b.s, e: n.b.e } }, sc);
          throw new CheckError(`cannot divide ${describe(a)} by ${describe(b)}${b instanceof Mat && !b.vec ? ' (use ^{-1})' : ''}`, n.s, n.e);
        }
        case 'pow':
          if (typeof a === 'number' && typeof b === 'number' && a >= 0) {
            if (a === 0 && b < 0) break;
            return Math.pow(a, b);
          }
          if (typeof b === 'number' && b === -1 && !(typeof a === 'number')) return at(n, () => inv(a));
          break;
      }
      return pow(a, b, n as Node & { k: 'bin' }, sc);
    }
    case 'neg': {
      const a = ev(n.a, sc);
      if (typeof a === 'number') return -a;
      return at(n, () => neg(a));
    }
    case 'not':
      return !bool(ev(n.a, sc), n.a);
    case 'logic': {
      const a = bool(ev(n.a, sc), n.a);
      if (n.op === 'and' && !a) return false;
      if (n.op === 'or' && a) return true;
      if (n.op === 'implies' && !a) return true;
      const b = bool(ev(n.b, sc), n.b);
      if (n.op === 'iff') return a === b;
      return b;
    }
    case 'rel':
      return sc.run.ops.rel(n, sc);
    case 'fn':
      return sc.run.prog.sweepFreeNodes.has(n) ? aboveSweep(n, sc, evalFn) : evalFn(n, sc);
    case 'app':
      return sc.run.prog.sweepFreeNodes.has(n) ? aboveSweep(n, sc, evalApp) : evalApp(n, sc);
    case 'abs': {
      const a = ev(n.a, sc);
      if (typeof a === 'number') return Math.abs(a);
      if (a instanceof Mat && a.vec) return frobenius(a);
      if (a instanceof Mat && a.square) return Math.abs(det(a));
      throw new CheckError(`cannot take |·| of ${describe(a)}`, n.s, n.e);
    }
    case 'norm':
      return sc.run.prog.sweepFreeNodes.has(n) ? aboveSweep(n, sc, evalNorm) : evalNorm(n, sc);
    case 'transpose': {
      const a = ev(n.a, sc);
      if (n.pow && typeof a === 'number') return ev({ k: 'bin', op: 'pow', a: n.a, b: n.pow, s: n.s, e: n.e }, sc);
      return at(n, () => transpose(a));
    }
    case 'ceil':
    case 'floor': {
      const x = checkFinite(num(ev(n.a, sc), n.a), n, sc);
      const s = snapInt(x);
      return n.k === 'ceil' ? Math.ceil(s) : Math.floor(s);
    }
    case 'fact': {
      const x = num(ev(n.a, sc), n.a);
      if (!Number.isInteger(x) || x < 0) throw new UndefinedError(`factorial of ${fmt(x)}`, n.s, n.e);
      let r = 1;
      for (let i = 2; i <= x && r < Infinity; i++) r *= i;
      return r;
    }
    case 'matrix': {
      const rows = n.rows.map((r) => r.map((c) => ev(c, sc)));
      return at(n, () => assembleMatrix(rows, n));
    }
    case 'tuple':
      return tupleValue(n.items, sc, n);
    case 'set':
      return new FiniteSet(n.items.map((x) => num(ev(x, sc), x)));
    case 'interval': {
      const lo = num(ev(n.lo, sc), n.lo);
      const hi = num(ev(n.hi, sc), n.hi);
      return new IntervalSet([[lo, hi]]);
    }
    case 'sumprod': {
      const lo = num(ev(n.lo, sc), n.lo);
      const hi = num(ev(n.hi, sc), n.hi);
      if (!Number.isInteger(lo) || !Number.isInteger(hi)) throw new CheckError('sum bounds must be whole numbers', n.lo.s, n.hi.e);
      if (hi - lo > 1e8) throw new CheckError(`a sum over ${fmtCount(hi - lo + 1)} terms is too long`, n.hi.s, n.hi.e);
      const local = sc.child();
      let acc: Value = n.op === 'sum' ? 0 : 1;
      for (let i = lo; i <= hi; i++) {
        sc.run.budget.poll();
        local.locals.set(n.v, i);
        const v = ev(n.body, local);
        const a0: Value = acc;
        const next: Value = n.op === 'sum' ? at(n, () => add(a0, v, 1)) : at(n, () => mul(a0, v));
        acc = next;
      }
      return acc;
    }
    case 'agg':
      return sc.run.prog.stepAggs.has(n) ? sc.run.steps.overSteps(n, sc).value : sc.run.steps.aggregate(n, sc);
    case 'forall':
      return sc.run.steps.overSteps(n, sc).value;
    case 'indicator':
      return bool(ev(n.cond, sc), n.cond) ? 1 : 0;
    case 'E':
      return evalExpectation(n, sc);
    case 'grad': {
      const named = sc.run.prog.refs.get(n);
      return named ? evalRef(named, sc, n) : sc.run.ops.grad(n, sc);
    }
    case 'partial':
      return sc.run.ops.partial(n, sc);
    case 'measure':
      return sc.run.steps.measure(n, sc);
    case 'index': {
      const base = ev(n.base, sc);
      const idx = n.idx.map((x) => ev(x, sc));
      return indexValue(base, idx.map((v) => v as number), n.idx, n);
    }
    case 'dist':
      throw new CheckError(`a random draw is written with \\sim in \`given\`, not used as a value: write \`X \\sim ${sc.run.prog.src(n.s, n.e)}\`, then use X`, n.s, n.e);
  }
}

function evalNorm(n: Node & { k: 'norm' }, sc: Scope): Value {
  const a = ev(n.a, sc);
  if (typeof a === 'number') return Math.abs(a);
  if (!(a instanceof Mat)) throw new CheckError(`cannot take the norm of ${describe(a)}`, n.s, n.e);
  if (n.p === 'F') return frobenius(a);
  if (n.p === '1') return a.vec ? a.d.reduce((s, x) => s + Math.abs(x), 0) : largestAbsSum(a, true);
  if (n.p === 'inf') return a.vec ? a.d.reduce((s, x) => Math.max(s, Math.abs(x)), 0) : largestAbsSum(a, false);
  return norm2(a);
}

/** The largest sum of absolute entries over the columns (the matrix 1-norm) or over the rows (the ∞-norm). */
function largestAbsSum(a: Mat, columns: boolean): number {
  const [outer, inner] = columns ? [a.c, a.r] : [a.r, a.c];
  let best = 0;
  for (let k = 0; k < outer; k++) {
    let s = 0;
    for (let l = 0; l < inner; l++) s += Math.abs(columns ? a.d[l * a.c + k] : a.d[k * a.c + l]);
    best = Math.max(best, s);
  }
  return best;
}

function evalApp(n: Node & { k: 'app' }, sc: Scope): Value {
  const ref = sc.run.prog.appRefs.get(n);
  if (!ref) throw new CheckError('unresolved application', n.s, n.e);
  if (ref.r === 'call') return callFunc(ref.key, n.args.map((a) => ev(a, sc)), sc, n);
  if (ref.r === 'Tof') {
    const tref = sc.run.prog.refs.get(n.f);
    if (!tref || tref.r !== 'T') throw new CheckError('T_ε(…) needs an iterated variable', n.s, n.e);
    return evalRef({ ...tref, of: ref.of }, sc, n);
  }
  if (ref.r === 'builtin') {
    const m = ev(n.args[0], sc);
    return at(n, () => builtinMatrixFn(ref.name, m, n));
  }
  if (ref.r === 'eig') return eigenvalueOf(ref.idx, ev(n.args[0], sc), sc, n);
  const f = ev(n.f, sc);
  const arg = n.args.length === 1 ? ev(n.args[0], sc) : tupleValue(n.args, sc, n);
  return at(n, () => mul(f, arg));
}

/**
 * A claim's sub-expression that does not change from one sweep point to the next (Program.sweepFreeNodes): cached
 * on the scope above the sweep point (the trial), like a let that does not depend on the swept value.
 */
function aboveSweep<K extends Node>(n: K, sc: Scope, f: (n: K, sc: Scope) => Value): Value {
  const key = sc.run.prog.sweep?.key;
  let owner: Scope = sc;
  while (owner.parent && (owner.vals.size === 0 || (owner.vals.size === 1 && key !== undefined && owner.vals.has(key)))) owner = owner.parent;
  const hit = owner.nodeCache.get(n);
  if (hit !== undefined) return hit;
  const v = f(n, sc);
  owner.nodeCache.set(n, v);
  return v;
}

function tupleValue(items: Node[], sc: Scope, n: Node): Value {
  const xs = items.map((x) => num(ev(x, sc), x, 'a number in the vector'));
  void n;
  return Mat.vector(xs);
}

export function assembleMatrix(rows: Value[][], n: Node): Value {
  const r = rows.length;
  const c = rows[0].length;
  // all scalars
  if (rows.every((row) => row.every((v) => typeof v === 'number'))) {
    const d = new Float64Array(r * c);
    rows.forEach((row, i) => row.forEach((v, j) => (d[i * c + j] = v as number)));
    return new Mat(r, c, d, c === 1);
  }
  // a row of column vectors [x_1 x_2] or a column of row blocks
  if (r === 1 && rows[0].every((v) => v instanceof Mat && v.vec)) {
    const cols = rows[0] as Mat[];
    const h = cols[0].r;
    if (cols.some((v) => v.r !== h)) throw new ShapeError('the columns have different lengths');
    const d = new Float64Array(h * c);
    cols.forEach((v, j) => v.d.forEach((x, i) => (d[i * c + j] = x)));
    return new Mat(h, c, d, false);
  }
  void n;
  throw new ShapeError('matrix entries must be numbers (or one row of column vectors)');
}

/** Index i of λ_i(A) or eigvec_i(A): a whole number from 1 to n. */
function eigenIndex(idx: Node, size: number, sc: Scope): number {
  const i = num(ev(idx, sc), idx, 'an eigenvalue index');
  if (!Number.isInteger(i) || i < 1 || i > size) throw new CheckError(`an eigenvalue index is a whole number from 1 to ${size}, got ${fmt(i)}`, idx.s, idx.e);
  return i;
}

function eigenvalueOf(idx: Node | undefined, m: Value, sc: Scope, n: Node): Value {
  if (typeof m === 'number') return idx ? (eigenIndex(idx, 1, sc), m) : m;
  const sq = at(n, () => requireSquare(m, '\\lambda')) as Mat;
  let values: number[] = [];
  at(n, () => {
    values = eigenSystem(sq, `λ(${sc.run.prog.src(n.s, n.e)})`, false).values;
    return 0;
  });
  if (idx) return values[eigenIndex(idx, values.length, sc) - 1];
  return Mat.vector(values);
}

function builtinMatrixFn(name: string, m: Value, n: Node): Value {
  if (typeof m === 'number') {
    if (name === 'rho') return Math.abs(m);
    if (name === 'sigma_min' || name === 'sigma_max') return Math.abs(m);
    return m;
  }
  if (!(m instanceof Mat)) throw new ShapeError(`expected a matrix, got ${describe(m)}`);
  switch (name) {
    case 'lambda_min':
    case 'lambda_max': {
      const sq = requireSquare(m, name === 'lambda_min' ? '\\lambda_{\\min}' : '\\lambda_{\\max}');
      return extremeEigenvalue(sq, name === 'lambda_min' ? 'min' : 'max', 'λ_min/λ_max');
    }
    case 'rho':
      return spectralRadius(requireSquare(m, '\\rho'));
    case 'sigma_min':
    case 'sigma_max': {
      const s = singularValues(m);
      if (name === 'sigma_max') return Math.max(...s);
      return m.r === m.c ? Math.min(...s) : Math.min(...s);
    }
  }
  void n;
  throw new ShapeError(`unknown function ${name}`);
}


function evalFn(n: Node & { k: 'fn' }, sc: Scope): Value {
  const name = n.name;
  if (name === 'min' || name === 'max') {
    let xs: number[] = [];
    const vals = n.args.map((a) => ev(a, sc));
    // \max(0, v) of a number and a vector or matrix is entrywise (ReLU); \max(v) or \max\{a, b, c\} is over all entries
    if (vals.length === 2 && vals.some((v) => v instanceof Mat) && vals.some((v) => typeof v === 'number')) {
      const m = vals.find((v) => v instanceof Mat) as Mat;
      const c = vals.find((v) => typeof v === 'number') as number;
      const f = name === 'min' ? Math.min : Math.max;
      return new Mat(m.r, m.c, m.d.map((x) => f(x, c)), m.vec);
    }
    for (const [i, a] of n.args.entries()) {
      const v = vals[i];
      if (v instanceof Mat) xs = xs.concat(Array.from(v.d));
      else xs.push(num(v, a));
    }
    if (xs.length === 0) throw new CheckError(`\\${name} of nothing`, n.s, n.e);
    return name === 'min' ? Math.min(...xs) : Math.max(...xs);
  }
  if (name === 'gcd') {
    const xs = n.args.map((a) => num(ev(a, sc), a));
    const g = (a: number, b: number): number => (b === 0 ? Math.abs(a) : g(b, a % b));
    return xs.reduce(g);
  }
  if (name === 'clip') {
    const [x, lo, hi] = n.args.map((a) => num(ev(a, sc), a));
    return Math.min(hi, Math.max(lo, x));
  }
  if (n.args.length !== 1) throw new CheckError(`\\${name} takes one argument, got ${n.args.length}`, n.s, n.e);
  const v = ev(n.args[0], sc);
  switch (name) {
    case 'tr': {
      const m = at(n, () => requireSquare(v, 'the trace')) as Mat;
      let s = 0;
      for (let i = 0; i < m.r; i++) s += m.d[i * m.c + i];
      return s;
    }
    case 'det': {
      if (typeof v === 'number') return v;
      return det(at(n, () => requireSquare(v, 'the determinant')) as Mat);
    }
    case 'diag': {
      if (!(v instanceof Mat)) throw new CheckError(`diag needs a vector or a matrix, got ${describe(v)}`, n.s, n.e);
      if (v.vec) {
        const m = Mat.zeros(v.r, v.r);
        for (let i = 0; i < v.r; i++) m.d[i * v.r + i] = v.d[i];
        return m;
      }
      const k = Math.min(v.r, v.c);
      return Mat.vector(Array.from({ length: k }, (_, i) => v.d[i * v.c + i]));
    }
    case 'eigvec': {
      // unit eigenvectors as columns, in the order of \lambda(A); eigvec_i(A) is column i
      const sq = at(n, () => requireSquare(v, '\\operatorname{eigvec}')) as Mat;
      let V = sq;
      at(n, () => {
        V = eigenSystem(sq, `\`${sc.run.prog.src(n.args[0].s, n.args[0].e)}\``, true).vectors as Mat;
        return 0;
      });
      if (!n.base) return V;
      const i = eigenIndex(n.base, V.c, sc);
      return Mat.vector(Array.from({ length: V.r }, (_, r) => V.d[r * V.c + i - 1]));
    }
    case 'rank': {
      if (!(v instanceof Mat)) return v === 0 ? 0 : 1;
      const s = singularValues(v);
      const tol = Math.max(v.r, v.c) * 2.2e-16 * Math.max(0, ...s);
      return s.filter((x) => x > tol).length;
    }
    case 'cond': {
      if (!(v instanceof Mat)) return 1;
      const s = singularValues(v);
      return Math.max(...s) / Math.min(...s);
    }
    case 'mean':
    case 'var':
    case 'sumall': {
      const xs = v instanceof Mat ? Array.from(v.d) : [num(v, n.args[0])];
      const m = xs.reduce((a, b) => a + b, 0) / xs.length;
      if (name === 'sumall') return xs.reduce((a, b) => a + b, 0);
      if (name === 'mean') return m;
      return xs.reduce((a, b) => a + (b - m) ** 2, 0) / xs.length;
    }
    case 'exp':
      if (v instanceof Mat && !v.vec && v.square) throw new CheckError('the matrix exponential is not supported', n.s, n.e);
  }
  if (name === 'sqrt' && v instanceof Mat && !n.base) {
    // √ of a vector is entrywise (the square roots of the eigenvalues, \sqrt{\lambda(X^\top X)}); of a matrix it
    // would be read as the matrix square root by some and entrywise by others, so it is refused with both spellings
    if (!v.vec) throw new CheckError(`\\sqrt of ${describe(v)} is ambiguous (matrix square root or entry by entry): for the entries write \\sqrt{A_{ij}} in an index definition; for a symmetric A, Q \\operatorname{diag}(\\sqrt{\\lambda(A)}) Q^\\top with Q = \\operatorname{eigvec}(A)`, n.s, n.e);
    return new Mat(v.r, v.c, v.d.map((x) => scalarFn(name, x, n, sc)), v.vec);
  }
  if (v instanceof Mat && scalarFunction(name)?.entrywise && !n.base) {
    // functions of vectors and matrices act entry by entry (\tanh(W h), \exp(v), \operatorname{sgn}(w))
    return new Mat(v.r, v.c, v.d.map((x) => scalarFn(name, x, n, sc)), v.vec);
  }
  if (typeof v !== 'number') throw new CheckError(`\\${name} of ${describe(v)} is not defined here (apply it to a number)`, n.s, n.e);
  if (n.base && (name === 'log' || name === 'ln')) {
    const b = num(ev(n.base, sc), n.base, 'a log base');
    if (b <= 0 || b === 1) throw new UndefinedError(`log base ${fmt(b)} is not allowed in \`${sc.run.prog.src(n.s, n.e)}\``, n.base.s, n.base.e);
    return scalarFn('log', v, n, sc) / Math.log(b);
  }
  return scalarFn(name, v, n, sc);
}

function evalExpectation(n: Node & { k: 'E' }, sc: Scope): Value {
  const sibs = sc.siblings;
  if (sibs.length <= 1) {
    const prog = sc.run.prog;
    if (prog.trials <= 1 && (prog.perStep.size > 0 || prog.givens.some((g) => g.kind === 'draw' && !g.fixed))) {
      throw new CheckError('\\mathbb{E}[…] is a mean over trials, but this block runs one trial: add `trials: 1000` (the tolerance is then widened by 3 standard errors of the mean)', n.s, n.e);
    }
    return ev(n.body, sc);
  }
  const sw = sc.sweepValue();
  const swKey = sc.run.prog.sweep?.key;
  const vals: number[] = [];
  const mats: Mat[] = [];
  for (const s of sibs) {
    sc.run.budget.poll();
    const at2 = sw !== undefined && swKey ? s.child(swKey, sw) : s;
    const v = ev(n.body, at2);
    if (v instanceof Mat) mats.push(v);
    else vals.push(num(v, n.body, 'a number, vector or matrix inside \\mathbb{E}'));
  }
  if (mats.length) {
    // entrywise mean; the slack is 3 standard errors of the norm of the mean (√Σ se_i²)
    if (vals.length || mats.some((m) => m.r !== mats[0].r || m.c !== mats[0].c)) throw new CheckError('\\mathbb{E}[…] needs the same shape in every trial', n.s, n.e);
    const k = mats.length;
    const mean = new Float64Array(mats[0].d.length);
    for (const m of mats) for (let i = 0; i < mean.length; i++) mean[i] += m.d[i] / k;
    let se2 = 0;
    for (let i = 0; i < mean.length; i++) {
      let v = 0;
      for (const m of mats) v += (m.d[i] - mean[i]) ** 2;
      se2 += v / Math.max(1, k - 1) / k;
    }
    const se = Math.sqrt(se2);
    sc.slack += 3 * se;
    sc.run.notes[`E[${short(sc.run.prog.src(n.body.s, n.body.e))}]`] = { mean: Array.from(mean), standardError: se, trials: k };
    return new Mat(mats[0].r, mats[0].c, mean, mats[0].vec);
  }
  const mean = vals.reduce((a, b) => a + b, 0) / vals.length;
  const variance = vals.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, vals.length - 1);
  const se = Math.sqrt(variance / vals.length);
  sc.slack += 3 * se;
  sc.run.notes[`E[${short(sc.run.prog.src(n.body.s, n.body.e))}]`] = { mean, standardError: se, trials: vals.length };
  return mean;
}
