// The expression grammar: precedence climbing from ⟺ down to implicit multiplication, unary signs, postfix
// (powers, transposes, factorials, x[i]), groups and the atoms written with plain characters (numbers, names,
// function application, parentheses, brackets, intervals, |·|). Commands, \text{…} and fonts, environments and
// \forall are read by the layers above (abstract here).
import type { Node, RelOp, SymNode } from './ast';
import type { Tok } from './lexer';
import { FUNCS, isRelTok, show } from './names';
import { SymbolReader } from './symbol';

export abstract class ExpressionParser extends SymbolReader {
  /** Parses a sub-list of tokens (a subscript, a bound) as a whole expression. */
  protected abstract parseSubTokens(toks: Tok[]): Node;
  protected abstract parseForall(t: Tok): Node;
  protected abstract parseMatrix(): Node;
  protected abstract parseFont(): Node;
  protected abstract parseText(): Node;
  protected abstract parseCmdAtom(): Node;

  parseExpr(): Node {
    return this.nested(() => this.parseIff());
  }

  protected parseIff(): Node {
    let a = this.parseImplies();
    for (;;) {
      const t = this.peek();
      if (t.k === 'cmd' && (t.v === 'iff' || t.v === 'Leftrightarrow' || t.v === 'Longleftrightarrow' || t.v === 'leftrightarrow')) {
        this.next();
        const b = this.parseImplies();
        a = { k: 'logic', op: 'iff', a, b, s: a.s, e: b.e };
      } else return a;
    }
  }

  protected parseImplies(): Node {
    const a = this.parseOr();
    const t = this.peek();
    if (t.k === 'cmd' && (t.v === 'implies' || t.v === 'Rightarrow' || t.v === 'Longrightarrow')) {
      this.next();
      const b = this.nested(() => this.parseImplies());
      return { k: 'logic', op: 'implies', a, b, s: a.s, e: b.e };
    }
    return a;
  }

  protected parseOr(): Node {
    return this.parseLogicChain('or', ['lor', 'vee'], () => this.parseAnd());
  }

  protected parseAnd(): Node {
    return this.parseLogicChain('and', ['land', 'wedge'], () => this.parseNot());
  }

  /** Left-associative `a op b op c`, where op is one of the commands or the plain word (`\\text{or}` / `or`). */
  protected parseLogicChain(op: 'or' | 'and', commands: string[], operand: () => Node): Node {
    let a = operand();
    for (;;) {
      const t = this.peek();
      if ((t.k === 'cmd' && commands.includes(t.v)) || (t.k === 'text' && t.raw?.trim() === op)) {
        this.next();
        const b = operand();
        a = { k: 'logic', op, a, b, s: a.s, e: b.e };
      } else return a;
    }
  }

  protected parseNot(): Node {
    const t = this.peek();
    if (t.k === 'cmd' && t.v === 'forall') {
      this.next();
      return this.nested(() => this.parseForall(t));
    }
    if ((t.k === 'cmd' && (t.v === 'lnot' || t.v === 'neg')) || (t.k === 'text' && t.raw?.trim() === 'not')) {
      this.next();
      const a = this.nested(() => this.parseNot());
      return { k: 'not', a, s: t.s, e: a.e };
    }
    return this.parseRel();
  }

  protected parseRel(): Node {
    const first = this.parseAdd();
    const items: Node[] = [first];
    const ops: RelOp[] = [];
    for (;;) {
      const t = this.peek();
      let op = isRelTok(t);
      if (!op && t.k === 'op' && t.v === '!' && this.isOp('=', 1)) throw this.bangEquals(t);
      if (!op) break;
      this.next();
      if (op === '!=' && t.k === 'op') this.next();
      // `<=` / `>=` written in ASCII
      if ((op === '<' || op === '>') && this.isOp('=')) {
        this.next();
        op = op === '<' ? '<=' : '>=';
      }
      ops.push(op);
      items.push(this.parseAdd());
    }
    if (ops.length === 0) return first;
    return { k: 'rel', ops, items, s: first.s, e: items[items.length - 1].e };
  }

