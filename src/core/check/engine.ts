// From parsed sections to a linked program (`compile`), and one run of a program (`runProgram`): the trials of each
// `for each` combination judged (verdicts/claim.ts, sweep/sweep.ts), the message with the decisive numbers, the
// reported values and the plots (plots/trajectory.ts).
import type { Binding, Equation, Node, Sweep } from './parser/ast';
import type { Section } from './parser/block';
import { Budget, Scope, type Operators, type Program, type RunState } from './evaluation/scope';
import { evalRel } from './evaluation/relations';
import { evalGrad, evalPartial } from './calculus/derivatives';
import { ev, num } from './evaluation/evaluate';
import { fmt, fmtCount } from './evaluation/format';
import { forEachRef, link, usesState, type LinkEnv } from './evaluation/link';
import { tokenize } from './parser/lexer';
import { checkTreeDepth } from './parser/depth';
import { canon } from './parser/names';
import { Parser } from './parser/parser';
import { children, contains } from './parser/visit';
import { Rng } from './rng';
import { analyse } from './verdicts/analyse';
import { trajectory } from './simulation/simulate';
import { makeStepper, type Stepper } from './simulation/stepper';
import { stepMeasures } from './simulation/measures';
import { pretty } from './parser/pretty';
import type { PlotSpec } from './types';
import { CheckError, UndefinedError } from './errors';
import { Mat, describe, toPlain, type Value } from './linalg/values';
import { combos, sweepGrid, sweepSpec } from './sweep/sweep';
import { markSweepFree } from './evaluation/sweepfree';
import type { Verdict } from './verdicts/claim';
import { judge } from './verdicts/judge';
import { checkFixedDraws, drawnDependency, setGivens } from './evaluation/givens';
import { trajectoryPlots } from './plots/trajectory';

export const DEFAULT_STEPS = 1000;
export const MAX_STEPS = 10_000_000;
export const DEFAULT_TOLERANCE = 1e-3;
export const DEFAULT_SEED = 1;


function sectionText(s: Section): string {
  return s.src.text.trim();
}

function valueLoc(s: Section): { s: number; e: number } {
  const t = s.src.text;
  const a = t.length - t.trimStart().length;
  const b = t.trimEnd().length;
  return { s: s.src.map[a] ?? s.keyE, e: (s.src.map[Math.max(a, b - 1)] ?? s.keyE) + 1 };
}

