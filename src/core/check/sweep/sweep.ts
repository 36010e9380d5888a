// Sweeps and for-each sets: the grid of `sweep:` (bounds from givens, per trial when they use draws), the
// combinations of `for each`, claims judged over a sweep (\min/\max/\arg\min over the swept value, `P(η) ⟺ η ≤ c`
// with the boundary found by bisection, claims for every point).
import type { Node, Sweep } from '../parser/ast';
import { Budget, Scope, type Program, type RunState, type SweepSpec } from '../evaluation/scope';
import { ev, num } from '../evaluation/evaluate';
import { fmt } from '../evaluation/format';
import { forEachRef } from '../evaluation/link';
import { children } from '../parser/visit';
import { analyse, stabilityCandidates } from '../verdicts/analyse';
import { trajectory } from '../simulation/simulate';
import { pretty } from '../parser/pretty';
import type { PlotSpec } from '../types';
import { CheckError, UndefinedError } from '../errors';
import { FiniteSet } from '../linalg/values';
import { explain, truth, type Verdict } from '../verdicts/claim';

/** Number of points of a sweep without `points:`. */
export const DEFAULT_POINTS = 200;

/** The grid of a sweep whose bounds use plain given numbers only (fixed at compile time; `run` evaluates them). */
export function sweepSpec(sw: Sweep, prog: Program, run: RunState): SweepSpec {
  const sc = new Scope(run);
  // sweep bounds may use plain numbers of `given` (no draws)
  for (const g of prog.givens) {
    if (g.kind === 'value') {
      try {
        sc.vals.set(g.key, ev(g.expr, sc));
      } catch {
        // not a constant: leave it out
      }
    }
  }
  return sweepGrid(sw, prog, sc);
}

/** The grid of a sweep, its bounds evaluated in `sc` (the givens of a trial when they use draws). */
export function sweepGrid(sw: Sweep, prog: Program, sc: Scope): SweepSpec {
  const display = prog.src(sw.nameS, sw.nameE) || sw.key;
  if (sw.range.k === 'set') {
    const pts = sw.range.items.map((x) => num(ev(x, sc), x));
    if (pts.length === 0) throw new CheckError('the sweep is over an empty set', sw.range.s, sw.range.e);
    return { key: sw.key, display, node: sw.range, points: pts };
  }
  if (sw.range.k !== 'interval') throw new CheckError('sweep over [a, b] or \\{a, b, c\\}', sw.range.s, sw.range.e);
  const lo = num(ev(sw.range.lo, sc), sw.range.lo);
  const hi = num(ev(sw.range.hi, sc), sw.range.hi);
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) throw new CheckError('sweep bounds must be finite numbers', sw.range.s, sw.range.e);
  if (!(hi > lo)) throw new CheckError(`the sweep is over nothing: [${fmt(lo)}, ${fmt(hi)}] is empty (write [low, high] with low < high)`, sw.range.s, sw.range.e);
  const n = sw.points ?? DEFAULT_POINTS;
  if (n < 2 || n > 100000) throw new CheckError(`a sweep takes 2 to 100000 points, got ${n}`, sw.range.s, sw.range.e);
  const log = sw.log ?? (lo > 0 && hi / lo >= 100);
  if (log && lo <= 0) throw new CheckError('a log-spaced sweep needs a positive lower bound', sw.range.lo.s, sw.range.lo.e);
  const points: number[] = [];
  for (let i = 0; i < n; i++) {
    const f = i / (n - 1);
    points.push(log ? lo * Math.pow(hi / lo, f) : lo + (hi - lo) * f);
  }
  points[n - 1] = hi;
  return { key: sw.key, display, node: sw.range, points, interval: { lo, hi, log } };
}

export function combos(prog: Program, run: RunState): { key: string; display: string; value: number }[][] {
  let out: { key: string; display: string; value: number }[][] = [[]];
  const sc = new Scope(run);
  for (const g of prog.givens) {
    if (g.kind !== 'each') continue;
    const set = ev(g.set, sc);
    if (!(set instanceof FiniteSet)) throw new CheckError('expected a set', g.set.s, g.set.e);
    if (set.items.length === 0) throw new CheckError(`\`${g.display}\` ranges over an empty set`, g.set.s, g.set.e);
    const next: typeof out = [];
    for (const c of out) for (const v of set.items) next.push([...c, { key: g.key, display: prog.src(g.nameS, g.nameE) || g.key, value: v }]);
    out = next;
    if (out.length > 10000) throw new CheckError('more than 10000 combinations of sets in `given`', g.set.s, g.set.e);
  }
  return out;
}

/** Half the relative width to which a boundary is bisected (and within which a structural candidate is confirmed). */
const BOUNDARY_HALF_WIDTH = 5e-7;

/**
 * A boundary of `pred` in (lo, hi), where pred(lo) ≠ pred(hi): a candidate from the structure of the update (where
 * ρ crosses 1) when pred flips within ±BOUNDARY_HALF_WIDTH (relative) of it, else found by bisection.
 */
