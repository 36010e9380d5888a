// Parser for the LaTeX of check blocks: the statements of each key (`given`/`let` bindings, `iterate` equations,
// `sweep`, a claim, a list of plots). The expression grammar is layered below it, one subject per file:
// stream.ts (token cursor) → symbol.ts (names) → expression.ts (precedence, atoms) → bigops.ts (\sum, \min_t,
// \forall) → text.ts (\text{…}, fonts, \mathbb{E}) → commands.ts (\frac, norms, functions, \nabla, matrices).
import type { Binding, Equation, Node, Sweep, SymNode } from './ast';
import type { Tok } from './lexer';
import { CheckError } from '../errors';
import { CommandParser } from './commands';
import { DECOR, GREEK, nablaName, show } from './names';

export class Parser extends CommandParser {
  /** After a one-letter name followed by more letters (`alpha = 1`): a name is one letter; how to write the word. */
  private wordHint(display: string): string {
    let word = display;
    for (let k = this.i; k < this.toks.length; k++) {
      const x = this.toks[k];
      if (x.k !== 'id' || !/^[A-Za-z]$/.test(x.v) || x.s !== this.toks[k - 1]?.e) break;
      word += x.v;
    }
    if (word === display || !/^[A-Za-z]+$/.test(word)) return '';
    return GREEK.has(word)
      ? ` (\`${word}\` is read as the letters ${word.split('').join(' ')}: write \`\\${word}\`)`
      : ` (a name is one letter: write \`\\text{${word}}\` for a word)`;
  }

  /** Parse a sub-list of tokens as an expression (used for subscripts). */
  static parseTokens(toks: Tok[]): Node {
    if (toks.length === 0) throw new CheckError('empty subscript', 0, 0);
    const last = toks[toks.length - 1];
    const p = new Parser([...toks, { k: 'eof', v: '', s: last.e, e: last.e }]);
    const n = p.parseExpr();
    if (!p.atEnd()) throw p.err(`unexpected ${show(p.peek())}`);
    return n;
  }

  protected parseSubTokens(toks: Tok[]): Node {
    return Parser.parseTokens(toks);
  }

  /** Skip statement separators. Returns false at the end. */
  skipSeps(): boolean {
    for (;;) {
      const t = this.peek();
      if (t.k === 'nl' || t.k === 'sep' || (t.k === 'op' && (t.v === ',' || t.v === ';'))) this.next();
      else return t.k !== 'eof';
    }
  }

  endStatement(): void {
    const t = this.peek();
    if (t.k === 'eof' || t.k === 'nl' || t.k === 'sep' || (t.k === 'op' && (t.v === ',' || t.v === ';'))) return;
    throw this.err(`unexpected ${show(t)} (separate statements with a comma or a new line)`, t);
  }

  /** given / let bindings. */
  parseBindings(allowLet: boolean): Binding[] {
    const out: Binding[] = [];
    while (this.skipSeps()) {
      out.push(this.parseBinding(allowLet));
      this.endStatement();
    }
    return out;
  }