/** Build and link a program; throws CheckError at the first problem. */
export function compile(sections: Section[], line: number, docText: string): Program {
  const byKey = new Map<string, Section[]>();
  for (const s of sections) byKey.set(s.key, [...(byKey.get(s.key) ?? []), s]);
  const first = (k: string) => byKey.get(k)?.[0];
  const parserOf = (s: Section) => new Parser(tokenize(s.src));

  const title = first('title') ? sectionText(first('title') as Section) : '';
  let expectFail = false;
  const ex = first('expect');
  if (ex) {
    const v = sectionText(ex).toLowerCase();
    if (v === 'fail' || v === 'failure' || v === 'false') expectFail = true;
    else if (v !== 'pass' && v !== 'true' && v !== 'hold' && v !== 'holds') {
      const l = valueLoc(ex);
      throw new CheckError(`\`expect\` is \`fail\` or \`pass\`, not \`${sectionText(ex)}\``, l.s, l.e);
    }
  }
  const givens: Binding[] = [];
  for (const s of byKey.get('given') ?? []) givens.push(...parserOf(s).parseBindings(false));
  const letList: Binding[] = [];
  for (const s of byKey.get('let') ?? []) letList.push(...parserOf(s).parseBindings(true));
  const equations: Equation[] = [];
  for (const s of byKey.get('iterate') ?? []) equations.push(...parserOf(s).parseEquations());
  const sweepSec = first('sweep');
  const sweep: Sweep | undefined = sweepSec ? parserOf(sweepSec).parseSweep() : undefined;
  const claimSec = first('claim');
  if (!claimSec) {
    const at = sections[0];
    throw new CheckError('the block has no `claim:` (say what should hold, e.g. `claim: \\text{converges}`)', at ? at.keyS : 0, at ? at.keyE : 0);
  }
  if (sectionText(claimSec) === '') throw new CheckError('`claim` is empty', claimSec.keyS, claimSec.keyE);
  const claim = parserOf(claimSec).parseSingle();
  const plots: Node[] = [];
  for (const s of byKey.get('plot') ?? []) plots.push(...parserOf(s).parseList());
  for (const part of [givens, letList, equations, sweep, claim, plots]) checkTreeDepth(part);

  const src = (s: number, e: number) => (s >= 0 && e <= docText.length && e > s ? docText.slice(s, e) : '');
  const prog: Program = {
    title,
    line,
    expectFail,
    seed: DEFAULT_SEED,
    steps: DEFAULT_STEPS,
    trials: 1,
    tolerance: DEFAULT_TOLERANCE,
    toleranceGiven: false,
    givens,
    lets: new Map(),
    equations,
    timeVar: '',
    stateBases: [],
    claim,
    plots,
    refs: new WeakMap(),
    appRefs: new WeakMap(),
    dynamicLets: new Set(),
    perStep: new Map(),
    letVars: new Map(),
    staticNodes: new WeakSet(),
    sweepFreeNodes: new WeakSet(),
    stepAggs: new WeakSet(),
    src,
  };

  // time variable and iterated variables
  for (const eq of equations) {
    const sub = canon(eq.sub);
    const m = /^([A-Za-z])\+1$/.exec(sub);
    if (!m) throw new CheckError(`write the update as \`${eq.base}_{t+1} = …\` (found subscript \`${sub}\`)`, eq.nameS, eq.nameE);
    if (prog.timeVar && prog.timeVar !== m[1]) throw new CheckError(`all updates must use the same step index (${prog.timeVar}+1)`, eq.nameS, eq.nameE);
    prog.timeVar = m[1];
    if (prog.stateBases.includes(eq.base)) throw new CheckError(`\`${eq.base}\` is updated twice`, eq.nameS, eq.nameE);
    prog.stateBases.push(eq.base);
  }

  // names
  const valKeys = new Set<string>();
  const allGivenKeys = new Set<string>();
  for (const g of givens) {
    if (g.kind === 'draw' && g.perStep) {
      if (g.perStep !== prog.timeVar) {
        // `\sigma_i \sim …` without an iterate in i: an ordinary draw named σ_i
        g.key = g.ownKey ?? g.key;
        g.perStep = undefined;
      } else {
        if (g.fixed) throw new CheckError(`\`${g.display}\` is drawn afresh at every step; \\text{fixed} holds a draw over the trials (drop one of them)`, g.nameS, g.nameE);
        prog.perStep.set(g.key, g as Binding & { kind: 'draw' });
        continue;
      }
    }
    if (g.kind === 'func' || g.kind === 'family') throw new CheckError('functions and indexed definitions belong in `let`', g.nameS, g.nameE);
    if (allGivenKeys.has(g.key)) throw new CheckError(`\`${g.display}\` is defined twice`, g.nameS, g.nameE);
    allGivenKeys.add(g.key);
    valKeys.add(g.key);
  }
  const letKeys = new Set<string>();
  const funcKeys = new Set<string>();
  const familyKeys = new Set<string>();
  for (const l of letList) {
    if (l.kind === 'draw' || l.kind === 'each') throw new CheckError('random draws and sets belong in `given`', l.nameS, l.nameE);
    if (valKeys.has(l.key) || prog.lets.has(l.key)) throw new CheckError(`\`${l.display}\` is defined twice`, l.nameS, l.nameE);
    prog.lets.set(l.key, l);
    if (l.kind === 'func') funcKeys.add(l.key);
    else {
      letKeys.add(l.key);
      if (l.kind === 'family') familyKeys.add(l.key);
    }
  }
  if (sweep) {
    if (valKeys.has(sweep.key)) throw new CheckError(`\`${src(sweep.nameS, sweep.nameE)}\` is both given and swept: remove it from \`given\``, sweep.nameS, sweep.nameE);
    valKeys.add(sweep.key);
  }
  for (const base of prog.stateBases) {
    if (!allGivenKeys.has(`${base}_{0}`)) {
      const eq = equations.find((e) => e.base === base) as Equation;
      throw new CheckError(`initial value \`${base}_0\` is missing: add \`${base}_0 = …\` to \`given\``, eq.nameS, eq.nameE);
    }
  }
  const baseEnv: Omit<LinkEnv, 'section'> = { prog, locals: new Set(), valKeys, allGivenKeys, letKeys, funcKeys, familyKeys };
  // sweep range (constants and givens)
  if (sweep) {
    link(sweep.range, { ...baseEnv, section: 'given', givenSoFar: allGivenKeys });
    // provisional (the grid is computed once the givens are linked)
    prog.sweep = { key: sweep.key, display: src(sweep.nameS, sweep.nameE) || sweep.key, node: sweep.range, points: [] };
  }
  // givens in order
  const soFar = new Set<string>();
  for (const g of givens) {
    const env: LinkEnv = { ...baseEnv, section: 'given', givenSoFar: soFar };
    if (g.kind === 'value') link(g.expr, env);
    else if (g.kind === 'draw') {
      g.dist.args.forEach((a) => link(a, g.perStep ? { ...baseEnv, section: 'let' } : env));
      g.dims.forEach((d) => link(d, env));
    } else if (g.kind === 'each') link(g.set, { ...env, givenSoFar: new Set() });
    if (!(g.kind === 'draw' && g.perStep)) soFar.add(g.key);
  }
  checkFixedDraws(givens, prog);
  // lets
  const uses = new Map<string, Set<string>>();
  for (const l of letList) {
    const u = new Set<string>();
    uses.set(l.key, u);
    if (l.kind === 'value') link(l.expr, { ...baseEnv, section: 'let', uses: u });
    else if (l.kind === 'func') link(l.expr, { ...baseEnv, section: 'let', locals: new Set(l.params), uses: u });
    else if (l.kind === 'family') {
      l.ranges.forEach(([a, b]) => {
        link(a, { ...baseEnv, section: 'let', uses: u });
        link(b, { ...baseEnv, section: 'let', uses: u });
      });
      link(l.expr, { ...baseEnv, section: 'let', locals: new Set(l.indices), uses: u });
    }
    if (u.has(l.key)) throw new CheckError(`\`${l.display}\` is defined in terms of itself`, l.nameS, l.nameE);
  }
  // dynamic lets (depend on the iterate state)
  const direct = new Set<string>();
  for (const l of letList) {
    const expr = l.kind === 'value' || l.kind === 'func' || l.kind === 'family' ? l.expr : undefined;
    if (expr && usesState(expr, prog)) direct.add(l.key);
  }
  let changed = true;
  while (changed) {
    changed = false;
    for (const [k, u] of uses) {
      if (direct.has(k)) continue;
      for (const x of u) {
        if (direct.has(x)) {
          direct.add(k);
          changed = true;
          break;
        }
      }
    }
  }
  prog.dynamicLets = direct;
  // cycles between lets
  const visiting = new Set<string>();
  const visited = new Set<string>();
  const visit = (k: string) => {
    if (visited.has(k)) return;
    if (visiting.has(k)) {
      const l = prog.lets.get(k) as Binding;
      throw new CheckError(`\`${l.display}\` is defined in terms of itself (circular \`let\`)`, l.nameS, l.nameE);
    }
    visiting.add(k);
    for (const x of uses.get(k) ?? []) if (prog.lets.has(x)) visit(x);
    visiting.delete(k);
    visited.add(k);
  };
  for (const k of prog.lets.keys()) visit(k);
  // variables of lets (for \nabla of a let without parameters), in the order of `given`
  const givenOrder = givens.map((g) => g.key);
  const varsOf = (k: string, seen: Set<string>): Set<string> => {
    const out = new Set<string>();
    if (seen.has(k)) return out;
    seen.add(k);
    for (const x of uses.get(k) ?? []) {
      if (valKeys.has(x)) out.add(x);
      else for (const y of varsOf(x, seen)) out.add(y);
    }
    return out;
  };
  for (const k of prog.lets.keys()) {
    const vs = varsOf(k, new Set());
    prog.letVars.set(k, givenOrder.filter((g) => vs.has(g)));
  }
  // equations: link and order (an update may use another variable's new value)
  for (const eq of equations) link(eq.expr, { ...baseEnv, section: 'iterate' });
  prog.equations = orderEquations(equations, prog);
  // claim and plots
  link(claim, { ...baseEnv, section: 'claim' });
  for (const p of plots) link(p, { ...baseEnv, section: 'plot' });

  // numbers: steps, trials, tolerance, seed
  const constant = (key: string, check: (v: number) => string | undefined): number | undefined => {
    const s = first(key);
    if (!s) return undefined;
    const loc = valueLoc(s);
    const text = sectionText(s);
    let v: number;
    if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) v = Number(text);
    else {
      try {
        const node = parserOf(s).parseSingle();
        link(node, { ...baseEnv, section: 'const', valKeys: new Set(), letKeys: new Set(), funcKeys: new Set(), familyKeys: new Set() });
        const run = newRun(prog, new Rng(1), new Budget(Date.now(), 1000, undefined, undefined));
        v = num(ev(node, new Scope(run)), node);
      } catch (e) {
        // a constant of the block is a number written out (10^{-3}, 2^{10}): say so, with the reason
        if (!(e instanceof CheckError)) throw e;
        const example = key === 'tolerance' ? '10^{-3}' : '1000';
        if (/^unknown symbol|is used before it is defined/.test(e.message)) {
          throw new CheckError(`\`${key}\` is a number written out, such as ${example}: names (also those of \`given\`) cannot be used in it, and \`${prog.src(e.start, e.end)}\` is one`, e.start, e.end);
        }
        throw new CheckError(`\`${key}\` is a number written out, such as ${example}: ${e.message}`, e.start, e.end);
      }
    }
    const problem = check(v);
    if (problem) throw new CheckError(problem, loc.s, loc.e);
    return v;
  };
  const steps = constant('steps', (v) =>
    !Number.isInteger(v) || v < 1
      ? `\`steps\` must be a positive whole number, got ${fmt(v)}`
      : v > MAX_STEPS
        ? `steps = ${fmtCount(v)} is more than the engine simulates within a time limit (at most 10^7); the semantics need far fewer — lower \`steps\``
        : undefined,
  );
  if (steps !== undefined) prog.steps = steps;
  const trials = constant('trials', (v) => (!Number.isInteger(v) || v < 1 || v > 100000 ? `\`trials\` must be a whole number from 1 to 100000, got ${fmt(v)}` : undefined));
  if (trials !== undefined) prog.trials = trials;
  const tol = constant('tolerance', (v) => (!(v > 0 && v < 1) ? `\`tolerance\` must lie in (0, 1), got ${fmt(v)}` : undefined));
  if (tol !== undefined) {
    prog.tolerance = tol;
    prog.toleranceGiven = true;
  }
  const seed = constant('seed', (v) => (!Number.isInteger(v) ? `\`seed\` must be a whole number, got ${fmt(v)}` : undefined));
  if (seed !== undefined) prog.seed = seed;
  if (first('steps') && !prog.stateBases.length) {
    const s = first('steps') as Section;
    throw new CheckError('`steps` needs an `iterate`', s.keyS, s.keyE);
  }

  // sweep grid
  if (sweep) {
    // bounds that use random givens (`[0, 2/L]` with L drawn) are gridded per trial, from that trial's values
    if (drawnDependency(sweep.range, givens, prog, true)) prog.sweepPerTrial = sweep;
    else prog.sweep = sweepSpec(sweep, prog, newRun(prog, new Rng(1), new Budget(Date.now(), 1000, undefined, undefined)));
  }
  markStatic(prog);
  markSweepFree(prog);
  void first;
  return prog;
}

