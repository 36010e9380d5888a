// Backslash commands as atoms: \frac (and derivatives \frac{\partial f}{\partial x}), \sqrt, ⌈·⌉ ⌊·⌋, norms
// \|·\|_p, set literals \{…\}, the named functions (\log, \sin, \min(…), …), \nabla and \nabla^2, and the
// matrix environments.
import type { Node, SymNode } from './ast';
import type { Tok } from './lexer';
import { DECOR, FUNCS, GREEK, KNOWN_COMMANDS, canon, isRelTok, show } from './names';
import { didYouMean } from '../hints';
import { TextParser } from './text';

export abstract class CommandParser extends TextParser {
  protected parseMatrix(): Node {
    const t = this.next();
    const env = t.v;
    if (!/^(b|p|v|B|V|small)?matrix\*?$|^array$/.test(env)) throw this.err(`unsupported environment \`${env}\` (use bmatrix or pmatrix)`, t);
    if (env === 'array' && this.isOp('{')) this.rawArg();
    const rows: Node[][] = [[]];
    for (;;) {
      const u = this.peek();
      if (u.k === 'end') {
        if (u.v !== env) throw this.err(`\\end{${u.v}} does not match \\begin{${env}}`, u);
        this.next();
        break;
      }
      if (u.k === 'eof') throw this.err(`\\begin{${env}} is never closed by \\end{${env}}`, t);
      if (u.k === 'nl') {
        this.next();
        continue;
      }
      const cell = this.parseExpr();
      rows[rows.length - 1].push(cell);
      const v = this.peek();
      if (v.k === 'op' && v.v === '&') this.next();
      else if ((v.k === 'op' || v.k === 'sep') && v.v === '\\\\') {
        this.next();
        rows.push([]);
      } else if (v.k !== 'end' && v.k !== 'nl') throw this.err(`expected \`&\`, \`\\\\\` or \\end{${env}} but found ${show(v)}`, v);
    }
    while (rows.length && rows[rows.length - 1].length === 0) rows.pop();
    if (rows.length === 0) throw this.err('empty matrix', t);
    const w = rows[0].length;
    for (const r of rows) {
      if (r.length !== w) throw this.err(`matrix rows have different lengths (${w} and ${r.length})`, t);
    }
    const end = this.toks[this.i - 1].e;
    const node: Node = { k: 'matrix', rows, s: t.s, e: end };
    if (env === 'vmatrix' || env === 'Vmatrix') return { k: 'fn', name: 'det', args: [node], s: t.s, e: end };
    return node;
  }

  protected parseFnArgs(name: string, t: Tok): Node {
    // optional subscript (log base / min over index)
    let base: Node | undefined;
    if (this.isOp('_')) {
      this.next();
      base = this.parseSubTokens(this.rawArg());
    }
    let power: Node | undefined;
    if (this.isOp('^')) {
      // \sin^2 x
      const caret = this.next();
      const p = this.group('the exponent');
      power = p;
      if (p.k === 'num' && p.v === -1) throw this.err(`write the inverse function as \\arc… instead of ^{-1}`, caret);
    }
    let node: Node;
    if (this.isOp('(')) {
      const open = this.next();
      const { args, end } = this.parenArgs(open);
      node = { k: 'fn', name, args, base, s: t.s, e: end };
    } else if ((name === 'min' || name === 'max') && this.isCmd('{')) {
      const open = this.next();
      const args: Node[] = [this.parseExpr()];
      while (this.isOp(',')) {
        this.next();
        args.push(this.parseExpr());
      }
      const close = this.peek();
      if (!(close.k === 'cmd' && close.v === '}')) throw this.err('unbalanced braces: `\\{` is never closed', open);
      this.next();
      node = { k: 'fn', name, args, base, s: t.s, e: close.e };
    } else {
      const arg = this.parseBareArg();
      node = { k: 'fn', name, args: [arg], base, s: t.s, e: arg.e };
    }
    if (power) node = { k: 'bin', op: 'pow', a: node, b: power, s: node.s, e: power.e };
    return node;
  }

