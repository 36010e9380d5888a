// From parsed sections to a linked program, and from a program to a verdict: trials, for-each sets, sweeps with
// bisection of ⟺ boundaries, arg-min claims, messages with the decisive numbers, and plots.
import type { Binding, Equation, Node, Sweep, SymNode } from './parser/ast';
import type { Section } from './parser/block';
import { Budget, Scope, StopError, MAX_ENTRIES, type Program, type RunState, type SweepSpec } from './evaluation/scope';
import { bool, ev, num } from './evaluation/evaluate';
import { evalRel } from './evaluation/relations';
import { fmt, fmtCount, fmtValue, short } from './evaluation/format';
import { forEachRef, link, type LinkEnv } from './evaluation/link';
import { tokenize } from './parser/lexer';
import { Parser, canon, checkTreeDepth } from './parser/parser';
import { children, contains } from './parser/visit';
import { Rng } from './rng';
import { analyse, makeStepper, stepMeasures, overSteps, stepRange, trajectory, type Stepper } from './simulation/simulate';
import { pretty } from './parser/pretty';
import type { PlotSeries, PlotSpec } from './types';
import { CheckError, UndefinedError } from './errors';
import { FiniteSet, Mat, describe, toPlain, type Value } from './linalg/values';

export const DEFAULT_STEPS = 1000;
export const MAX_STEPS = 10_000_000;
export const DEFAULT_POINTS = 200;
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
      const node = parserOf(s).parseSingle();
      link(node, { ...baseEnv, section: 'const', valKeys: new Set(), letKeys: new Set(), funcKeys: new Set(), familyKeys: new Set() });
      const run = newRun(prog, new Rng(1), new Budget(Date.now(), 1000, undefined, undefined));
      v = num(ev(node, new Scope(run)), node);
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
    else prog.sweep = sweepSpec(sweep, prog, baseEnv);
  }
  markStatic(prog);
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