  protected parseAdd(): Node {
    let a = this.parseMul();
    for (;;) {
      const t = this.peek();
      if (t.k === 'nl' && this.peek(1).k === 'op' && (this.peek(1).v === '+' || this.peek(1).v === '-')) {
        this.next();
        continue;
      }
      if (t.k === 'op' && (t.v === '+' || t.v === '-')) {
        this.next();
        const b = this.parseMul();
        a = { k: 'bin', op: t.v as '+' | '-', a, b, s: a.s, e: b.e };
      } else return a;
    }
  }

  protected startsAtom(t: Tok): boolean {
    switch (t.k) {
      case 'num':
      case 'id':
      case 'font':
      case 'begin':
        return true;
      case 'text': {
        const r = (t.raw ?? '').trim();
        return r !== 'and' && r !== 'or' && r !== 'not';
      }
      case 'op':
        if (t.v === '(' || t.v === '{') return true;
        if (t.v === '|') return this.absDepth === 0;
        if (t.v === '[') return true;
        return false;
      case 'cmd':
        if (t.v === '|' || t.v === 'Vert' || t.v === 'lVert') return this.normDepth === 0 || t.v === 'lVert';
        if (isRelTok(t)) return false;
        if (['cdot', 'times', 'div', 'iff', 'implies', 'Rightarrow', 'Leftrightarrow', 'Longrightarrow', 'Longleftrightarrow',
          'land', 'lor', 'wedge', 'vee', 'rceil', 'rfloor', 'rVert', 'sim', 'dots', 'ldots', 'cdots', 'top', 'to', '}', 'mid', 'pm',
          'leftrightarrow', 'lnot', 'neg', 'rangle'].includes(t.v)) return false;
        return true;
      default:
        return false;
    }
  }

  protected parseMul(): Node {
    let a = this.parseUnary();
    for (;;) {
      const t = this.peek();
      if (t.k === 'op' && (t.v === '*' || t.v === '/')) {
        this.next();
        const b = this.parseUnary();
        a = { k: 'bin', op: t.v === '*' ? '*' : '/', a, b, s: a.s, e: b.e };
      } else if (t.k === 'cmd' && (t.v === 'cdot' || t.v === 'times' || t.v === 'div')) {
        this.next();
        const b = this.parseUnary();
        a = { k: 'bin', op: t.v === 'div' ? '/' : t.v === 'cdot' ? 'dot' : '*', a, b, s: a.s, e: b.e };
      } else if (this.startsAtom(t)) {
        const b = this.parsePostfix();
        a = { k: 'bin', op: '*', a, b, s: a.s, e: b.e };
      } else return a;
    }
  }

  protected parseUnary(): Node {
    const t = this.peek();
    if (t.k === 'op' && (t.v === '-' || t.v === '+')) {
      this.next();
      const a = this.nested(() => this.parseMul1());
      return t.v === '-' ? { k: 'neg', a, s: t.s, e: a.e } : a;
    }
    return this.parsePostfix();
  }

  /** Operand of a unary minus: a product, so that -2x is -(2x) and -x^2 is -(x^2). */
  protected parseMul1(): Node {
    return this.parseUnary();
  }

  /** Argument of a function written without parentheses: factors joined by implicit multiplication. */
  protected parseBareArg(): Node {
    let a = this.parseUnaryNoImplicit();
    for (;;) {
      const t = this.peek();
      if (t.k === 'cmd' && (FUNCS.has(t.v) || t.v === 'frac' || t.v === 'sum' || t.v === 'prod')) return a;
      if (t.k === 'op' && (t.v === '(' || t.v === '[')) return a;
      if (!this.startsAtom(t)) return a;
      const b = this.parsePostfix();
      a = { k: 'bin', op: '*', a, b, s: a.s, e: b.e };
    }
  }

  protected parseUnaryNoImplicit(): Node {
    const t = this.peek();
    if (t.k === 'op' && t.v === '-') {
      this.next();
      const a = this.nested(() => this.parsePostfix());
      return { k: 'neg', a, s: t.s, e: a.e };
    }
    return this.parsePostfix();
  }

