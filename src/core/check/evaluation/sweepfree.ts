// Whether a let (or let-function) reads the swept value, directly or through the lets it uses: the evaluator keeps
// such values above the sweep (computed once per trial), and the derivatives cache on it. The same for the parts of
// a claim (markSweepFree).
import type { Node } from '../parser/ast';
import { children } from '../parser/visit';
import type { Program, Ref } from './scope';

/** True when the function's body (and the lets it uses) never reads the swept value. */
const sweepFreeMemo = new WeakMap<Program, Map<string, boolean>>();

export function sweepFree(key: string, prog: Program): boolean {
  let m = sweepFreeMemo.get(prog);
  if (!m) sweepFreeMemo.set(prog, (m = new Map()));
  let v = m.get(key);
  if (v === undefined) m.set(key, (v = sweepFreeWalk(key, prog)));
  return v;
}

function sweepFreeWalk(key: string, prog: Program, seen = new Set<string>()): boolean {
  if (!prog.sweep) return true;
  if (seen.has(key)) return true;
  seen.add(key);
  const def = prog.lets.get(key);
  if (!def || !('expr' in def)) return false;
  const stack: Node[] = [def.expr, ...(def.kind === 'family' ? def.ranges.flat() : [])];
  while (stack.length) {
    const node = stack.pop() as Node;
    const ref = prog.refs.get(node);
    if (ref) {
      if ((ref.r === 'val' && ref.key === prog.sweep.key) || ref.r === 'state' || ref.r === 'perstep' || ref.r === 'time') return false;
      if (ref.r === 'let' && !sweepFreeWalk(ref.key, prog, seen)) return false;
      if (ref.r === 'index' && ref.base.r === 'let' && !sweepFreeWalk(ref.base.key, prog, seen)) return false;
      if (ref.r === 'index' && ref.base.r === 'val' && ref.base.key === prog.sweep.key) return false;
    }
    const app = prog.appRefs.get(node);
    if (app && app.r === 'call' && !sweepFreeWalk(app.key, prog, seen)) return false;
    stack.push(...children(node));
  }
  return true;
}

/** Node kinds whose value is worth caching once per trial (eigenvalues, norms, functions of matrices). */
const CACHED_KINDS = new Set<Node['k']>(['app', 'fn', 'norm']);

/**
 * Marks the largest sub-expressions of the claim (of the kinds above) that read only values fixed for a trial:
 * numbers, givens other than the swept value, lets that do not depend on it, and pure functions of those — no state,
 * step, measure, per-step draw, local variable, derivative (it adds slack) or expectation. The evaluator computes them
 * once per trial instead of at every sweep point (Program.sweepFreeNodes).
 */
export function markSweepFree(prog: Program): void {
  const sw = prog.sweep;
  if (!sw) return;
  const memo = new Map<Node, boolean>();
  const refFree = (r: Ref): boolean => {
    switch (r.r) {
      case 'val':
        return r.key !== sw.key;
      case 'let':
        return !prog.dynamicLets.has(r.key) && sweepFree(r.key, prog);
      case 'const':
        return true;
      case 'eyeN':
        return free(r.size);
      case 'index':
        return refFree(r.base) && r.idx.every(free);
      default:
        return false;
    }
  };
  const free = (n: Node): boolean => {
    const known = memo.get(n);
    if (known !== undefined) return known;
    let ok: boolean;
    switch (n.k) {
      case 'num':
      case 'const':
        ok = true;
        break;
      case 'sym': {
        const r = prog.refs.get(n);
        ok = !!r && refFree(r);
        break;
      }
      case 'app': {
        const a = prog.appRefs.get(n);
        ok = !!a && (a.r === 'builtin' || a.r === 'eig' || a.r === 'mul') && (a.r !== 'eig' || !a.idx || free(a.idx)) && (a.r !== 'mul' || free(n.f as Node)) && n.args.every(free);
        break;
      }
      case 'zeros':
      case 'ones':
      case 'eyeN':
      case 'bin':
      case 'neg':
      case 'fn':
      case 'abs':
      case 'norm':
      case 'transpose':
      case 'matrix':
      case 'tuple':
      case 'ceil':
      case 'floor':
      case 'fact':
      case 'index':
        ok = children(n).every(free);
        break;
      default:
        ok = false;
    }
    memo.set(n, ok);
    return ok;
  };
  const mark = (n: Node): void => {
    if (CACHED_KINDS.has(n.k) && free(n)) {
      prog.sweepFreeNodes.add(n);
      return;
    }
    for (const c of children(n)) mark(c);
  };
  mark(prog.claim);
}
