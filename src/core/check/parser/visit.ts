// The one walk over the syntax tree: the sub-expressions of each kind of node, in source order. The engine's
// questions about a tree (does it contain an expectation, which names does it use, which parts are static, how
// deep is it) are all answered through `children`; a new kind of node is added here once.
import type { Node } from './ast';

/** The sub-expressions of a node (names of a node count: the bound variable of `\max_t`, `f` of `f(x)`). */
export function children(n: Node): Node[] {
  switch (n.k) {
    case 'num':
    case 'const':
    case 'sym':
      return [];
    case 'zeros':
    case 'ones':
    case 'eyeN':
      return [n.size];
    case 'bin':
    case 'logic':
      return [n.a, n.b];
    case 'neg':
    case 'not':
    case 'abs':
    case 'norm':
    case 'ceil':
    case 'floor':
    case 'fact':
      return [n.a];
    case 'transpose':
      return n.pow ? [n.a, n.pow] : [n.a];
    case 'rel':
    case 'tuple':
    case 'set':
      return n.items;
    case 'fn':
      return n.base ? [...n.args, n.base] : n.args;
    case 'app':
      return [n.f as Node, ...n.args];
    case 'matrix':
      return n.rows.flat();
    case 'interval':
      return [n.lo, n.hi];
    case 'sumprod':
      return [n.lo, n.hi, n.body];
    case 'agg':
    case 'forall':
      return [n.v as Node, ...(n.lo ? [n.lo] : []), ...(n.hi ? [n.hi] : []), n.body];
    case 'indicator':
      return [n.cond];
    case 'E':
      return [n.body];
    case 'grad':
      return [n.f, ...(n.at ?? [])];
    case 'partial':
      return [n.f, ...(n.wrt as Node[])];
    case 'measure':
      return [...(n.eps ? [n.eps] : []), ...(n.of ? [n.of as Node] : [])];
    case 'index':
      return [n.base, ...n.idx];
    case 'dist':
      return n.args;
  }
}

/** True when `pred` holds for the node or any node below it. */
export function contains(n: Node, pred: (x: Node) => boolean): boolean {
  const stack = [n];
  while (stack.length) {
    const x = stack.pop() as Node;
    if (pred(x)) return true;
    for (const c of children(x)) stack.push(c);
  }
  return false;
}