/** Mark sub-expressions of updates that do not change with t (cached per point, e.g. X^T X). */
function markStatic(prog: Program): void {
  const visit = (n: Node): boolean => {
    // returns true when n is static
    switch (n.k) {
      case 'num':
      case 'const':
        return true;
      case 'sym': {
        const r = prog.refs.get(n);
        if (!r) return false;
        if (r.r === 'state' || r.r === 'time' || r.r === 'perstep' || r.r === 'local' || r.r === 'T' || r.r === 'limit') return false;
        if (r.r === 'let') return !prog.dynamicLets.has(r.key);
        if (r.r === 'index') return r.idx.every(visit) && r.base.r !== 'local' && !(r.base.r === 'let' && prog.dynamicLets.has(r.base.key));
        return true;
      }
      case 'bin':
      case 'neg':
      case 'transpose':
      case 'matrix':
      case 'tuple':
      case 'fn':
        break;
      default:
        return false;
    }
    // every child is visited (marking its own static parts); a function's base (log_b) is not part of it
    const flags = (n.k === 'fn' ? n.args : children(n)).map(visit);
    const st = flags.every(Boolean);
    if (st && n.k !== 'neg') prog.staticNodes.add(n);
    return st;
  };
  for (const eq of prog.equations) visit(eq.expr);
  for (const [k, l] of prog.lets) if (prog.dynamicLets.has(k) && l.kind === 'value') visit(l.expr);
}