function boundaryIn(pred: (x: number) => boolean, lo: number, hi: number, log: boolean, budget: Budget, candidates: number[]): number {
  const pLo = pred(lo);
  for (const c of candidates) {
    if (!(c > lo && c < hi)) continue;
    const d = BOUNDARY_HALF_WIDTH * Math.abs(c);
    if (pred(Math.max(lo, c - d)) === pLo && pred(Math.min(hi, c + d)) !== pLo) return c;
  }
  return bisect(pred, pLo, lo, hi, log, budget);
}

function bisect(pred: (x: number) => boolean, pLo: boolean, lo: number, hi: number, log: boolean, budget: Budget): number {
  let a = lo;
  let b = hi;
  for (let k = 0; k < 200 && Math.abs(b - a) > BOUNDARY_HALF_WIDTH * Math.max(Math.abs(a), Math.abs(b)); k++) {
    budget.poll();
    const m = log && a > 0 ? Math.sqrt(a * b) : (a + b) / 2;
    if (pred(m) === pLo) a = m;
    else b = m;
  }
  return (a + b) / 2;
}

export function isSweepVar(n: Node, prog: Program): boolean {
  if (n.k !== 'sym') return false;
  const r = prog.refs.get(n);
  return !!r && r.r === 'val' && r.key === prog.sweep?.key;
}

export function mentionsSweep(n: Node, prog: Program): boolean {
  let found = false;
  forEachRef(n, prog, (r) => {
    if (r.r === 'val' && r.key === prog.sweep?.key) found = true;
  });
  return found;
}

export function iffSweep(n: Node & { k: 'logic' }, sc: Scope, values: Record<string, unknown>, plots: PlotSpec[]): Verdict {
  const prog = sc.run.prog;
  const sw = sc.sweep as SweepSpec;
  const budget = sc.run.budget;
  const grid = sw.points;
  const A = n.a;
  const B = n.b;
  const at = (p: number) => sc.child(sw.key, p);
  const aVals: boolean[] = [];
  const bVals: boolean[] = [];
  const undefinedAt: string[] = [];
  // ρ of the update at each grid point for the plot below, read while the point's analysis is at hand (a point's
  // scope owns its analysis; a new scope for the same value would probe the update again)
  const rhos: number[] = [];
  let affine = prog.stateBases.length > 0;
  for (let i = 0; i < grid.length; i++) {
    budget.progress(i / grid.length, `${sw.display} = ${fmt(grid[i])}`);
    const p = at(grid[i]);
    const a = truth(A, p);
    const b = truth(B, p);
    if (a.why) undefinedAt.push(`${fmt(grid[i])}: ${a.why}`);
    if (b.why) undefinedAt.push(`${fmt(grid[i])}: ${b.why}`);
    aVals.push(a.v);
    bVals.push(b.v);
    if (affine) {
      const an = analyse(p);
      if (an.affine) rhos.push(an.rho);
      else affine = false;
    }
  }
  const log = !!sw.interval?.log;
  // where the spectral radius of an update affine in the swept value crosses 1 (closed form): confirmed, not bisected
  const candidates = sw.interval ? stabilityCandidates(sc, sw.interval.lo, sw.interval.hi) : [];
  const boundaries = (side: Node, vals: boolean[]) => {
    const out: number[] = [];
    if (!sw.interval) return out;
    for (let i = 0; i + 1 < grid.length; i++) {
      if (vals[i] !== vals[i + 1]) out.push(boundaryIn((x) => truth(side, at(x)).v, grid[i], grid[i + 1], log, budget, candidates));
    }
    return out;
  };
  const bA = boundaries(A, aVals);
  const bB = boundaries(B, bVals);
  // exact claimed boundary when B is `η < expr` (or `expr > η`, …)
  let exact: number | undefined;
  let exactLabel = '';
  if (B.k === 'rel' && B.items.length === 2) {
    const [l, r] = B.items;
    const other = isSweepVar(l, prog) && !mentionsSweep(r, prog) ? r : isSweepVar(r, prog) && !mentionsSweep(l, prog) ? l : undefined;
    if (other) {
      try {
        exact = num(ev(other, sc), other);
        exactLabel = pretty(prog.src(other.s, other.e));
      } catch {
        exact = undefined;
      }
    }
  }
  const tol = prog.tolerance;
  const claimed = exact !== undefined && bB.length === 1 ? [exact] : bB;
  const near = (x: number, bs: number[]) => bs.some((b) => Math.abs(x - b) <= tol * Math.max(Math.abs(b), 1e-300));
  const disagree: number[] = [];
  for (let i = 0; i < grid.length; i++) if (aVals[i] !== bVals[i] && !near(grid[i], claimed)) disagree.push(grid[i]);
  const unmatched = bA.filter((b) => !near(b, claimed)).concat(claimed.filter((b) => !bA.some((a) => Math.abs(a - b) <= tol * Math.max(Math.abs(b), 1e-300))));
  const holds = disagree.length === 0 && unmatched.length === 0;
  values.empiricalBoundaries = bA;
  values.claimedBoundaries = claimed;
  values.gridPoints = grid.length;
  values.disagreements = disagree.length;
  const v = pretty(sw.display);
  const aText = pretty(prog.src(A.s, A.e));
  const bText = pretty(prog.src(B.s, B.e));
  const parts: string[] = [];
  parts.push(bA.length ? `empirical boundary ${bA.map((x) => `${v} = ${fmt(x)}`).join(', ')}` : `no boundary of "${aText}" in the sweep (${aVals[0] ? 'true' : 'false'} throughout)`);
  if (claimed.length) parts.push(`claimed ${exactLabel && exact !== undefined ? exactLabel : v} = ${claimed.map(fmt).join(', ')}`);
  else parts.push(`"${bText}" is ${bVals[0] ? 'true' : 'false'} throughout`);
  if (disagree.length) parts.push(`the sides disagree at ${disagree.length} of ${grid.length} points (first at ${v} = ${fmt(disagree[0])})`);
  else if (unmatched.length) parts.push(`boundaries differ by more than the tolerance ${fmt(tol)}`);
  else parts.push(`both sides agree at all ${grid.length} points`);
  // what happens exactly at the claimed boundary
  if (exact !== undefined && prog.stateBases.length) {
    try {
      const p = at(exact);
      const tr = trajectory(p);
      values.atClaimedBoundary = { [sw.key]: exact, converges: tr.converges, bounded: tr.bounded, how: tr.why };
      parts.push(`at ${v} = ${fmt(exact)} exactly: ${tr.bounded ? 'bounded' : 'unbounded'}, ${tr.converges ? 'converges' : 'does not converge'}`);
    } catch (e) {
      if (!(e instanceof UndefinedError)) throw e;
    }
  }
  if (undefinedAt.length) {
    values.undefinedAt = undefinedAt.slice(0, 20);
    parts.push(`undefined at ${undefinedAt.length} point(s), e.g. ${pretty(undefinedAt[0])}`);
  }
  // plot of both sides
  const markers = [...bA.map((x) => ({ x, label: `empirical ${fmt(x)}` })), ...claimed.map((x) => ({ x, label: `claimed ${fmt(x)}` }))];
  plots.push({
    title: `${aText} ⟺ ${bText}`,
    xLabel: v,
    yLabel: 'true (1) / false (0)',
    logX: log,
    logY: false,
    series: [
      { name: aText, x: grid.slice(), y: aVals.map((b) => (b ? 1 : 0)) },
      { name: bText, x: grid.slice(), y: bVals.map((b) => (b ? 1 : 0)) },
    ],
    markers,
  });
  // spectral radius of the update over the sweep when the update is affine
  if (affine) plots.push({ title: `spectral radius of the update over ${v}`, xLabel: v, yLabel: 'ρ', logX: log, logY: false, series: [{ name: 'ρ', x: grid.slice(), y: rhos }], markers });
  return { holds, text: parts.join('; ') };
}

