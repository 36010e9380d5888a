// Whether a let (or let-function) reads the swept value, directly or through the lets it uses: the evaluator keeps
// such values above the sweep (computed once per trial), and the derivatives cache on it.
import type { Node } from '../parser/ast';
import { children } from '../parser/visit';
import type { Program } from './scope';

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
