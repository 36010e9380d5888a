// The verdict of a claim at one point (one trial of one combination): each boolean part with its numbers; over a
// sweep, judged by sweep/sweep.ts (the dispatch is verdicts/judge.ts).
import type { Node } from '../parser/ast';
import { Scope } from '../evaluation/scope';
import { bool, ev } from '../evaluation/evaluate';
import { evalRel } from '../evaluation/relations';
import { overSteps, stepRange } from '../simulation/measures';
import { trajectory } from '../simulation/simulate';
import { pretty } from '../parser/pretty';
import { UndefinedError } from '../errors';

export interface Verdict {
  holds: boolean;
  text: string;
}

/** Describe a boolean sub-claim with its numbers. */
export function explain(n: Node, sc: Scope): Verdict {
  const prog = sc.run.prog;
  try {
    if (n.k === 'rel') {
      const details: string[] = [];
      const ok = evalRel(n, sc, details);
      return { holds: ok, text: pretty(details.join('; ')) };
    }
    if (n.k === 'logic') {
      const a = explain(n.a, sc);
      if (n.op === 'implies') {
        if (!a.holds) return { holds: true, text: `${a.text} (premise false)` };
        const b = explain(n.b, sc);
        return { holds: b.holds, text: b.holds ? `${a.text} and ${b.text}` : `${a.text}, but ${b.text}` };
      }
      if (n.op === 'and' && !a.holds) return { holds: false, text: a.text };
      if (n.op === 'or' && a.holds) return a;
      const b = explain(n.b, sc);
      if (n.op === 'iff') return { holds: a.holds === b.holds, text: `${a.text} ${a.holds === b.holds ? 'and' : 'but'} ${b.text}` };
      return { holds: n.op === 'and' ? b.holds : b.holds, text: n.op === 'and' ? `${a.text}; ${b.text}` : b.text };
    }
    if (n.k === 'not') {
      const a = explain(n.a, sc);
      return { holds: !a.holds, text: a.text };
    }
    if (n.k === 'forall') {
      // the first step where the statement fails, with its numbers; else the numbers at the last step
      const { value, at } = overSteps(n, sc);
      const { lo, hi } = stepRange(n, sc);
      const step = sc.child();
      step.locals.set(n.v.key, at);
      const v = pretty(n.v.key);
      const b = explain(n.body, step);
      if (value === true) return { holds: true, text: `holds at every step ${v} = ${lo}…${hi} (at ${v} = ${at}: ${b.text})` };
      return { holds: false, text: `fails at ${v} = ${at} (of ${lo}…${hi}): ${b.text}` };
    }
    const v = ev(n, sc);
    const b = bool(v, n);
    let text = `${pretty(prog.src(n.s, n.e))} = ${b}`;
    if (n.k === 'measure' && (n.m === 'converges' || n.m === 'bounded' || n.m === 'diverges')) text += ` (${trajectory(sc).why})`;
    return { holds: b, text };
  } catch (e) {
    if (e instanceof UndefinedError) return { holds: false, text: `undefined: ${pretty(e.message)}` };
    throw e;
  }
}

export function truth(n: Node, sc: Scope): { v: boolean; why?: string } {
  try {
    return { v: bool(ev(n, sc), n) };
  } catch (e) {
    if (e instanceof UndefinedError) return { v: false, why: e.message };
    throw e;
  }
}