function usesState(n: Node, prog: Program): boolean {
  let found = false;
  forEachRef(n, prog, (r) => {
    if (r.r === 'state' || r.r === 'time' || r.r === 'perstep') found = true;
  });
  return found;
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

function sweepSpec(sw: Sweep, prog: Program, _env: Omit<LinkEnv, 'section'>): SweepSpec {
  const run = newRun(prog, new Rng(1), new Budget(Date.now(), 1000, undefined, undefined));
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
function sweepGrid(sw: Sweep, prog: Program, sc: Scope): SweepSpec {
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

// ------------------------------------------------------------------ running

interface Verdict {
  holds: boolean;
  text: string;
}

export interface ProgramOutcome {
  holds: boolean;
  message: string;
  values: Record<string, unknown>;
  plots: PlotSpec[];
  iterations: number;
}

function drawValue(g: Binding & { kind: 'draw' }, sc: Scope): Value {
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
  }
  const rng = sc.run.rng;
  if (dims.length === 0) return normal ? p + q * rng.gaussian() : p + (q - p) * rng.uniform();
  const d = new Float64Array(total);
  fillDraws(d, rng, normal, p, q, sc.run.budget);
  if (dims.length === 1) return new Mat(dims[0], 1, d, true);
  return new Mat(dims[0], dims[1], d, false);
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
function drawnDependency(n: Node, givens: Binding[], prog: Program, fixedToo: boolean): Binding | undefined {
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
function checkFixedDraws(givens: Binding[], prog: Program): void {
  for (const g of givens) {
    if (g.kind !== 'draw' || !g.fixed) continue;
    for (const a of [...g.dist.args, ...g.dims]) {
      const d = drawnDependency(a, givens, prog, false);
      if (d) throw new CheckError(`\`${g.display}\` is fixed over the trials but depends on \`${d.display}\`, which is redrawn in every trial (mark it \\text{fixed} too)`, a.s, a.e);
    }
  }
}

/** The givens of one trial; `fixed` holds the `\text{fixed}` draws of the first trial of this combination. */
function setGivens(prog: Program, sc: Scope, fixed: Map<string, Value>): void {
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

function combos(prog: Program, run: RunState): { key: string; display: string; value: number }[][] {
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

/** Describe a boolean sub-claim with its numbers. */
function explain(n: Node, sc: Scope): Verdict {
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

function truth(n: Node, sc: Scope): { v: boolean; why?: string } {
  try {
    return { v: bool(ev(n, sc), n) };
  } catch (e) {
    if (e instanceof UndefinedError) return { v: false, why: e.message };
    throw e;
  }
}

function bisect(pred: (x: number) => boolean, lo: number, hi: number, log: boolean, budget: Budget): number {
  const pLo = pred(lo);
  let a = lo;
  let b = hi;
  for (let k = 0; k < 200 && Math.abs(b - a) > 1e-6 * Math.max(Math.abs(a), Math.abs(b)) * 0.5; k++) {
    budget.poll();
    const m = log && a > 0 ? Math.sqrt(a * b) : (a + b) / 2;
    if (pred(m) === pLo) a = m;
    else b = m;
  }
  return (a + b) / 2;
}

function isSweepVar(n: Node, prog: Program): boolean {
  if (n.k !== 'sym') return false;
  const r = prog.refs.get(n);
  return !!r && r.r === 'val' && r.key === prog.sweep?.key;
}

function mentionsSweep(n: Node, prog: Program): boolean {
  let found = false;
  forEachRef(n, prog, (r) => {
    if (r.r === 'val' && r.key === prog.sweep?.key) found = true;
  });
  return found;
}

function iffSweep(n: Node & { k: 'logic' }, sc: Scope, values: Record<string, unknown>, plots: PlotSpec[]): Verdict {
  const prog = sc.run.prog;
  const sw = prog.sweep as SweepSpec;
  const budget = sc.run.budget;
  const grid = sw.points;
  const A = n.a;
  const B = n.b;
  const at = (p: number) => sc.child(sw.key, p);
  const aVals: boolean[] = [];
  const bVals: boolean[] = [];
  const undefinedAt: string[] = [];
  for (let i = 0; i < grid.length; i++) {
    budget.progress(i / grid.length, `${sw.display} = ${fmt(grid[i])}`);
    const p = at(grid[i]);
    const a = truth(A, p);
    const b = truth(B, p);
    if (a.why) undefinedAt.push(`${fmt(grid[i])}: ${a.why}`);
    if (b.why) undefinedAt.push(`${fmt(grid[i])}: ${b.why}`);
    aVals.push(a.v);
    bVals.push(b.v);
  }
  const log = !!sw.interval?.log;
  const boundaries = (side: Node, vals: boolean[]) => {
    const out: number[] = [];
    if (!sw.interval) return out;
    for (let i = 0; i + 1 < grid.length; i++) {
      if (vals[i] !== vals[i + 1]) out.push(bisect((x) => truth(side, at(x)).v, grid[i], grid[i + 1], log, budget));
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
  if (prog.stateBases.length) {
    // spectral radius of the update over the sweep when the update is affine
    const rhos: number[] = [];
    let affine = true;
    for (const p of grid) {
      const an = analyse(at(p));
      if (!an.affine) {
        affine = false;
        break;
      }
      rhos.push(an.rho);
    }
    if (affine) plots.push({ title: `spectral radius of the update over ${v}`, xLabel: v, yLabel: 'ρ', logX: log, logY: false, series: [{ name: 'ρ', x: grid.slice(), y: rhos }], markers });
  }
  return { holds, text: parts.join('; ') };
}

function forAllPoints(sc: Scope, values: Record<string, unknown>, plots: PlotSpec[]): Verdict {
  const prog = sc.run.prog;
  const sw = prog.sweep as SweepSpec;
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

function judge(sc: Scope, values: Record<string, unknown>, plots: PlotSpec[]): Verdict {
  const prog = sc.run.prog;
  const claim = prog.claim;
  if (prog.sweep) {
    const hasAgg = contains(claim, (x) => x.k === 'agg' && !prog.stepAggs.has(x));
    if (!hasAgg) {
      if (claim.k === 'logic' && claim.op === 'iff' && prog.sweep.interval) return iffSweep(claim, sc, values, plots);
      return forAllPoints(sc, values, plots);
    }
    if (mentionsSweep(claim, prog) && contains(claim, (x) => x.k !== 'agg' && isSweepVar(x, prog) && !insideAgg(claim, x, prog))) {
      throw new CheckError(`\`${prog.sweep.display}\` is used both inside and outside \\min/\\max/\\arg\\min`, claim.s, claim.e);
    }
  }
  return explain(claim, sc);
}

function insideAgg(root: Node, target: Node, prog: Program): boolean {
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

/** Plots of trajectories and of the `plot:` expressions. */
function trajectoryPlots(sc: Scope, plots: PlotSpec[]): void {
  const prog = sc.run.prog;
  if (!prog.stateBases.length && !prog.plots.length) return;
  const sw = prog.sweep;
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
      errSeries.push(envelope((e ? '‖x_t − x*‖' : '‖x_t‖') + suffix, e ? e.subarray(0, tr.steps + 1) : tr.norms));
      if (overT.length) {
        // re-run with the plot expressions evaluated at every step
        const st = makeStepper(at);
        let x = st.x0;
        const cols = overT.map(() => [] as number[]);
        const tx: number[] = [];
        const stepScope = st.scope;
        for (let t = 0; t <= tr.steps; t++) {
          sc.run.budget.poll();
          stepScope.t = t;
          stepScope.letCache.clear();
          const state = stepScope.state as Map<string, Value>;
          for (const s of st.slots) state.set(s.base, typeof s.proto === 'number' ? x[s.offset] : new Mat((s.proto as Mat).r, (s.proto as Mat).c, x.slice(s.offset, s.offset + s.size), (s.proto as Mat).vec));
          tx.push(t);
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
        overT.forEach((pn, k) => userSeries[k].push(decimate({ name: pretty(prog.src(pn.s, pn.e)) + suffix, x: tx, y: cols[k] })));
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

/** A series over t = 0 … n−1 thinned to at most `max` points, keeping the largest value of each bucket (peaks). */
function envelope(name: string, ys: Float64Array, max = 2000): PlotSeries {
  const n = ys.length;
  if (n <= max) return { name, x: Array.from(ys, (_, i) => i), y: Array.from(ys) };
  const stride = Math.ceil(n / max);
  const x: number[] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i += stride) {
    let best = i;
    for (let j = i + 1; j < Math.min(n, i + stride); j++) if (ys[j] > ys[best] || Number.isNaN(ys[j])) best = j;
    x.push(best);
    y.push(ys[best]);
  }
  if (x[x.length - 1] !== n - 1) {
    x.push(n - 1);
    y.push(ys[n - 1]);
  }
  return { name, x, y };
}

function decimate(s: PlotSeries, max = 2000): PlotSeries {
  if (s.x.length <= max) return s;
  const stride = Math.ceil(s.x.length / max);
  const x: number[] = [];
  const y: number[] = [];
  for (let i = 0; i < s.x.length; i += stride) {
    x.push(s.x[i]);
    y.push(s.y[i]);
  }
  if (x[x.length - 1] !== s.x[s.x.length - 1]) {
    x.push(s.x[s.x.length - 1]);
    y.push(s.y[s.y.length - 1]);
  }
  return { name: s.name, x, y };
}

function plotOf(title: string, xLabel: string, yLabel: string, series: PlotSeries[]): PlotSpec {
  const ys = series.flatMap((s) => s.y).filter((v) => Number.isFinite(v));
  const pos = ys.filter((v) => v > 0);
  const logY = ys.length > 0 && pos.length >= ys.length * 0.9 && Math.max(...pos) / Math.min(...pos) > 100;
  return { title, xLabel, yLabel, logX: false, logY, series };
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

/**
 * The stepper of a check's recurrence at its first point (first `for each` combination, first trial), for running
 * the update on its own (benchmarks, comparing the compiled step with the interpreter).
 */
/** The state of one run of a program: its random stream, budget, notes and the simulator's step measures. */
export function newRun(prog: Program, rng: Rng, budget: Budget, interpretOnly?: boolean): RunState {
  return { prog, rng, budget, notes: {}, plots: [], interpretOnly, steps: stepMeasures };
}

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
      if (prog.sweepPerTrial) prog.sweep = sweepGrid(prog.sweepPerTrial, prog, judged[k]);
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

export { StopError, short, fmtValue, pretty, type SymNode };
