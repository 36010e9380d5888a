// The givens of one trial: plain values, draws (N, U; vectors and matrices; `\text{fixed}` draws held over the
// trials of a combination) in the order written.
import type { Binding, Node } from '../parser/ast';
import { Budget, Scope, MAX_ENTRIES, type Program } from './scope';
import { ev, num } from './evaluate';
import { fmt, fmtCount } from './format';
import { forEachRef } from './link';
import { Rng } from '../rng';
import { CheckError } from '../errors';
import { Eye, Mat, describe, type Value } from '../linalg/values';
import { covarianceFactor } from '../linalg/decompose';

function drawValue(g: Binding & { kind: 'draw' }, sc: Scope): Value {
  if (g.dist.name === 'N' && g.dist.args.length === 2 && g.dims.length === 0) {
    const cov = ev(g.dist.args[1], sc);
    if (cov instanceof Mat || cov instanceof Eye) return gaussianVector(g, ev(g.dist.args[0], sc), cov, sc);
  }
  const args = g.dist.args.map((a) => num(ev(a, sc), a));
  const dims = g.dims.map((d) => {
    const k = num(ev(d, sc), d);
    if (!Number.isInteger(k) || k < 1) throw new CheckError(`a size must be a positive whole number, got ${fmt(k)}`, d.s, d.e);
    return k;
  });
  const total = dims.reduce((a, b) => a * b, 1);
  if (total > MAX_ENTRIES) {
    const d0 = g.dims[0];
    const d1 = g.dims[g.dims.length - 1];
    throw new CheckError(`${dims.join('×')} = ${fmtCount(total)} entries is too large (the limit is 2·10^7 entries, 160 MB)`, d0.s, d1.e);
  }
  const normal = g.dist.name === 'N';
  let p: number;
  let q: number;
  if (normal) {
    if (args.length !== 2) throw new CheckError('write \\mathcal{N}(mean, variance)', g.dist.s, g.dist.e);
    const [mu, v] = args;
    if (v < 0) throw new CheckError(`the variance must be ≥ 0, got ${fmt(v)}`, g.dist.args[1].s, g.dist.args[1].e);
    p = mu;
    q = Math.sqrt(v);
  } else {
    if (args.length !== 2) throw new CheckError('write \\mathcal{U}(low, high)', g.dist.s, g.dist.e);
    [p, q] = args;
    if (!(p <= q)) throw new CheckError(`\\mathcal{U}(low, high) needs low ≤ high, got low = ${fmt(p)} > high = ${fmt(q)}: write \\mathcal{U}(${fmt(q)}, ${fmt(p)})`, g.dist.s, g.dist.e);
  }
  const rng = sc.run.rng;
  if (dims.length === 0) return normal ? p + q * rng.gaussian() : p + (q - p) * rng.uniform();
  const d = new Float64Array(total);
  fillDraws(d, rng, normal, p, q, sc.run.budget);
  if (dims.length === 1) return new Mat(dims[0], 1, d, true);
  return new Mat(dims[0], dims[1], d, false);
}

/** x ~ 𝒩(μ, Σ) drawn once: μ + L z with Σ = L Lᵀ (the size comes from Σ; `I` needs a size, I_n). */
function gaussianVector(g: Binding & { kind: 'draw' }, mean: Value, cov: Mat | Eye, sc: Scope): Value {
  const covNode = g.dist.args[1];
  const meanNode = g.dist.args[0];
  if (cov instanceof Eye) throw new CheckError('the size of this identity is not known: write I_n (e.g. \\mathcal{N}(0, I_3))', covNode.s, covNode.e);
  if (cov.vec || cov.r !== cov.c) throw new CheckError(`a covariance is a square matrix, got ${describe(cov)}`, covNode.s, covNode.e);
  const n = cov.r;
  if (!(typeof mean === 'number' || (mean instanceof Mat && mean.vec && mean.r === n))) {
    throw new CheckError(`the mean is ${describe(mean)} but the covariance is ${describe(cov)}: write a ${n}-vector or 0`, meanNode.s, meanNode.e);
  }
  const L = covarianceFactor(cov);
  if (typeof L === 'string') throw new CheckError(`the covariance matrix \`${sc.run.prog.src(covNode.s, covNode.e)}\` ${L}`, covNode.s, covNode.e);
  const z = new Float64Array(n);
  fillDraws(z, sc.run.rng, true, 0, 1, sc.run.budget);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let v = typeof mean === 'number' ? mean : mean.d[i];
    for (let j = 0; j <= i; j++) v += L[i * n + j] * z[j];
    out[i] = v;
  }
  return new Mat(n, 1, out, true);
}