  protected group(what: string): Node {
    const t = this.peek();
    if (t.k === 'op' && t.v === '{') {
      this.next();
      const closeAt = this.findClose(this.i);
      if (closeAt < 0) throw this.err(`unbalanced braces: this \`{\` of ${what} is never closed`, t);
      this.skipNl();
      const saveA = this.absDepth;
      const saveN = this.normDepth;
      this.absDepth = 0;
      this.normDepth = 0;
      const n = this.parseExpr();
      this.absDepth = saveA;
      this.normDepth = saveN;
      const close = this.expectOp('}', `to close the \`{\` of ${what}`);
      return { ...n, s: t.s, e: close.e } as Node;
    }
    if (t.k === 'eof' || t.k === 'nl' || isRelTok(t) || (t.k === 'op' && [')', ']', '}', ','].includes(t.v))) {
      throw this.err(`missing argument of ${what}${what === '\\frac' ? ': write \\frac{numerator}{denominator}' : ''}`, t);
    }
    // Without braces the argument is one name, as in LaTeX: `(1-c)^t (w_0 - y)` is (1-c)^t·(w_0 - y), never
    // (1-c)^{t(w_0 - y)}.
    if (t.k === 'id') return this.nested(() => this.parseSymbol());
    return this.parsePostfixNoSup();
  }

  protected parsePostfixNoSup(): Node {
    return this.parseAtom();
  }

  protected parsePostfix(): Node {
    let a = this.parseAtom();
    for (;;) {
      const t = this.peek();
      if (t.k === 'op' && t.v === '^') {
        this.next();
        a = this.parseSup(a, t);
      } else if (t.k === 'op' && t.v === '!') {
        if (this.isOp('=', 1) && this.peek(1).s === t.e) throw this.bangEquals(t);
        this.next();
        a = { k: 'fact', a, s: a.s, e: t.e };
      } else if (t.k === 'op' && t.v === '[' && (a.k === 'sym' || a.k === 'index')) {
        // x_t[i]: 1-based indexing
        this.next();
        const idx = [this.parseAdd()];
        while (this.isOp(',')) {
          this.next();
          idx.push(this.parseAdd());
        }
        const close = this.expectOp(']', 'to close the index');
        a = { k: 'index', base: a, idx, s: a.s, e: close.e };
      } else return a;
    }
  }

  protected parseSup(a: Node, caret: Tok): Node {
    const t = this.peek();
    // transpose
    if (t.k === 'id' && t.v === 'T') {
      this.next();
      return { k: 'transpose', a, letter: this.parseSubTokens([t]), s: a.s, e: t.e };
    }
    if (t.k === 'cmd' && (t.v === 'top' || t.v === 'intercal' || t.v === 'mathsf')) {
      this.next();
      return { k: 'transpose', a, s: a.s, e: t.e };
    }
    if (t.k === 'text' && (t.raw ?? '').trim() === 'T' || t.k === 'font' && (t.raw ?? '').trim() === 'T') {
      this.next();
      return { k: 'transpose', a, s: a.s, e: t.e };
    }
    if (t.k === 'op' && t.v === '{') {
      const n1 = this.peek(1);
      const n2 = this.peek(2);
      if (n2.k === 'op' && n2.v === '}' && ((n1.k === 'cmd' && (n1.v === 'top' || n1.v === 'intercal')) || (n1.k === 'id' && n1.v === 'T'))) {
        this.next();
        const letter = this.next();
        const close = this.next();
        return { k: 'transpose', a, ...(letter.k === 'id' ? { letter: this.parseSubTokens([letter]) } : {}), s: a.s, e: close.e };
      }
    }
    if (t.k === 'eof' || t.k === 'nl' || t.k === 'sep') throw this.err('missing exponent after `^`', caret);
    const b = this.group('the exponent');
    return { k: 'bin', op: 'pow', a, b, s: a.s, e: b.e };
  }