  protected parseCmdAtom(): Node {
    const t = this.peek();
    const v = t.v;
    if (GREEK.has(v) || DECOR.has(v)) {
      if (v === 'pi' && !this.isOp('_', 1)) {
        this.next();
        return { k: 'const', name: 'pi', s: t.s, e: t.e };
      }
      const sym = this.parseSymbol();
      return this.maybeApply(sym);
    }
    this.next();
    switch (v) {
      case 'infty':
        return { k: 'const', name: 'infty', s: t.s, e: t.e };
      case 'frac':
      case 'dfrac':
      case 'tfrac':
        return this.parseFrac(t);
      case 'sqrt': {
        let root: Node | undefined;
        if (this.isOp('[')) {
          this.next();
          root = this.parseExpr();
          this.expectOp(']', 'to close the root index');
        }
        const a = this.group('\\sqrt');
        if (root) return { k: 'bin', op: 'pow', a, b: { k: 'bin', op: '/', a: { k: 'num', v: 1, s: t.s, e: t.e }, b: root, s: t.s, e: t.e }, s: t.s, e: a.e };
        return { k: 'fn', name: 'sqrt', args: [a], s: t.s, e: a.e };
      }
      case 'lceil':
      case 'lfloor': {
        const a = this.parseExpr();
        const closeName = v === 'lceil' ? 'rceil' : 'rfloor';
        const close = this.peek();
        if (!(close.k === 'cmd' && close.v === closeName)) throw this.err(`\\${v} is never closed by \\${closeName}`, t);
        this.next();
        return { k: v === 'lceil' ? 'ceil' : 'floor', a, s: t.s, e: close.e };
      }
      case '|':
      case 'Vert':
      case 'lVert': {
        if (!this.toks.slice(this.i).some((x) => x.k === 'cmd' && (x.v === '|' || x.v === 'Vert' || x.v === 'rVert'))) {
          throw this.err('unbalanced `\\|`: this norm is never closed; write the norm with `\\|` on both sides, \\|v\\|', t);
        }
        this.normDepth++;
        const saveA = this.absDepth;
        this.absDepth = 0;
        const a = this.parseExpr();
        this.normDepth--;
        this.absDepth = saveA;
        const close = this.peek();
        if (!(close.k === 'cmd' && (close.v === '|' || close.v === 'Vert' || close.v === 'rVert'))) throw this.err('unbalanced `\\|`: this norm is never closed', t);
        this.next();
        let p: '2' | 'F' | '1' | 'inf' = '2';
        let e = close.e;
        if (this.isOp('_')) {
          this.next();
          const sub = this.rawArg();
          const key = canon(sub);
          e = sub[sub.length - 1].e;
          if (key === '2') p = '2';
          else if (key === 'F' || key === '\\text{F}' || key === '\\mathrm{F}' || key === '\\text{Fro}') p = 'F';
          else if (key === '1') p = '1';
          else if (key === '\\infty' || key === '\\infty ') p = 'inf';
          else throw this.err(`unknown norm \`_${key}\` (use _2, _F, _1 or _\\infty)`, sub[0]);
        }
        return { k: 'norm', a, p, s: t.s, e };
      }
      case '{': {
        // set literal \{a, b, c\}
        const items: Node[] = [];
        if (!this.isCmd('}')) {
          items.push(this.parseExpr());
          while (this.isOp(',')) {
            this.next();
            if (this.isCmd('dots') || this.isCmd('ldots') || this.isCmd('cdots')) {
              const dt = this.next();
              throw this.err('write every element of the set (ranges with \\dots are only for index definitions)', dt);
            }
            items.push(this.parseExpr());
          }
        }
        const close = this.peek();
        if (!(close.k === 'cmd' && close.v === '}')) throw this.err('unbalanced braces: `\\{` is never closed', t);
        this.next();
        return { k: 'set', items, s: t.s, e: close.e };
      }
      case 'log':
      case 'ln':
      case 'lg':
      case 'exp':
      case 'sin':
      case 'cos':
      case 'tan':
      case 'cot':
      case 'sec':
      case 'csc':
      case 'arcsin':
      case 'arccos':
      case 'arctan':
      case 'sinh':
      case 'cosh':
      case 'tanh':
      case 'det':
      case 'gcd':
      case 'sgn':
        return this.parseFnArgs(v, t);
      case 'min':
      case 'max':
        if (this.isOp('_')) {
          // \min_\eta Q over a sweep, unless followed by parentheses with several args
          return this.parseAggregate(v, t);
        }
        return this.parseFnArgs(v, t);
      case 'arg': {
        const m = this.peek();
        if (m.k === 'cmd' && (m.v === 'min' || m.v === 'max')) {
          this.next();
          return this.parseAggregate(m.v === 'min' ? 'argmin' : 'argmax', t);
        }
        throw this.err('expected \\min or \\max after \\arg', m);
      }
      case 'argmin':
      case 'argmax':
        return this.parseAggregate(v, t);
      case 'sum':
      case 'prod':
        return this.parseSum(v, t);
      case 'nabla': {
        let order: 1 | 2 = 1;
        if (this.isOp('^')) {
          this.next();
          const p = this.next();
          const pv = p.k === 'num' ? p.v : p.k === 'op' && p.v === '{' ? this.next().v : '';
          if (p.k === 'op' && p.v === '{') this.expectOp('}');
          if (pv !== '2') throw this.err('only \\nabla and \\nabla^2 are supported', p);
          order = 2;
        }
        const f = this.parseAtom();
        if (f.k === 'app') return { k: 'grad', order, f: f.f, at: f.args, s: t.s, e: f.e };
        return { k: 'grad', order, f, s: t.s, e: f.e };
      }
      case 'partial':
        throw this.err('write partial derivatives as \\frac{\\partial f}{\\partial x}', t);
      case 'operatorname':
        throw this.err('\\operatorname needs a name in braces', t);
      case 'dots':
      case 'ldots':
      case 'cdots':
        throw this.err('`\\dots` is only allowed in index ranges such as `i = 1, \\dots, n`', t);
      default:
        if (isRelTok(t)) throw this.err(`expression is missing before ${show(t)}`, t);
        throw this.err(`unknown command \`\\${v}\`${didYouMean(v, [...GREEK, ...FUNCS, ...DECOR, ...KNOWN_COMMANDS]).replace(/`(\w+)`/, '`\\$1`')}`, t);
    }
  }