function orderEquations(eqs: Equation[], prog: Program): Equation[] {
  const deps = new Map<string, Set<string>>();
  for (const eq of eqs) {
    const d = new Set<string>();
    forEachRef(eq.expr, prog, (r) => {
      if (r.r === 'state' && r.next) d.add(r.base);
    });
    deps.set(eq.base, d);
  }
  const out: Equation[] = [];
  const done = new Set<string>();
  const busy = new Set<string>();
  const visit = (eq: Equation) => {
    if (done.has(eq.base)) return;
    if (busy.has(eq.base)) throw new CheckError(`the updates of \`${eq.base}\` use each other's new values in a circle`, eq.nameS, eq.nameE);
    busy.add(eq.base);
    for (const d of deps.get(eq.base) ?? []) {
      const other = eqs.find((e) => e.base === d);
      if (other) visit(other);
    }
    busy.delete(eq.base);
    done.add(eq.base);
    out.push(eq);
  };
  eqs.forEach(visit);
  return out;
}

// ------------------------------------------------------------------ running

export interface ProgramOutcome {
  holds: boolean;
  message: string;
  values: Record<string, unknown>;
  plots: PlotSpec[];
  iterations: number;
}

/** Facts of the single point (no sweep) worth reporting. */
function pointValues(sc: Scope, values: Record<string, unknown>): void {
  const prog = sc.run.prog;
  if (!prog.stateBases.length || prog.sweep) return;
  try {
    const an = analyse(sc);
    const tr = trajectory(sc);
    values.affine = an.affine;
    if (an.affine) values.rate = an.rho;
    if (!Number.isNaN(tr.empiricalRate)) values.empiricalRate = tr.empiricalRate;
    values.converges = tr.converges;
    values.bounded = tr.bounded;
    values.trajectory = tr.why;
    values.stepsSimulated = tr.steps;
    if (tr.xstar) {
      values.limitSource = tr.xstarSource;
      const st = makeStepper(sc);
      const lim: Record<string, unknown> = {};
      for (const s of st.slots) lim[s.base] = s.size <= 50 ? Array.from(tr.xstar.subarray(s.offset, s.offset + s.size)) : `${s.size} numbers`;
      values.limit = lim;
    }
    if (tr.diverged) values.diverged = `${tr.diverged.kind} at t = ${tr.diverged.t}`;
  } catch (e) {
    if (!(e instanceof UndefinedError)) throw e;
  }
}

