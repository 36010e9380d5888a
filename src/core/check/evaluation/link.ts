// Name resolution (`link`): every symbol of a program is resolved once to a Ref (given value, let, iterated variable,
// per-step draw, index, function, step value, …), so evaluation only does map look-ups.
import type { Node, StepRange, SymNode } from '../parser/ast';
import { MEASURES, canon, nablaName } from '../parser/names';
import { Parser } from '../parser/parser';
import { didYouMean } from '../hints';
import { CheckError } from '../errors';
import { Eye } from '../linalg/values';
import { children } from '../parser/visit';
import { type AppRef, type Program, type Ref } from './scope';

// ------------------------------------------------------------------ linking

export interface LinkEnv {
  prog: Program;
  locals: Set<string>;
  section: 'given' | 'let' | 'iterate' | 'claim' | 'plot' | 'const';
  /** For `given`: names defined so far. */
  givenSoFar?: Set<string>;
  valKeys: Set<string>;
  allGivenKeys: Set<string>;
  letKeys: Set<string>;
  funcKeys: Set<string>;
  familyKeys: Set<string>;
  /** Set while linking a let: its own key (to detect self reference) and the keys it uses. */
  uses?: Set<string>;
}

function subText(sym: SymNode): string {
  return sym.sub ? canon(sym.sub) : '';
}

