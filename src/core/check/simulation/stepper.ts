// The stepper of an `iterate` block at one point: its state layout (slots), one step through the compiled scalar
// step (kernels/faststep.ts) or the interpreter, per-step draws from N(0, Σ) / U, and the facts cached per point
// (stepper, analysis, trajectory, recorded path).
import type { Binding, Node } from '../parser/ast';
import { fmt } from '../evaluation/format';
import { num, ev } from '../evaluation/evaluate';
import { type Scope } from '../evaluation/scope';
import { compileScalarStep } from '../kernels/faststep';
import { FastPathBail } from '../kernels/entry';
import { Rng } from '../rng';
import { CheckError } from '../errors';
import { covarianceFactor } from '../linalg/decompose';
import { Eye, Mat, describe, flatten, sameShape, valueSize, type Value } from '../linalg/values';

interface Slot {
  base: string;
  offset: number;
  size: number;
  proto: Value;
}

export interface Stepper {
  slots: Slot[];
  dim: number;
  x0: Float64Array;
  /** x_{t+1} from x_t (allocates the result). */
  step(x: Float64Array, t: number): Float64Array;
  /** x_{t+1} from x_t, written into `out` when the compiled step takes it (the returned array holds the result). */
  stepInto(x: Float64Array, t: number, out: Float64Array): Float64Array;
  /** True when the update runs as compiled closures (faststep.ts) rather than through the interpreter. */
  compiled: boolean;
  /** The update with the per-step draws given as standard variates z (normal, or uniform on [0, 1]). */
  stepWith(x: Float64Array, t: number, z: Float64Array): Float64Array;
  /** Restart the per-step draws; run r > 0 gives an independent run (same seed, other stream). */
  reset(run?: number): void;
  /** Kind of each per-step draw, in the order of stepWith's z. */
  kinds: ('N' | 'U')[];
  scope: Scope;
}

/** The recorded run of one point: states x_0 … x_n and the per-step draws of steps 0 … n − 1. */
export interface Path {
  xs: Float64Array[];
  draws: Map<string, Value>[];
}

/**
 * What is known about one point, computed once: here the stepper, the states at given steps and the recorded path;
 * the layers above add their own entry by augmenting this interface (`analysis` in verdicts/analyse.ts, `traj` in
 * simulate.ts), so this file imports neither.
 */
export interface Facts {
  atStep?: Map<number, Float64Array>;
  path?: Path;
  stepper?: Stepper;
}

export const CONVERGE_TOL = 1e-9;

export function factsOf(sc: Scope): { owner: Scope; facts: Facts } {
  let owner = sc;
  while (owner.parent && owner.vals.size === 0 && !owner.facts) owner = owner.parent;
  if (!owner.facts) owner.facts = {};
  return { owner, facts: owner.facts as Facts };
}