export function forAllPoints(sc: Scope, values: Record<string, unknown>, plots: PlotSpec[]): Verdict {
  const prog = sc.run.prog;
  const sw = sc.sweep as SweepSpec;
  const fails: { p: number; text: string }[] = [];
  let lastText = '';
  const series: number[] = [];
  for (let i = 0; i < sw.points.length; i++) {
    const p = sw.points[i];
    sc.run.budget.progress(i / sw.points.length, `${sw.display} = ${fmt(p)}`);
    const v = explain(prog.claim, sc.child(sw.key, p));
    series.push(v.holds ? 1 : 0);
    if (!v.holds) fails.push({ p, text: v.text });
    lastText = v.text;
  }
  const name = pretty(sw.display);
  values.failingPoints = fails.map((f) => f.p).slice(0, 50);
  values.gridPoints = sw.points.length;
  plots.push({
    title: `claim over ${name}`,
    xLabel: name,
    yLabel: 'holds (1) / fails (0)',
    logX: !!sw.interval?.log,
    logY: false,
    series: [{ name: 'claim holds', x: sw.points.slice(), y: series }],
  });
  if (fails.length) {
    return { holds: false, text: `fails at ${fails.length} of ${sw.points.length} points of ${name}; at ${name} = ${fmt(fails[0].p)}: ${fails[0].text}` };
  }
  return { holds: true, text: `holds at all ${sw.points.length} points of ${name} (e.g. ${lastText})` };
}

export function insideAgg(root: Node, target: Node, prog: Program): boolean {
  let inside = false;
  const visit = (n: Node, under: boolean): void => {
    if (n === target) {
      inside = under;
      return;
    }
    const u = under || (n.k === 'agg' && !prog.stepAggs.has(n));
    for (const c of children(n)) visit(c, u);
  };
  visit(root, false);
  return inside;
}