  protected parseBinding(allowLet: boolean): Binding {
    let start = this.peek();
    // `\nabla F_j = …` in `let`: a name that reads as a gradient (the writeup's ∇F_j, given as data)
    const nablaTok = allowLet && start.k === 'cmd' && start.v === 'nabla' ? this.next() : undefined;
    if (nablaTok) start = this.peek();
    if (!(start.k === 'id' || start.k === 'font' || start.k === 'text' || (start.k === 'cmd' && (GREEK.has(start.v) || DECOR.has(start.v))))) {
      throw this.err(`expected a name to define but found ${show(start)}`, start);
    }
    const sym = this.parseSymbol();
    if (nablaTok) {
      sym.s = nablaTok.s;
      sym.base = nablaName(sym.base);
      sym.key = nablaName(sym.key);
      sym.baseKey = nablaName(sym.baseKey);
    }
    const display = sym.key;
    const common = { nameS: sym.s, nameE: sym.e, key: sym.key, display, s: sym.s };
    // function definition f(x, y) = …
    if (this.isOp('(')) {
      const open = this.next();
      const params: string[] = [];
      for (;;) {
        const p = this.parseSymbol();
        params.push(p.key);
        if (this.isOp(',')) {
          this.next();
          continue;
        }
        break;
      }
      this.expectOp(')', 'to close the parameter list');
      if (!this.eatDefEq()) throw this.err('expected `=` after the function head', this.peek());
      const expr = this.parseExpr();
      if (!allowLet && params.length === 0) throw this.err('empty parameter list', open);
      return { ...common, kind: 'func', params, expr, e: expr.e };
    }
    // σ^2 = 5 defines σ = √5
    let sqrtOf = false;
    if (this.isOp('^')) {
      const c = this.next();
      const p = this.group('the exponent');
      if (!(p.k === 'num' && p.v === 2)) throw this.err('only `name^2 = value` is allowed on the left (it defines the positive root)', c);
      sqrtOf = true;
    }
    const t = this.peek();
    if (t.k === 'cmd' && t.v === 'sim') {
      this.next();
      const dist = this.parseAtom();
      if (dist.k !== 'dist') throw this.err('expected a distribution such as \\mathcal{N}(0, 1) or \\mathcal{U}(0, 1)', t);
      const dims: Node[] = [];
      if (this.isOp('^')) {
        this.next();
        const g = this.group('the size');
        const collect = (n: Node) => {
          if (n.k === 'bin' && n.op === '*') {
            collect(n.a);
            collect(n.b);
          } else dims.push(n);
        };
        collect(g);
        if (dims.length > 2) throw this.err('random draws are scalars, n-vectors (^{n}) or m×n matrices (^{m\\times n})', t);
      }
      let fixed = false;
      const f = this.peek();
      if (f.k === 'text' && (f.raw ?? '').trim() === 'fixed') {
        this.next();
        fixed = true;
      }
      let perStep: string | undefined;
      if (sym.sub && sym.sub.length === 1 && sym.sub[0].k === 'id') perStep = sym.sub[0].v;
      return { ...common, kind: 'draw', dist: dist as Node & { k: 'dist' }, dims, e: this.toks[this.i - 1].e, perStep, ownKey: sym.key, fixed, key: perStep ? sym.baseKey : sym.key };
    }
    if (t.k === 'cmd' && t.v === 'in') {
      this.next();
      const set = this.parseAtom();
      if (set.k !== 'set') throw this.err('`given` takes sets such as \\{1, 2, 3\\} (for each value); put ranges in `sweep`', set.s ? { ...t, s: set.s, e: set.e } : t);
      return { ...common, kind: 'each', set, e: set.e };
    }
    if (!this.eatDefEq()) throw this.err(`expected \`=\`, \\sim or \\in after \`${display}\` but found ${show(this.peek())}${this.wordHint(display)}`, this.peek());
    const expr = this.parseExpr();
    // index definition: H_{ij} = …, i, j = 1, …, n
    if (allowLet && sym.sub) {
      const range = this.tryRangeClause(sym);
      if (range) return { ...common, key: sym.baseKey, kind: 'family', indices: range.indices, ranges: range.ranges, expr, e: range.e };
    }
    return { ...common, kind: 'value', expr, sqrtOf, e: expr.e };
  }

  protected eatDefEq(): boolean {
    if (this.isOp('=')) {
      this.next();
      return true;
    }
    if (this.isOp(':') && this.isOp('=', 1)) {
      this.next();
      this.next();
      return true;
    }
    if (this.isCmd('coloneqq') || this.isCmd('equiv') || this.isCmd('triangleq') || this.isCmd('coloneq')) {
      this.next();
      return true;
    }
    return false;
  }

