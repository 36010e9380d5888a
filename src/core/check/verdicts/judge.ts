// The verdict of a check's claim: over the sweep (every point, or the ⟺ boundaries) when the claim has no
// \min/\max/\arg\min over it, else the claim itself with its numbers (verdicts/claim.ts `explain`).
import type { PlotSpec } from '../types';
import { CheckError } from '../errors';
import { Scope } from '../evaluation/scope';
import { contains } from '../parser/visit';
import { forAllPoints, iffSweep, insideAgg, isSweepVar, mentionsSweep } from '../sweep/sweep';
import { explain, type Verdict } from './claim';

export function judge(sc: Scope, values: Record<string, unknown>, plots: PlotSpec[]): Verdict {
  const prog = sc.run.prog;
  const claim = prog.claim;
  if (prog.sweep) {
    const hasAgg = contains(claim, (x) => x.k === 'agg' && !prog.stepAggs.has(x));
    if (!hasAgg) {
      if (claim.k === 'logic' && claim.op === 'iff' && sc.sweep?.interval) return iffSweep(claim, sc, values, plots);
      return forAllPoints(sc, values, plots);
    }
    if (mentionsSweep(claim, prog) && contains(claim, (x) => x.k !== 'agg' && isSweepVar(x, prog) && !insideAgg(claim, x, prog))) {
      throw new CheckError(`\`${prog.sweep.display}\` is used both inside and outside \\min/\\max/\\arg\\min`, claim.s, claim.e);
    }
  }
  return explain(claim, sc);
}
