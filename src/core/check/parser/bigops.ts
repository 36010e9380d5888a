// Big operators and bound variables: \sum and \prod with their bounds, \min_\eta / \arg\min_\eta over a sweep
// or \max_{t \le T} over steps, and \forall t \le T: P.
import type { Node, RelOp, StepRange, SymNode } from './ast';
import type { Tok } from './lexer';
import { ExpressionParser } from './expression';
import { GREEK, canon } from './names';

export abstract class BigOperatorParser extends ExpressionParser {
  protected parseAggregate(op: 'argmin' | 'argmax' | 'min' | 'max', t: Tok): Node {
    if (!this.isOp('_')) throw this.err(`\\arg\\${op.replace('arg', '')} needs the swept variable as a subscript, e.g. \\arg\\min_\\eta`, t);
    this.next();
    const subToks = this.rawArg();
    const range = this.binder(subToks, t, true);
    const body = this.parseBareArgOrGroup();
    return { k: 'agg', op, ...range, body, s: t.s, e: body.e };
  }

  /**
   * The bound variable of an aggregate or `\forall`: `t`, `t \le T`, `t < T`, `1 \le t \le T`, `t \ge 1`, or
   * `t = 0` followed by `^{T}` (when `upper` allows it).
   */
  protected binder(toks: Tok[], t: Tok, upper: boolean): StepRange {
    const bad = () => this.err('write the variable and its range as `t`, `t \\le T`, `0 \\le t < T` or `t=0}^{T}`', toks[0] ?? t);
    if (!toks.length) throw bad();
    const n = this.parseSubTokens(toks);
    if (n.k === 'sym') return { v: n as SymNode };
    if (n.k !== 'rel') throw bad();
    const it = n.items;
    const lower = (op: RelOp) => op === '<' || op === '<=';
    if (it.length === 2 && it[0].k === 'sym') {
      const op = n.ops[0];
      if (lower(op)) return { v: it[0] as SymNode, hi: it[1], hiStrict: op === '<' };
      if (op === '>' || op === '>=') return { v: it[0] as SymNode, lo: it[1], loStrict: op === '>' };
      if (op === '=' && upper && this.isOp('^')) {
        this.next();
        const hi = this.parseSubTokens(this.rawArg());
        return { v: it[0] as SymNode, lo: it[1], hi };
      }
    }
    if (it.length === 3 && it[1].k === 'sym' && lower(n.ops[0]) && lower(n.ops[1])) {
      return { v: it[1] as SymNode, lo: it[0], loStrict: n.ops[0] === '<', hi: it[2], hiStrict: n.ops[1] === '<' };
    }
    throw bad();
  }

  /** `\forall t \le T: P` — P at every step in the range (the statement extends to the end of the claim). */
  protected parseForall(t: Tok): Node {
    const toks: Tok[] = [];
    let depth = 0;
    for (;;) {
      const x = this.peek();
      if (x.k === 'eof' || x.k === 'nl' || x.k === 'sep') throw this.err('write `\\forall t \\le T: statement` (a colon after the range)', t);
      if (x.k === 'op' && (x.v === '(' || x.v === '{' || x.v === '[')) depth++;
      if (x.k === 'op' && (x.v === ')' || x.v === '}' || x.v === ']')) depth--;
      if (depth === 0 && x.k === 'op' && (x.v === ':' || x.v === ',')) break;
      toks.push(this.next());
    }
    this.next();
    const range = this.binder(toks, t, false);
    const body = this.parseIff();
    return { k: 'forall', ...range, body, s: t.s, e: body.e };
  }

  protected parseBareArgOrGroup(): Node {
    return this.parseBareArg();
  }

  protected parseSum(v: 'sum' | 'prod', t: Tok): Node {
    if (!this.isOp('_')) throw this.err(`\\${v} needs bounds, e.g. \\${v}_{i=1}^{n}`, t);
    this.next();
    const lowToks = this.rawArg();
    const eq = lowToks.findIndex((x) => x.k === 'op' && x.v === '=');
    if (eq !== 1 || lowToks[0].k !== 'id' && !(lowToks[0].k === 'cmd' && GREEK.has(lowToks[0].v))) {
      const letter = lowToks[0]?.k === 'id' ? lowToks[0].v : 'i';
      throw this.err(`\\${v}_{${canon(lowToks)}} needs the range of its index: write \\${v}_{${letter}=1}^{n} (from 1 to n)`, lowToks[0] ?? t);
    }
    const name = lowToks[0].k === 'id' ? lowToks[0].v : '\\' + lowToks[0].v;
    const lo = this.parseSubTokens(lowToks.slice(2));
    if (!this.isOp('^')) throw this.err(`\\${v} needs an upper bound, e.g. \\${v}_{i=1}^{n}`, t);
    this.next();
    const hi = this.parseSubTokens(this.rawArg());
    const body = this.parseMulForSum();
    return { k: 'sumprod', op: v, v: name, lo, hi, body, s: t.s, e: body.e };
  }

  /** Body of a sum: a product (the sum extends over implicit and explicit multiplication). */
  protected parseMulForSum(): Node {
    return this.parseMul();
  }
}