function hashNumber(x: number): number {
  const f = new Float64Array([x]);
  const u = new Uint32Array(f.buffer);
  return (Math.imul(u[0] ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(u[1], 0xc2b2ae35)) | 0;
}

export function makeStepper(point: Scope): Stepper {
  const prog = point.run.prog;
  const sim = point.child();
  sim.state = new Map();
  sim.next = new Map();
  const slots: Slot[] = [];
  let offset = 0;
  for (const base of prog.stateBases) {
    const v0 = point.lookup(`${base}_{0}`);
    if (v0 === undefined) throw new CheckError(`initial value \`${base}_0\` is missing: add it to \`given\``, 0, 0);
    if (!(typeof v0 === 'number' || v0 instanceof Mat)) throw new CheckError(`\`${base}_0\` must be a number, vector or matrix`, 0, 0);
    const size = valueSize(v0);
    slots.push({ base, offset, size, proto: v0 });
    offset += size;
  }
  const dim = offset;
  const x0 = new Float64Array(dim);
  for (const s of slots) x0.set(flatten(s.proto), s.offset);
  const perStep = [...prog.perStep.values()];
  // sizes of the per-step draws: ^{n}, ^{m \times n}, or the size of a covariance matrix / mean vector
  let zOffset = 0;
  const drawInfo = perStep.map((d) => {
    const dims = d.dims.map((x) => {
      const k = num(ev(x, point), x);
      if (!Number.isInteger(k) || k < 1 || k > 1e6) throw new CheckError(`a size must be a positive whole number, got ${fmt(k)}`, x.s, x.e);
      return k;
    });
    let size = dims.reduce((a, b) => a * b, 1);
    if (!dims.length) {
      for (const a of d.dist.args) {
        try {
          const v = ev(a, point);
          if (v instanceof Mat) size = Math.max(size, v.r);
        } catch {
          // depends on the state: a scalar unless the sizes say otherwise
        }
      }
    }
    const info = { dims, size, offset: zOffset };
    zOffset += size;
    return info;
  });
  const sweepV = point.sweepValue();
  let noise: Rng | undefined;
  const reset = (run = 0) => {
    noise = perStep.length ? new Rng(prog.seed ^ Math.imul(point.pointId + 1, 0x27d4eb2f) ^ (sweepV === undefined ? 0 : hashNumber(sweepV)) ^ Math.imul(run, 0x165667b1)) : undefined;
    sim.t = 0;
  };
  reset();
  const eqs = prog.equations;
  let given: Float64Array | undefined;
  const stepWith = (x: Float64Array, t: number, z: Float64Array): Float64Array => {
    given = z;
    try {
      return step(x, t);
    } finally {
      given = undefined;
    }
  };
  const step = (x: Float64Array, t: number): Float64Array => {
    sim.t = t;
    sim.letCache.clear();
    const state = sim.state as Map<string, Value>;
    const next = sim.next as Map<string, Value>;
    next.clear();
    for (const s of slots) state.set(s.base, s.size === 1 && typeof s.proto === 'number' ? x[s.offset] : sameShape(s.proto, x, s.offset));
    if (noise) {
      const m = new Map<string, Value>();
      perStep.forEach((d, k) => {
        const info = drawInfo[k];
        const normal = d.dist.name === 'N';
        const zs = new Float64Array(info.size);
        for (let i = 0; i < info.size; i++) zs[i] = given ? given[info.offset + i] : normal ? (noise as Rng).gaussian() : (noise as Rng).uniform();
        m.set(d.key, perStepDraw(d, info, zs, sim));
      });
      sim.perStepVals = m;
    }
    const out = new Float64Array(dim);
    for (const eq of eqs) {
      const v = ev(eq.expr, sim);
      const slot = slots.find((s) => s.base === eq.base) as Slot;
      if (typeof v === 'number') {
        if (slot.size !== 1 || typeof slot.proto !== 'number') throw new CheckError(`\`${prog.src(eq.nameS, eq.nameE)}\` is a scalar but \`${eq.base}_0\` is ${describe(slot.proto)}`, eq.expr.s, eq.expr.e);
        out[slot.offset] = v;
      } else if (v instanceof Mat) {
        const p = slot.proto;
        if (!(p instanceof Mat) || p.r !== v.r || p.c !== v.c) {
          throw new CheckError(`the update of \`${eq.base}\` gives ${describe(v)} but \`${eq.base}_0\` is ${describe(p)}${typeof p === 'number' ? ` (write ${eq.base}_0 as a vector, e.g. \\mathbf{0}_${v.r})` : ''}`, eq.expr.s, eq.expr.e);
        }
        out.set(v.d, slot.offset);
      } else throw new CheckError(`an update must give numbers, got ${describe(v)}`, eq.expr.s, eq.expr.e);
      next.set(eq.base, typeof v === 'number' ? v : v);
    }
    return out;
  };
  const kinds = perStep.flatMap((d, k) => Array.from({ length: drawInfo[k].size }, () => (d.dist.name === 'N' ? 'N' : 'U') as 'N' | 'U'));
  // scalar states: the compiled step (same numbers); a step it cannot take goes through the interpreter
  const compiled = slots.every((s) => typeof s.proto === 'number') ? compileScalarStep(sim, slots, dim) : undefined;
  const stepInto = compiled
    ? (x: Float64Array, t: number, out: Float64Array): Float64Array => {
        try {
          compiled(x, t, out);
          return out;
        } catch (e) {
          if (!(e instanceof FastPathBail)) throw e;
          return step(x, t);
        }
      }
    : (x: Float64Array, t: number): Float64Array => step(x, t);
  const fastStep = compiled ? (x: Float64Array, t: number): Float64Array => stepInto(x, t, new Float64Array(dim)) : step;
  return { slots, dim, x0, step: fastStep, stepInto, compiled: !!compiled, stepWith, reset, kinds, scope: sim };
}

/**
 * One per-step draw from standard variates zs: 𝒩(μ, v) with a variance v (scalar or times I) or a covariance matrix
 * Σ = L Lᵀ (μ + L z), or 𝒰(a, b) entrywise; a scalar, an n-vector or an m×n matrix.
 */
function perStepDraw(d: Binding & { kind: 'draw' }, info: { dims: number[]; size: number }, zs: Float64Array, sc: Scope): Value {
  const args = d.dist.args.map((a) => ev(a, sc));
  const shape = (data: Float64Array): Value => {
    if (info.size === 1 && info.dims.length === 0) return data[0];
    if (info.dims.length === 2) return new Mat(info.dims[0], info.dims[1], data, false);
    return new Mat(info.size, 1, data, true);
  };
  const entry = (v: Value | undefined, i: number, dflt: number, what: Node): number => {
    if (v === undefined) return dflt;
    if (typeof v === 'number') return v;
    if (v instanceof Mat && v.vec && v.r === info.size) return v.d[i];
    throw new CheckError(`${describe(v)} does not fit a draw of ${info.size} number${info.size === 1 ? '' : 's'}`, what.s, what.e);
  };
  const out = new Float64Array(info.size);
  if (d.dist.name !== 'N') {
    for (let i = 0; i < info.size; i++) {
      const a = entry(args[0], i, 0, d.dist.args[0] ?? d.dist);
      const b = entry(args[1], i, 1, d.dist.args[1] ?? d.dist);
      out[i] = a + (b - a) * zs[i];
    }
    return shape(out);
  }
  if (args.length !== 2) throw new CheckError('write \\mathcal{N}(mean, variance)', d.dist.s, d.dist.e);
  const cov = args[1];
  const covNode = d.dist.args[1];
  if (cov instanceof Mat && !cov.vec && cov.r === cov.c) {
    if (cov.r !== info.size) throw new CheckError(`the covariance is ${describe(cov)} but the draw has ${info.size} numbers`, covNode.s, covNode.e);
    const L = cholesky(cov, covNode, sc.run.prog.src(covNode.s, covNode.e));
    for (let i = 0; i < info.size; i++) {
      let v = entry(args[0], i, 0, d.dist.args[0]);
      for (let j = 0; j <= i; j++) v += L[i * info.size + j] * zs[j];
      out[i] = v;
    }
    return shape(out);
  }
  const variance = cov instanceof Eye ? cov.s : num(cov, covNode);
  if (variance < 0) throw new CheckError(`the variance must be ≥ 0, got ${fmt(variance)}`, covNode.s, covNode.e);
  const sd = Math.sqrt(variance);
  for (let i = 0; i < info.size; i++) out[i] = entry(args[0], i, 0, d.dist.args[0]) + sd * zs[i];
  return shape(out);
}

/** Lower Cholesky factor of a covariance matrix, or a located error saying why it is not one. */
function cholesky(S: Mat, node: Node, src: string): Float64Array {
  const L = covarianceFactor(S);
  if (typeof L === 'string') throw new CheckError(`the covariance matrix \`${src}\` ${L}`, node.s, node.e);
  return L;
}

export function norm(x: Float64Array, from = 0, to = x.length): number {
  let s = 0;
  for (let i = from; i < to; i++) s += x[i] * x[i];
  return Math.sqrt(s);
}

/** ‖a[at + from .. at + to) − b[from .. to)‖ */
export function diffNorm(a: Float64Array, b: Float64Array, from = 0, to = b.length, at = 0): number {
  let s = 0;
  for (let i = from; i < to; i++) {
    const d = a[at + i] - b[i];
    s += d * d;
  }
  return Math.sqrt(s);
}

export function getStepper(sc: Scope): Stepper {
  const { facts } = factsOf(sc);
  if (!facts.stepper) facts.stepper = makeStepper(factsOf(sc).owner);
  return facts.stepper;
}

/** x′ = A x + b (A row-major n×n), written into `into` when given: how an affine update runs without the interpreter. */
export function affineStep(A: Float64Array, b: Float64Array, x: Float64Array, n: number, into?: Float64Array): Float64Array {
  const y = into ?? new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = b[i];
    const row = i * n;
    for (let j = 0; j < n; j++) s += A[row + j] * x[j];
    y[i] = s;
  }
  return y;
}