/**
 * Fills d with draws: mean p + standard deviation q times a standard normal (`normal`), else uniform on [p, q].
 * (A loop of its own without callbacks, so that its optimised code serves every check.)
 */
function fillDraws(d: Float64Array, rng: Rng, normal: boolean, p: number, q: number, budget: Budget): void {
  for (let i = 0; i < d.length; i++) {
    if ((i & 65535) === 0) budget.check();
    d[i] = normal ? p + q * rng.gaussian() : p + (q - p) * rng.uniform();
  }
}

/** The first draw of `given` that `n` uses, directly or through values (`\text{fixed}` draws count when asked). */
export function drawnDependency(n: Node, givens: Binding[], prog: Program, fixedToo: boolean): Binding | undefined {
  const byKey = new Map(givens.map((g) => [g.key, g]));
  const seen = new Set<string>();
  const visit = (x: Node): Binding | undefined => {
    let found: Binding | undefined;
    forEachRef(x, prog, (r) => {
      if (found || r.r !== 'val' || seen.has(r.key)) return;
      seen.add(r.key);
      const g = byKey.get(r.key);
      if (g?.kind === 'draw' && !g.perStep && (fixedToo || !g.fixed)) found = g;
      else if (g?.kind === 'value') found = visit(g.expr);
    });
    return found;
  };
  return visit(n);
}

/**
 * A `\text{fixed}` draw is made once and shared by all trials, so what it is drawn from must not change between
 * trials: its parameters and sizes may not use a draw that is redrawn per trial (directly or through a value).
 */
export function checkFixedDraws(givens: Binding[], prog: Program): void {
  for (const g of givens) {
    if (g.kind !== 'draw' || !g.fixed) continue;
    for (const a of [...g.dist.args, ...g.dims]) {
      const d = drawnDependency(a, givens, prog, false);
      if (d) throw new CheckError(`\`${g.display}\` is fixed over the trials but depends on \`${d.display}\`, which is redrawn in every trial (mark it \\text{fixed} too)`, a.s, a.e);
    }
  }
}

/** The givens of one trial; `fixed` holds the `\text{fixed}` draws of the first trial of this combination. */
export function setGivens(prog: Program, sc: Scope, fixed: Map<string, Value>): void {
  for (const g of prog.givens) {
    if (g.kind === 'each') continue; // set by the combination
    if (g.kind === 'draw') {
      if (g.perStep) continue;
      let v = g.fixed ? fixed.get(g.key) : undefined;
      if (v === undefined) {
        v = drawValue(g, sc);
        if (g.fixed) fixed.set(g.key, v);
      }
      sc.vals.set(g.key, v);
    } else if (g.kind === 'value') {
      let v = ev(g.expr, sc);
      if (g.sqrtOf) {
        const x = num(v, g.expr);
        if (x < 0) throw new CheckError(`\`${g.display}^2\` cannot be negative`, g.expr.s, g.expr.e);
        v = Math.sqrt(x);
      }
      if (v instanceof Mat && v.d.length > MAX_ENTRIES) throw new CheckError('too large', g.expr.s, g.expr.e);
      sc.vals.set(g.key, v);
    }
  }
}
