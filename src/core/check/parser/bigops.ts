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
    const listed = this.listedRange(toks);
    if (listed) return listed;
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

  /**
   * `t \in \{a, \dots, b\}` (also `\{0, 1, \dots, T\}`): the steps a … b, as homework writes a range of steps.
   * Undefined when the tokens are not of that form; a set written out element by element is an error that says
   * what to write.
   */
  private listedRange(toks: Tok[]): StepRange | undefined {
    const isCmd = (x: Tok | undefined, v: string) => x !== undefined && x.k === 'cmd' && x.v === v;
    const last = toks[toks.length - 1];
    if (toks.length < 5 || !isCmd(toks[1], 'in') || !isCmd(toks[2], '{') || !isCmd(last, '}')) return undefined;
    const v = this.parseSubTokens([toks[0]]);
    if (v.k !== 'sym') return undefined;
    // the elements, split at the commas outside brackets
    const parts: Tok[][] = [[]];
    let depth = 0;
    for (const x of toks.slice(3, -1)) {
      if ((x.k === 'op' && '([{'.includes(x.v)) || isCmd(x, '{')) depth++;
      if ((x.k === 'op' && ')]}'.includes(x.v)) || isCmd(x, '}')) depth--;
      if (depth === 0 && x.k === 'op' && x.v === ',') parts.push([]);
      else parts[parts.length - 1].push(x);
    }
    const isDots = (p: Tok[]) => p.length === 1 && (isCmd(p[0], 'dots') || isCmd(p[0], 'ldots') || isCmd(p[0], 'cdots'));
    const dots = parts.findIndex(isDots);
    const consecutive = (a: Tok[], b: Tok[]) => a.length === 1 && b.length === 1 && a[0].k === 'num' && b[0].k === 'num' && Number(b[0].v) === Number(a[0].v) + 1;
    const form = dots === 1 ? parts.length === 3 : dots === 2 && parts.length === 4 && consecutive(parts[0], parts[1]);
    if (!form || parts.some((p) => p.length === 0)) {
      throw this.err(`a range of steps is written \\{a, \\dots, b\\} (or t \\le T, a \\le t \\le b): the steps a, a + 1, …, b`, toks[2]);
    }
    return { v: v as SymNode, lo: this.parseSubTokens(parts[0]), hi: this.parseSubTokens(parts[parts.length - 1]) };
  }

  /** `\forall t \le T: P` — P at every step in the range (the statement extends to the end of the claim). */
  protected parseForall(t: Tok): Node {
    const toks: Tok[] = [];
    let depth = 0;
    for (;;) {
      const x = this.peek();
      if (x.k === 'eof' || x.k === 'nl' || x.k === 'sep') throw this.err('write `\\forall t \\le T: statement` (a colon after the range)', t);
      if ((x.k === 'op' && (x.v === '(' || x.v === '{' || x.v === '[')) || (x.k === 'cmd' && x.v === '{')) depth++;
      if ((x.k === 'op' && (x.v === ')' || x.v === '}' || x.v === ']')) || (x.k === 'cmd' && x.v === '}')) depth--;
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
