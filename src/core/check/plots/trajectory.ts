// Plots of a check: ‖x_t − x*‖ (or ‖x_t‖) over t at a few sweep points, the `plot:` expressions over t or over the
// swept value. Long series are thinned once, keeping each bucket's minimum and maximum (core/plot/decimate.ts).
import type { Node } from '../parser/ast';
import { Scope, type Program, type SweepSpec } from '../evaluation/scope';
import { usesState } from '../evaluation/link';
import { ev, num } from '../evaluation/evaluate';
import { fmt } from '../evaluation/format';
import { contains } from '../parser/visit';
import { trajectory } from '../simulation/simulate';
import { makeStepper } from '../simulation/stepper';
import { pretty } from '../parser/pretty';
import type { PlotSeries, PlotSpec } from '../types';
import { UndefinedError } from '../errors';
import { MAX_POINTS_PER_SERIES, decimateSteps } from '../../plot/decimate';
import { Mat, type Value } from '../linalg/values';
import { mentionsSweep } from '../sweep/sweep';

/** Plots of trajectories and of the `plot:` expressions. */
export function trajectoryPlots(sc: Scope, plots: PlotSpec[]): void {
  const prog = sc.run.prog;
  if (!prog.stateBases.length && !prog.plots.length) return;
  const sw = sc.sweep;
  let points: (number | undefined)[] = [undefined];
  if (sw) {
    const g = sw.points;
    const idx = g.length <= 4 ? g.map((_, i) => i) : [0, Math.floor(g.length / 3), Math.floor((2 * g.length) / 3), g.length - 1];
    points = idx.map((i) => g[i]);
  }
  const vname = sw ? pretty(sw.display) : '';
  const overT = prog.plots.filter((p) => usesState(p, prog));
  const overSweep = prog.plots.filter((p) => !usesState(p, prog) && sw && mentionsSweepOrMeasure(p, prog));
  if (prog.stateBases.length) {
    const errSeries: PlotSeries[] = [];
    const userSeries: PlotSeries[][] = overT.map(() => []);
    for (const p of points) {
      sc.run.budget.check();
      const at = p === undefined ? sc : sc.child((sw as SweepSpec).key, p);
      let tr;
      try {
        tr = trajectory(at);
      } catch (e) {
        if (e instanceof UndefinedError) continue;
        throw e;
      }
      const suffix = p === undefined ? '' : ` (${vname} = ${fmt(p)})`;
      const e = tr.errs?.get('*');
      errSeries.push(overSteps((e ? '‖x_t − x*‖' : '‖x_t‖') + suffix, e ? e.subarray(0, tr.steps + 1) : tr.norms));
      if (overT.length) {
        // re-run with the plot expressions evaluated at every step
        const st = makeStepper(at);
        let x = st.x0;
        const cols = overT.map(() => [] as number[]);
        const stepScope = st.scope;
        for (let t = 0; t <= tr.steps; t++) {
          sc.run.budget.poll();
          stepScope.t = t;
          stepScope.letCache.clear();
          const state = stepScope.state as Map<string, Value>;
          for (const s of st.slots) state.set(s.base, typeof s.proto === 'number' ? x[s.offset] : new Mat((s.proto as Mat).r, (s.proto as Mat).c, x.slice(s.offset, s.offset + s.size), (s.proto as Mat).vec));
          overT.forEach((pn, k) => {
            try {
              cols[k].push(num(ev(pn, stepScope), pn, 'a number to plot'));
            } catch (err) {
              if (err instanceof UndefinedError) cols[k].push(NaN);
              else throw err;
            }
          });
          if (t < tr.steps) x = st.step(x, t);
        }
        overT.forEach((pn, k) => userSeries[k].push(overSteps(pretty(prog.src(pn.s, pn.e)) + suffix, cols[k])));
      }
    }
    if (errSeries.length) plots.push(plotOf('distance to the limit over t', 't', '‖x_t − x*‖', errSeries));
    overT.forEach((pn, k) => {
      if (userSeries[k].length) plots.push(plotOf(pretty(prog.src(pn.s, pn.e)), 't', pretty(prog.src(pn.s, pn.e)), userSeries[k]));
    });
  }
  if (sw) {
    for (const pn of overSweep) {
      const ys: number[] = [];
      for (const p of sw.points) {
        sc.run.budget.poll();
        try {
          ys.push(num(ev(pn, sc.child(sw.key, p)), pn, 'a number to plot'));
        } catch (err) {
          if (err instanceof UndefinedError) ys.push(NaN);
          else throw err;
        }
      }
      const label = pretty(prog.src(pn.s, pn.e));
      const pl = plotOf(`${label} over ${vname}`, vname, label, [{ name: label, x: sw.points.slice(), y: ys }]);
      pl.logX = !!sw.interval?.log;
      plots.push(pl);
    }
  }
}

function mentionsSweepOrMeasure(n: Node, prog: Program): boolean {
  return mentionsSweep(n, prog) || contains(n, (x) => x.k === 'measure' || (x.k === 'sym' && prog.refs.get(x)?.r === 'T'));
}

/** A series over the steps t = 0 … n−1, thinned once (each bucket's minimum and maximum kept). */
function overSteps(name: string, ys: ArrayLike<number>): PlotSeries {
  return { name, ...decimateSteps(ys, MAX_POINTS_PER_SERIES) };
}

function plotOf(title: string, xLabel: string, yLabel: string, series: PlotSeries[]): PlotSpec {
  const ys = series.flatMap((s) => s.y).filter((v) => Number.isFinite(v));
  const pos = ys.filter((v) => v > 0);
  const logY = ys.length > 0 && pos.length >= ys.length * 0.9 && Math.max(...pos) / Math.min(...pos) > 100;
  return { title, xLabel, yLabel, logX: false, logY, series };
}