  protected parenArgs(open: Tok): { args: Node[]; end: number } {
    // after '('
    this.skipNl();
    const saveA = this.absDepth;
    const saveN = this.normDepth;
    this.absDepth = 0;
    this.normDepth = 0;
    const args: Node[] = [];
    if (!this.isOp(')')) {
      args.push(this.parseExpr());
      while (this.isOp(',')) {
        this.next();
        this.skipNl();
        args.push(this.parseExpr());
      }
    }
    this.absDepth = saveA;
    this.normDepth = saveN;
    const closeTok = this.peek();
    if (!(closeTok.k === 'op' && closeTok.v === ')')) {
      if (closeTok.k === 'eof' || closeTok.k === 'nl' || closeTok.k === 'sep') throw this.err('unbalanced parentheses: this `(` is never closed', open);
      throw this.err(`expected \`)\` but found ${show(closeTok)}`, closeTok);
    }
    this.next();
    return { args, end: closeTok.e };
  }

  protected parseAtom(): Node {
    return this.nested(() => this.parseAtomInner());
  }

  protected parseAtomInner(): Node {
    const t = this.peek();
    switch (t.k) {
      case 'num':
        this.next();
        return { k: 'num', v: t.n ?? Number(t.v), s: t.s, e: t.e };
      case 'id': {
        const sym = this.parseSymbol();
        return this.maybeApply(sym);
      }
      case 'begin':
        return this.parseMatrix();
      case 'font':
        return this.parseFont();
      case 'text':
        return this.parseText();
      case 'op':
        return this.parseOpAtom();
      case 'cmd':
        return this.parseCmdAtom();
      case 'eof':
      case 'nl':
      case 'sep':
        throw this.err('expression is incomplete here', t);
      default:
        throw this.err(`unexpected ${show(t)}`, t);
    }
  }

  /** `f(x, y)` after a name: function application, or multiplication decided when names are known. */
  protected maybeApply(sym: SymNode): Node {
    if (this.isOp('(')) {
      const open = this.next();
      const { args, end } = this.parenArgs(open);
      return { k: 'app', f: sym, args, s: sym.s, e: end };
    }
    return sym;
  }

  protected parseOpAtom(): Node {
    const t = this.next();
    if (t.v === '(') {
      const { args, end } = this.parenArgs(t);
      if (args.length === 0) throw this.err('empty parentheses', t);
      if (args.length === 1) return { ...args[0], s: t.s, e: end } as Node;
      return { k: 'tuple', items: args, s: t.s, e: end };
    }
    if (t.v === '{') {
      this.skipNl();
      const saveA = this.absDepth;
      const saveN = this.normDepth;
      this.absDepth = 0;
      this.normDepth = 0;
      const n = this.parseExpr();
      this.absDepth = saveA;
      this.normDepth = saveN;
      const close = this.peek();
      if (!(close.k === 'op' && close.v === '}')) {
        if (close.k === 'eof' || close.k === 'nl' || close.k === 'sep') throw this.err('unbalanced braces: this `{` is never closed', t);
        throw this.err(`expected \`}\` but found ${show(close)}`, close);
      }
      this.next();
      return { ...n, s: t.s, e: close.e } as Node;
    }
    if (t.v === '[') {
      this.skipNl();
      const lo = this.parseExpr();
      if (this.isOp(',')) {
        this.next();
        const hi = this.parseExpr();
        const close = this.peek();
        if (!(close.k === 'op' && (close.v === ']' || close.v === ')'))) throw this.err('unbalanced brackets: this `[` is never closed', t);
        this.next();
        return { k: 'interval', lo, hi, s: t.s, e: close.e };
      }
      const close = this.expectOp(']', 'to close `[`');
      return { ...lo, s: t.s, e: close.e } as Node;
    }
    if (t.v === '|') {
      this.absDepth++;
      const saveN = this.normDepth;
      this.normDepth = 0;
      const a = this.parseExpr();
      this.absDepth--;
      this.normDepth = saveN;
      const close = this.peek();
      if (!(close.k === 'op' && close.v === '|')) throw this.err('unbalanced `|`: this absolute value is never closed', t);
      this.next();
      return { k: 'abs', a, s: t.s, e: close.e };
    }
    if (t.v === '}') throw this.err('unbalanced braces: `}` without a matching `{`', t);
    if (t.v === ')') throw this.err('unbalanced parentheses: `)` without a matching `(`', t);
    throw this.err(`unexpected \`${t.v}\``, t);
  }
}