  protected tryRangeClause(sym: SymNode): { indices: string[]; ranges: [Node, Node][]; e: number } | undefined {
    const subToks = sym.sub ?? [];
    const letters = subToks.filter((x) => !(x.k === 'op' && x.v === ','));
    if (!letters.every((x) => x.k === 'id')) return undefined;
    const indices = letters.map((x) => x.v);
    const save = this.i;
    // one range for all indices (`i, j = 1, \dots, n`) or one per group (`i = 1, \dots, n, \; r = 1, \dots, m`)
    const ranges = new Map<string, [Node, Node]>();
    while (ranges.size < indices.length) {
      if (this.isOp(',') || this.peek().k === 'sep') this.next();
      while (this.peek().k === 'sep') this.next();
      if (this.isOp('(')) this.next();
      const got: string[] = [];
      while (this.peek().k === 'id' && indices.includes(this.peek().v) && !ranges.has(this.peek().v) && !got.includes(this.peek().v)) {
        got.push(this.next().v);
        if (this.isOp(',')) this.next();
        else break;
      }
      if (got.length === 0 || !(this.isOp('=') || this.isCmd('in'))) {
        if (ranges.size === 0) {
          this.i = save;
          return undefined;
        }
        const missing = indices.filter((x) => !ranges.has(x)).join(', ');
        throw this.err(`give the range of every index: add \`${missing} = 1, \\dots, n\``, this.peek());
      }
      const viaIn = this.isCmd('in');
      this.next();
      if (viaIn && !this.isCmd('{')) throw this.err('write the range as \\{1, \\dots, n\\}', this.peek());
      if (viaIn) this.next();
      const lo = this.parseAdd();
      this.expectOp(',', 'in the range `1, \\dots, n`');
      const dots = this.next();
      if (!(dots.k === 'cmd' && (dots.v === 'dots' || dots.v === 'ldots' || dots.v === 'cdots'))) throw this.err('write the range as `1, \\dots, n`', dots);
      this.expectOp(',', 'in the range `1, \\dots, n`');
      const hi = this.parseAdd();
      if (viaIn) {
        const c = this.next();
        if (!(c.k === 'cmd' && c.v === '}')) throw this.err('unbalanced braces: `\\{` is never closed', c);
      }
      if (this.isOp(')')) this.next();
      for (const g of got) ranges.set(g, [lo, hi]);
    }
    return { indices, ranges: indices.map((x) => ranges.get(x) as [Node, Node]), e: this.toks[this.i - 1].e };
  }

  parseEquations(): Equation[] {
    const out: Equation[] = [];
    while (this.skipSeps()) {
      const sym = this.parseSymbol();
      if (!sym.sub) throw new CheckError(`write the update as \`${sym.key}_{t+1} = …\``, sym.s, sym.e);
      if (!this.eatDefEq()) throw this.err(`expected \`=\` after \`${sym.key}\``, this.peek());
      const expr = this.parseExpr();
      out.push({ base: sym.baseKey, display: sym.key, nameS: sym.s, nameE: sym.e, expr, s: sym.s, e: expr.e, sub: sym.sub });
      this.endStatement();
    }
    return out;
  }

  parseSweep(): Sweep {
    this.skipSeps();
    const sym = this.parseSymbol();
    if (!this.isCmd('in')) throw this.err(`expected \\in after \`${sym.key}\` (e.g. \\eta \\in [0.01, 0.5])`, this.peek());
    this.next();
    const range = this.parseAtom();
    if (range.k !== 'interval' && range.k !== 'set') throw new CheckError('sweep over an interval [a, b] or a set \\{a, b, c\\}', range.s, range.e);
    const sw: Sweep = { key: sym.key, display: sym.key, nameS: sym.s, nameE: sym.e, range, s: sym.s, e: range.e };
    for (;;) {
      if (this.isOp(',') || this.isOp(';')) {
        this.next();
        continue;
      }
      const t = this.peek();
      if (t.k === 'text') {
        this.next();
        const words = (t.raw ?? '').trim().split(/\s+/);
        for (let w = 0; w < words.length; w++) {
          const word = words[w];
          if (word === 'log') sw.log = true;
          else if (word === 'linear' || word === 'lin') sw.log = false;
          else if (/^\d+$/.test(word) && (words[w + 1] === 'points' || words[w + 1] === 'point')) {
            sw.points = Number(word);
            w++;
          } else if (word === '') continue;
          else throw this.err(`unknown sweep option \`${word}\` (use \\text{log}, \\text{linear} or \\text{400 points})`, t);
        }
        continue;
      }
      break;
    }
    this.skipSeps();
    if (!this.atEnd()) throw this.err(`unexpected ${show(this.peek())}: one swept parameter per check`, this.peek());
    return sw;
  }

  parseSingle(): Node {
    this.skipNl();
    if (this.atEnd()) throw this.err('empty value', this.peek());
    const n = this.parseExpr();
    this.skipSeps();
    if (!this.atEnd()) {
      const t = this.peek();
      if (t.k === 'op' && (t.v === '}' || t.v === ')' || t.v === ']')) throw this.err(`unbalanced ${t.v === '}' ? 'braces' : t.v === ')' ? 'parentheses' : 'brackets'}: \`${t.v}\` without a matching opening`, t);
      throw this.err(`unexpected ${show(t)} after the expression`, t);
    }
    return n;
  }

  parseList(): Node[] {
    const out: Node[] = [];
    while (this.skipSeps()) {
      out.push(this.parseExpr());
      this.endStatement();
    }
    return out;
  }
}
