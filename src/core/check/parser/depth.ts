// Limits on the depth of what the parser reads and of the trees it hands to the evaluator.
import type { Node } from './ast';
import { CheckError } from '../errors';
import { children } from './visit';

/** Deepest nesting of brackets, fractions, roots, unary signs … the parser reads. */
export const MAX_NESTING = 200;
/** Deepest expression tree the evaluator is given (long chains like a + b + c + … count one level per operator). */
export const MAX_TREE_DEPTH = 2000;

/**
 * Refuses a parsed statement whose expression tree is deeper than MAX_TREE_DEPTH, at the node where the limit is
 * crossed (the tokens of a subscript count one level below their name). Iterative, so that the check itself cannot
 * overflow the stack.
 */
export function checkTreeDepth(statement: unknown): void {
  const stack: [Node, number][] = rootNodes(statement).map((n) => [n, 1]);
  while (stack.length) {
    const [n, d] = stack.pop() as [Node, number];
    const sub = n.k === 'sym' ? n.sub : undefined;
    const at = d > MAX_TREE_DEPTH ? n : sub?.length && d + 1 > MAX_TREE_DEPTH ? sub[sub.length - 1] : undefined;
    if (at) throw new CheckError(`the expression is more than ${MAX_TREE_DEPTH} operations deep here; split it with \`let\``, at.s, at.e);
    for (const c of children(n)) stack.push([c, d + 1]);
  }
}

/** The expressions of a statement (a binding, an equation, a sweep, a claim, or a list of them). */
function rootNodes(statement: unknown): Node[] {
  const out: Node[] = [];
  const stack: unknown[] = [statement];
  while (stack.length) {
    const v = stack.pop();
    if (!v || typeof v !== 'object') continue;
    if (Array.isArray(v)) stack.push(...v);
    else if ('k' in v && 's' in v) out.push(v as Node);
    else for (const [key, x] of Object.entries(v)) if (key !== 'sub') stack.push(x);
  }
  return out;
}