/** The operators the evaluator reaches through the run (RunState.ops). */
const operators: Operators = { rel: (n, sc) => evalRel(n, sc), grad: evalGrad, partial: evalPartial };

/** The state of one run of a program: its random stream, budget, notes and the simulator's step measures. */
export function newRun(prog: Program, rng: Rng, budget: Budget, options: { interpretOnly?: boolean; numericDerivatives?: boolean } = {}): RunState {
  return { prog, rng, budget, notes: {}, plots: [], interpretOnly: options.interpretOnly, numericDerivatives: options.numericDerivatives, steps: stepMeasures, ops: operators };
}

/**
 * The stepper of a check's recurrence at its first point (first `for each` combination, first trial), for running
 * the update on its own (benchmarks, comparing the compiled step with the interpreter).
 */
export function firstStepper(prog: Program, run: RunState): Stepper {
  if (!prog.stateBases.length) throw new CheckError('the check has no `iterate`', 0, 0);
  if (prog.sweep) throw new CheckError('the recurrence depends on a swept value; fix it in `given`', 0, 0);
  const sc = new Scope(run);
  for (const c of combos(prog, run)[0] ?? []) sc.vals.set(c.key, c.value);
  setGivens(prog, sc, new Map());
  return makeStepper(sc);
}

export function runProgram(prog: Program, run: RunState): ProgramOutcome {
  const values: Record<string, unknown> = {};
  const plots: PlotSpec[] = [];
  const cs = combos(prog, run);
  const hasE = contains(prog.claim, (x) => x.k === 'E');
  const verdicts: { label: string; v: Verdict; trial: number }[] = [];
  let firstScope: Scope | undefined;
  for (let ci = 0; ci < cs.length; ci++) {
    const combo = cs[ci];
    const scopes: Scope[] = [];
    const fixed = new Map<string, Value>();
    for (let k = 0; k < prog.trials; k++) {
      run.budget.check();
      const sc = new Scope(run);
      sc.pointId = k;
      for (const c of combo) sc.vals.set(c.key, c.value);
      setGivens(prog, sc, fixed);
      scopes.push(sc);
    }
    for (const s of scopes) s.siblings = scopes;
    firstScope ??= scopes[0];
    const label = combo.map((c) => `${pretty(c.display)} = ${fmt(c.value)}`).join(', ');
    const judged = hasE ? scopes.slice(0, 1) : scopes;
    for (let k = 0; k < judged.length; k++) {
      run.budget.progress((ci * judged.length + k) / (cs.length * judged.length), label || `trial ${k + 1}`);
      if (prog.sweepPerTrial) judged[k].trialGrid = sweepGrid(prog.sweepPerTrial, prog, judged[k]);
      const v = judge(judged[k], ci === 0 && k === 0 ? values : {}, ci === 0 && k === 0 ? plots : []);
      verdicts.push({ label, v, trial: k });
    }
  }
  const failed = verdicts.filter((x) => !x.v.holds);
  const holds = failed.length === 0;
  const sc0 = firstScope as Scope;
  // reported values: givens of the first trial
  const givenVals: Record<string, unknown> = {};
  for (const [k, v] of sc0.vals) givenVals[pretty(k)] = v instanceof Mat && v.d.length > 100 ? describe(v) : toPlain(v);
  values.given = givenVals;
  pointValues(sc0, values);
  try {
    trajectoryPlots(sc0, plots);
  } catch (e) {
    if (!(e instanceof UndefinedError)) throw e;
  }
  for (const p of run.plots) plots.push(p);
  Object.assign(values, run.notes);
  values.iterations = run.budget.iterations;
  if (cs.length > 1) values.combinations = cs.length;
  if (prog.trials > 1) values.trials = prog.trials;
  values.failures = failed.length;
  let message: string;
  const where = (x: { label: string; trial: number }) =>
    [x.label ? `for ${x.label}` : '', prog.trials > 1 && !hasE ? `in trial ${x.trial + 1} of ${prog.trials}` : ''].filter(Boolean).join(' ');
  if (holds) {
    const perTrial = prog.trials > 1 && !hasE;
    const trialNote = (label: string) => {
      const first = verdicts.find((x) => x.label === label) as (typeof verdicts)[number];
      return perTrial ? `holds in all ${prog.trials} trials (trial 1: ${first.v.text})` : first.v.text;
    };
    if (cs.length > 1) {
      // every combination with its own numbers (the first few; the count says how many were judged)
      const shown = cs.slice(0, 4).map((c) => {
        const label = c.map((x) => `${pretty(x.display)} = ${fmt(x.value)}`).join(', ');
        return `${label}: ${trialNote(label)}`;
      });
      message = `holds for all ${cs.length} combinations: ${shown.join('; ')}${cs.length > 4 ? `; … (${cs.length - 4} more)` : ''}`;
    } else message = trialNote(verdicts[0].label);
  } else {
    const f = failed[0];
    const w = where(f);
    message = `${w ? w + ': ' : ''}${f.v.text}`;
    if (failed.length > 1) message += ` (fails in ${failed.length} of ${verdicts.length} cases)`;
  }
  return { holds, message, values, plots, iterations: run.budget.iterations };
}