  protected parseFrac(t: Tok): Node {
    // derivative?
    const save = this.i;
    if (this.isOp('{') && (this.isCmd('partial', 1) || (this.peek(1).k === 'id' && this.peek(1).v === 'd' && this.isOp('}', 2)))) {
      this.next();
      this.next();
      let order = 1;
      if (this.isOp('^')) {
        this.next();
        const o = this.group('the derivative order');
        if (o.k !== 'num') throw this.err('the derivative order must be a number', t);
        order = o.v;
      }
      let f: Node | undefined;
      if (!this.isOp('}')) f = this.parseExpr();
      this.expectOp('}', 'to close the numerator');
      this.expectOp('{', 'to open the denominator');
      const wrt: SymNode[] = [];
      while (!this.isOp('}')) {
        const p = this.next();
        if (!((p.k === 'cmd' && p.v === 'partial') || (p.k === 'id' && p.v === 'd'))) throw this.err('expected \\partial x in the denominator', p);
        const sym = this.parseSymbol();
        let times = 1;
        if (this.isOp('^')) {
          this.next();
          const o = this.group('the power');
          if (o.k !== 'num') throw this.err('expected a number', t);
          times = o.v;
        }
        for (let k = 0; k < times; k++) wrt.push(sym);
        if (this.atEnd()) throw this.err('unbalanced braces in \\frac', t);
      }
      const close = this.next();
      if (wrt.length === 0) throw this.err('missing \\partial x in the denominator', close);
      if (wrt.length !== order) throw this.err(`the numerator has order ${order} but the denominator ${wrt.length}`, t);
      let e = close.e;
      if (!f) {
        f = this.parsePostfix();
        e = f.e;
      }
      return { k: 'partial', order, f, wrt, s: t.s, e };
    }
    this.i = save;
    const a = this.group('\\frac');
    const b = this.group('\\frac');
    return { k: 'bin', op: '/', a, b, s: t.s, e: b.e };
  }
}