function unknownSymbol(env: LinkEnv, sym: SymNode, shown: string): CheckError {
  const { prog } = env;
  const where = env.section === 'given' ? 'define it earlier in `given`' : 'add it to `given`';
  const err = (m: string): CheckError => new CheckError(`unknown symbol \`${shown}\`: ${m}`, sym.s, sym.e);
  const tv = prog.perStep.get(sym.key)?.perStep;
  if (!sym.sub && tv) {
    return err(`\`${sym.key}_${tv}\` is drawn afresh at every step; in a claim write ${sym.key}_{5} (the draw of step 5) or bind ${tv} (\\max_${tv} |${sym.key}_${tv}|, \\sum_{${tv}=0}^{T} ${sym.key}_${tv})`);
  }
  if (!sym.sub && prog.stateBases.includes(sym.key)) {
    const t = prog.timeVar;
    return err(`\`${sym.key}\` is iterated; write ${sym.key}_{400} (the value at step 400), ${sym.key}^\\star (its limit) or bind ${t} (\\max_{${t} \\le T} \\|${sym.key}_${t}\\|)`);
  }
  if (env.section === 'let' && !sym.sub && [...env.letKeys].some((k) => k.endsWith(`_{${sym.key}}`) || k.endsWith(`_${sym.key}`))) {
    const family = [...env.letKeys].find((k) => k.endsWith(`_{${sym.key}}`) || k.endsWith(`_${sym.key}`)) ?? '';
    return err(`\`${family}\` defines a family over ${sym.key} only with a range: write \`${family} = …, \\quad ${sym.key} = 1, \\dots, n\``);
  }
  const t = prog.timeVar;
  const atStep = sym.sub ? [`${sym.baseKey}_${t}`, `${sym.baseKey}_{${t}}`].find((k) => env.letKeys.has(k)) : undefined;
  if (atStep) {
    const def = prog.lets.get(atStep);
    const body = def && def.kind === 'value' ? ` = ${prog.src(def.expr.s, def.expr.e)}` : '';
    return err(`\`${atStep}${body}\` is a \`let\` of the step ${t} itself, so a claim cannot take it at another step; write its definition at that step instead of \`${shown}\``);
  }
  const names = [...env.valKeys, ...env.letKeys, ...env.funcKeys, ...env.familyKeys, ...env.locals, ...prog.perStep.keys(), ...(prog.sweep ? [prog.sweep.key] : [])];
  const words = prog.stateBases.length ? Object.keys(MEASURES).filter((w) => !w.includes(' ')).map((w) => `\\text{${w}}`) : [];
  const guess = didYouMean(shown, [...names, ...words, ...prog.stateBases.map((b) => `${b}_${prog.timeVar}`)]);
  if (guess) return err(`${guess.slice(2)} (or ${where})`);
  if (/^\\(?:text|mathrm|operatorname)\{/.test(sym.key)) {
    const known = ['converges', 'bounded', 'diverges', 'rate', 'iterations'].map((w) => `\\text{${w}}`).join(', ');
    return err(`the words a claim knows are ${known} (with an \`iterate\`); a name such as \`${shown}\` must be defined in \`given\` or \`let\``);
  }
  return err(where);
}

function splitCommas(toks: SymNode['sub']): NonNullable<SymNode['sub']>[] {
  const out: NonNullable<SymNode['sub']>[] = [[]];
  let d = 0;
  for (const t of toks ?? []) {
    if (t.k === 'op' && (t.v === '(' || t.v === '[' || t.v === '{')) d++;
    if (t.k === 'op' && (t.v === ')' || t.v === ']' || t.v === '}')) d--;
    if (d === 0 && t.k === 'op' && t.v === ',') out.push([]);
    else out[out.length - 1].push(t);
  }
  return out;
}

/** True when a subscript uses a variable bound by \sum, \max_t, \forall t (a step number in a claim). */
function usesBound(toks: SymNode['sub'], env: LinkEnv): boolean {
  return !!toks?.some((t) => (t.k === 'id' && env.locals.has(t.v)) || (t.k === 'cmd' && env.locals.has('\\' + t.v)));
}

function resolveSym(sym: SymNode, env: LinkEnv): Ref {
  const { prog } = env;
  const shown = prog.src(sym.s, sym.e) || sym.key;
  const sub = subText(sym);
  // in claims and plots, w_t / x_t with t bound by \max_t, \sum_{t=0}^{T}, \forall t: the value at that step
  if (sym.sub && (env.section === 'claim' || env.section === 'plot') && usesBound(sym.sub, env) && !env.locals.has(sym.key)) {
    const perStep = prog.perStep.has(sym.baseKey);
    if (perStep || prog.stateBases.includes(sym.baseKey)) {
      const step = Parser.parseTokens(sym.sub);
      link(step, env);
      return perStep ? { r: 'drawAt', base: sym.baseKey, step } : { r: 'atStep', base: sym.baseKey, step };
    }
  }
  // iterated variables: w_t, w_{t+1}, w_0
  if (sym.sub && prog.stateBases.includes(sym.baseKey)) {
    const tv = prog.timeVar;
    if (sub === tv) {
      if (env.section === 'given') throw new CheckError(`\`${shown}\` changes with ${tv}; \`given\` holds fixed values such as ${sym.baseKey}_0`, sym.s, sym.e);
      if (env.section === 'claim') throw new CheckError(`a claim cannot use \`${shown}\` with a free ${tv}; bind ${tv} (\\max_{${tv} \\le T}, \\sum_{${tv}=0}^{T}, \\forall ${tv} \\le T: …), or use measured quantities such as \\text{converges}, T_\\epsilon or ${sym.baseKey}^\\star`, sym.s, sym.e);
      return { r: 'state', base: sym.baseKey, next: false };
    }
    if (sub === `${tv}+1`) {
      if (env.section !== 'iterate') throw new CheckError(`\`${shown}\` can only be used in \`iterate\``, sym.s, sym.e);
      return { r: 'state', base: sym.baseKey, next: true };
    }
  }
  if (env.locals.has(sym.key)) return { r: 'local', key: sym.key };
  if (prog.timeVar && sym.key === prog.timeVar && (env.section === 'iterate' || env.section === 'plot' || env.section === 'let') && prog.stateBases.length) return { r: 'time' };
  if (env.valKeys.has(sym.key)) {
    if (env.givenSoFar && !env.givenSoFar.has(sym.key) && !(prog.sweep && prog.sweep.key === sym.key)) {
      throw new CheckError(`\`${shown}\` is used before it is defined (define it earlier in \`given\`)`, sym.s, sym.e);
    }
    if (env.section === 'given' && prog.sweep && prog.sweep.key === sym.key) {
      throw new CheckError(`\`${shown}\` is swept, so \`given\` cannot use it; move this definition to \`let\``, sym.s, sym.e);
    }
    env.uses?.add(sym.key);
    return { r: 'val', key: sym.key };
  }
  if (env.letKeys.has(sym.key)) {
    if (env.section === 'given') throw new CheckError(`\`${shown}\` is defined in \`let\`, which \`given\` cannot use`, sym.s, sym.e);
    env.uses?.add(sym.key);
    return { r: 'let', key: sym.key };
  }
  if (env.funcKeys.has(sym.key)) {
    throw new CheckError(`\`${shown}\` is a function: call it with arguments, e.g. ${sym.key}(x)`, sym.s, sym.e);
  }
  if (sym.sub && prog.perStep.has(sym.baseKey) && sub === prog.perStep.get(sym.baseKey)?.perStep) {
    if (env.section !== 'iterate' && env.section !== 'let') {
      const tv = prog.perStep.get(sym.baseKey)?.perStep;
      throw new CheckError(`\`${shown}\` is drawn afresh at every step: in a claim, use it over the steps (\\max_${tv} \\|${sym.baseKey}_${tv}\\|, \\forall ${tv} \\le T: …) or at one step (${sym.baseKey}_{5})`, sym.s, sym.e);
    }
    return { r: 'perstep', base: sym.baseKey };
  }
  // measured iteration count T_ε
  if (sym.base === 'T' && sym.deco === '' && sym.sub && !env.valKeys.has('T') && !env.letKeys.has('T')) {
    if (env.section !== 'claim' && env.section !== 'plot') throw new CheckError('T_ε (iterations to reach relative error ε) can only be used in `claim` or `plot`', sym.s, sym.e);
    if (!prog.stateBases.length) throw new CheckError('T_ε needs an `iterate`: add `iterate: w_{t+1} = …` with w_0 in `given`', sym.s, sym.e);
    const eps = Parser.parseTokens(sym.sub);
    link(eps, env);
    return { r: 'T', eps };
  }
  // limit w^\star of an iterated variable
  if (sym.deco === '^{\\star}' && !sym.sub && prog.stateBases.includes(sym.base)) {
    if (env.section === 'iterate' || env.section === 'given') throw new CheckError(`the limit \`${shown}\` is measured and can only be used in \`claim\` or \`plot\``, sym.s, sym.e);
    return { r: 'limit', base: sym.base };
  }
  // indexing x_i, H_{ij}, x_{t}[i] handled by index nodes
  if (sym.sub) {
    const baseKnown = env.valKeys.has(sym.baseKey) || env.letKeys.has(sym.baseKey) || env.familyKeys.has(sym.baseKey) || env.locals.has(sym.baseKey);
    if (baseKnown) {
      const baseRef: Ref = env.locals.has(sym.baseKey)
        ? { r: 'local', key: sym.baseKey }
        : env.valKeys.has(sym.baseKey)
          ? { r: 'val', key: sym.baseKey }
          : { r: 'let', key: sym.baseKey };
      if (baseRef.r === 'let') env.uses?.add(sym.baseKey);
      if (baseRef.r === 'val') env.uses?.add(sym.baseKey);
      const toks = sym.sub;
      let idx: Node[];
      const letters = toks.filter((t) => !(t.k === 'op' && t.v === ','));
      if (toks.length >= 2 && toks.every((t) => t.k === 'id') && toks.every((t) => env.locals.has(t.v))) {
        idx = toks.map((t) => ({ k: 'sym', base: t.v, deco: '', key: t.v, baseKey: t.v, s: t.s, e: t.e }) as Node);
      } else if (letters.length === 0) {
        throw new CheckError(`empty subscript in \`${shown}\``, sym.s, sym.e);
      } else {
        idx = splitCommas(toks).map((part) => Parser.parseTokens(part));
      }
      for (const i of idx) link(i, env);
      return { r: 'index', base: baseRef, idx };
    }
  }
  if (!sym.sub && sym.deco === '') {
    if (sym.key === 'e') return { r: 'const', v: Math.E };
    if (sym.key === 'I') return { r: 'const', v: new Eye(1) };
  }
  if (sym.base === 'I' && sym.sub && sym.deco === '') {
    const size = Parser.parseTokens(sym.sub);
    link(size, env);
    return { r: 'eyeN', size };
  }
  if (env.allGivenKeys.has(sym.key)) throw new CheckError(`\`${shown}\` is used before it is defined (define it earlier in \`given\`)`, sym.s, sym.e);
  // the value at a given step, w_{400} or w_{T} (in claims and plots over a sweep); x_{5}: the draw of step 5
  if (sym.sub && (prog.stateBases.includes(sym.baseKey) || prog.perStep.has(sym.baseKey)) && (env.section === 'claim' || env.section === 'plot')) {
    const step = Parser.parseTokens(sym.sub);
    link(step, env);
    return prog.perStep.has(sym.baseKey) ? { r: 'drawAt', base: sym.baseKey, step } : { r: 'atStep', base: sym.baseKey, step };
  }
  if (sym.sub && prog.stateBases.includes(sym.baseKey)) {
    throw new CheckError(`\`${shown}\`: an iterated variable is written ${sym.baseKey}_${prog.timeVar}, ${sym.baseKey}_{${prog.timeVar}+1} or ${sym.baseKey}_0 (define ${sym.baseKey}_0 in \`given\`)`, sym.s, sym.e);
  }
  throw unknownSymbol(env, sym, shown);
}

const BUILTIN_APPS: Record<string, AppRef & { r: 'builtin' }> = {
  '\\lambda_{\\min}': { r: 'builtin', name: 'lambda_min' },
  '\\lambda_{\\max}': { r: 'builtin', name: 'lambda_max' },
  '\\lambda_{\\text{min}}': { r: 'builtin', name: 'lambda_min' },
  '\\lambda_{\\text{max}}': { r: 'builtin', name: 'lambda_max' },
  '\\rho': { r: 'builtin', name: 'rho' },
  '\\sigma_{\\min}': { r: 'builtin', name: 'sigma_min' },
  '\\sigma_{\\max}': { r: 'builtin', name: 'sigma_max' },
};

/** Resolve every name below `n` (throws CheckError at the first unknown one). */
export function link(n: Node, env: LinkEnv): void {
  const { prog } = env;
  switch (n.k) {
    case 'sym':
      prog.refs.set(n, resolveSym(n as SymNode, env));
      return;
    case 'app': {
      const f = n.f;
      if (!(f.base === 'T' && f.sub && n.args.length === 1 && n.args[0].k === 'sym' && prog.stateBases.includes((n.args[0] as SymNode).key))) n.args.forEach((x) => link(x, env));
      if (env.funcKeys.has(f.key)) {
        const def = prog.lets.get(f.key);
        if (def && def.kind === 'func' && def.params.length !== n.args.length) {
          throw new CheckError(`\`${prog.src(f.s, f.e)}\` takes ${def.params.length} argument${def.params.length === 1 ? '' : 's'} (${def.params.join(', ')}), got ${n.args.length}: write ${prog.src(f.s, f.e)}(${def.params.map(() => '…').join(', ')})`, n.s, n.e);
        }
        env.uses?.add(f.key);
        prog.appRefs.set(n, { r: 'call', key: f.key });
        return;
      }
      const known = env.valKeys.has(f.key) || env.letKeys.has(f.key) || env.locals.has(f.key);
      // T_ε(w): iterations for one iterated variable
      if (!known && f.base === 'T' && f.sub && n.args.length === 1 && n.args[0].k === 'sym' && prog.stateBases.includes((n.args[0] as SymNode).key)) {
        link(f, env);
        prog.appRefs.set(n, { r: 'Tof', of: (n.args[0] as SymNode).key });
        return;
      }
      if (!known && BUILTIN_APPS[f.key]) {
        if (n.args.length !== 1) throw new CheckError(`\`${prog.src(f.s, f.e)}\` takes one matrix`, n.s, n.e);
        prog.appRefs.set(n, BUILTIN_APPS[f.key]);
        return;
      }
      // \lambda(A): the eigenvalues as a vector; \lambda_i(A): the i-th largest (while \lambda is not defined)
      if (!known && f.base === '\\lambda' && f.deco === '' && !env.valKeys.has(f.baseKey) && !env.letKeys.has(f.baseKey) && !env.locals.has(f.baseKey)) {
        if (n.args.length !== 1) throw new CheckError(`\`${prog.src(f.s, f.e)}\` takes one matrix`, n.s, n.e);
        let idx: Node | undefined;
        if (f.sub) {
          idx = Parser.parseTokens(f.sub);
          link(idx, env);
        }
        prog.appRefs.set(n, { r: 'eig', idx });
        return;
      }
      link(f, env);
      prog.appRefs.set(n, { r: 'mul' });
      return;
    }
    case 'transpose': {
      link(n.a, env);
      // `x^T` with T defined: a power when x is a number (decided at evaluation); otherwise a transpose
      if (n.letter && !n.pow) {
        try {
          link(n.letter, env);
          n.pow = n.letter;
        } catch (e) {
          if (!(e instanceof CheckError)) throw e;
        }
      }
      return;
    }
    case 'sumprod': {
      link(n.lo, env);
      link(n.hi, env);
      const locals = new Set(env.locals);
      locals.add(n.v);
      link(n.body, { ...env, locals });
      return;
    }
    case 'agg': {
      if (env.section !== 'claim' && env.section !== 'plot') throw new CheckError('\\min/\\max/\\arg\\min over a swept variable or the steps can only be used in `claim`', n.s, n.e);
      if (prog.sweep && prog.sweep.key === n.v.key) {
        if (n.lo || n.hi) throw new CheckError(`\`${prog.src(n.v.s, n.v.e)}\` is swept over its own range; write \\${n.op}_${n.v.key} without bounds`, n.v.s, n.v.e);
        link(n.body, env);
        return;
      }
      if (!prog.stateBases.length) {
        throw new CheckError(`\`${prog.src(n.v.s, n.v.e)}\` is not swept: add \`sweep: ${n.v.key} \\in [a, b]\` (or an \`iterate\` to take the ${n.op} over its steps)`, n.v.s, n.v.e);
      }
      linkStepRange(n, env);
      prog.stepAggs.add(n);
      return;
    }
    case 'forall':
      if (env.section !== 'claim') throw new CheckError('\\forall can only be used in `claim`', n.s, n.e);
      if (!prog.stateBases.length) throw new CheckError('\\forall ranges over the steps of an `iterate`; this block has none (a sweep claim already holds at every point)', n.s, n.e);
      linkStepRange(n, env);
      return;
    case 'grad': {
      if (n.f.k === 'sym' && n.order === 1 && !n.at) {
        // \nabla F_j defined as a name in `let`: a value, not a derivative
        const f = n.f as SymNode;
        const named = nablaName(f.baseKey);
        if (env.letKeys.has(nablaName(f.key)) || env.letKeys.has(named) || env.familyKeys.has(named)) {
          const sym: SymNode = { ...f, base: nablaName(f.base), key: nablaName(f.key), baseKey: named, s: n.s, e: n.e };
          prog.refs.set(n, resolveSym(sym, env));
          return;
        }
      }
      if (n.f.k === 'sym') {
        const f = n.f as SymNode;
        if (!env.funcKeys.has(f.key) && !env.letKeys.has(f.key)) {
          throw new CheckError(`\\nabla needs a function defined in \`let\` (e.g. f(x, y) = …); \`${prog.src(f.s, f.e)}\` is not one${didYouMean(prog.src(f.s, f.e), [...env.funcKeys, ...env.letKeys])}`, f.s, f.e);
        }
        env.uses?.add(f.key);
      } else link(n.f, env);
      n.at?.forEach((x) => link(x, env));
      return;
    }
    case 'partial': {
      if (n.f.k === 'sym' && env.funcKeys.has((n.f as SymNode).key)) env.uses?.add((n.f as SymNode).key);
      else link(n.f, env);
      for (const w of n.wrt) {
        if (!env.valKeys.has(w.key) && !env.locals.has(w.key)) {
          throw new CheckError(`cannot differentiate with respect to \`${prog.src(w.s, w.e)}\`: it is not a value in \`given\``, w.s, w.e);
        }
      }
      return;
    }
    case 'measure':
      if (env.section !== 'claim' && env.section !== 'plot') throw new CheckError(`\`${prog.src(n.s, n.e)}\` is measured on the trajectory and can only be used in \`claim\` or \`plot\``, n.s, n.e);
      if (!prog.stateBases.length) throw new CheckError(`\`${prog.src(n.s, n.e)}\` needs an \`iterate\`: add \`iterate: w_{t+1} = …\` with w_0 in \`given\``, n.s, n.e);
      if (n.of && !prog.stateBases.includes(n.of.key)) throw new CheckError(`\`${prog.src(n.of.s, n.of.e)}\` is not an iterated variable`, n.of.s, n.of.e);
      return;
    case 'dist':
      throw new CheckError(`a random draw is written with \\sim in \`given\`, not used as a value: write \`X \\sim ${prog.src(n.s, n.e)}\`, then use X`, n.s, n.e);
    default:
      // numbers, operators, functions, matrices, sets, intervals, indices, \mathbb{1}, \mathbb{E}: their parts
      for (const c of children(n)) link(c, env);
  }
}

/** Bounds in the enclosing names, the body with the step variable bound. */
function linkStepRange(n: Node & StepRange & { body: Node }, env: LinkEnv): void {
  if (n.lo) link(n.lo, env);
  if (n.hi) link(n.hi, env);
  const locals = new Set(env.locals);
  locals.add(n.v.key);
  link(n.body, { ...env, locals });
}

/**
 * Calls `f` with every resolved name below a node (and the names inside a resolved name: the subscripts of `x_{i}`,
 * ε of T_ε, n of I_n). Not visited: the variable of `\nabla f` and of `\partial/\partial x` (differentiated, not
 * read), the bound variable of `\max_t`, measures and distributions.
 */
export function forEachRef(n: Node, prog: Program, f: (r: Ref, n: Node) => void): void {
  const stack: Node[] = [n];
  while (stack.length) {
    const x = stack.pop() as Node;
    switch (x.k) {
      case 'sym': {
        const r = prog.refs.get(x);
        if (r) {
          f(r, x);
          if (r.r === 'index') stack.push(...r.idx);
          if (r.r === 'T') stack.push(r.eps);
          if (r.r === 'eyeN') stack.push(r.size);
        }
        continue;
      }
      case 'measure':
      case 'dist':
        continue;
      case 'grad':
        if (x.f.k !== 'sym') stack.push(x.f);
        stack.push(...(x.at ?? []));
        continue;
      case 'partial':
        stack.push(x.f);
        continue;
      case 'agg':
      case 'forall':
        stack.push(...children(x).slice(1));
        continue;
      default:
        stack.push(...children(x));
    }
  }
}

/** True when the expression reads an iterated variable, the step or a per-step draw. */
export function usesState(n: Node, prog: Program): boolean {
  let found = false;
  forEachRef(n, prog, (r) => {
    if (r.r === 'state' || r.r === 'time' || r.r === 'perstep') found = true;
  });
  return found;
}
