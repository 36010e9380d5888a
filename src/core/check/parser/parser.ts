// Parser for the LaTeX of check blocks: expressions as written in homework (implicit multiplication,
// decorated names, \frac, norms, matrices, sums, derivatives, …) and the statements of each key.
import type { Binding, Equation, Measure, Node, RelOp, StepRange, Sweep, SymNode } from './ast';
import type { Tok } from './lexer';
import { CheckError } from '../errors';
import { didYouMean } from '../hints';
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

const GREEK = new Set([
  'alpha', 'beta', 'gamma', 'delta', 'epsilon', 'varepsilon', 'zeta', 'eta', 'theta', 'vartheta', 'iota', 'kappa',
  'lambda', 'mu', 'nu', 'xi', 'pi', 'varpi', 'rho', 'varrho', 'sigma', 'varsigma', 'tau', 'upsilon', 'phi', 'varphi',
  'chi', 'psi', 'omega', 'Gamma', 'Delta', 'Theta', 'Lambda', 'Xi', 'Pi', 'Sigma', 'Upsilon', 'Phi', 'Psi', 'Omega',
  'ell',
]);
const DECOR = new Set(['hat', 'widehat', 'bar', 'overline', 'tilde', 'widetilde', 'vec', 'dot', 'ddot', 'check', 'breve', 'underline']);
const FUNCS = new Set([
  'log', 'ln', 'exp', 'sin', 'cos', 'tan', 'cot', 'sec', 'csc', 'arcsin', 'arccos', 'arctan', 'sinh', 'cosh', 'tanh',
  'det', 'min', 'max', 'gcd', 'sgn', 'lg',
]);
/** Names for \operatorname{…} / \mathrm{…} functions. */
const NAMED_FUNCS: Record<string, string> = {
  Tr: 'tr', tr: 'tr', trace: 'tr', det: 'det', diag: 'diag', rank: 'rank', sign: 'sgn', sgn: 'sgn', argmin: 'argmin',
  argmax: 'argmax', 'arg\\,min': 'argmin', 'arg\\,max': 'argmax', 'arg min': 'argmin', 'arg max': 'argmax', exp: 'exp',
  log: 'log', round: 'round', mean: 'mean', var: 'var', Var: 'var', sum: 'sumall', cond: 'cond', sigmoid: 'sigmoid',
  relu: 'relu', ReLU: 'relu', clip: 'clip', eigvec: 'eigvec', eigvecs: 'eigvec',
};
export const MEASURES: Record<string, Measure> = {
  converges: 'converges', converge: 'converges', convergent: 'converges', 'converges to the limit': 'converges',
  bounded: 'bounded', stable: 'bounded', diverges: 'diverges', diverge: 'diverges', divergent: 'diverges', rate: 'rate',
  iterations: 'iterations',
};
const REL: Record<string, RelOp> = {
  '<': '<', '>': '>', '=': '=', le: '<=', leq: '<=', leqslant: '<=', ge: '>=', geq: '>=', geqslant: '>=', ne: '!=',
  neq: '!=', approx: '~=', simeq: '~=', in: 'in',
};
/** Other commands the parser reads (for "did you mean" after an unknown command). */
const KNOWN_COMMANDS = [
  'frac', 'dfrac', 'sqrt', 'sum', 'prod', 'nabla', 'partial', 'infty', 'lceil', 'rceil', 'lfloor', 'rfloor', 'operatorname',
  'mathbb', 'mathcal', 'mathbf', 'text', 'cdot', 'times', 'top', 'begin', 'end', 'left', 'right', 'forall', 'land', 'lor',
  'lnot', 'neg', 'iff', 'implies', 'sim', 'arg', 'argmin', 'argmax', 'dots', 'ldots', 'cdots', 'star', 'quad',
];
const DECO_SUPS = new Set(['star', 'ast', '*', 'prime', 'infty', 'dagger', 'circ']);

export function canon(toks: Tok[]): string {
  let out = '';
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i];
    if (t.k === 'cmd') out += '\\' + t.v + (/[A-Za-z]/.test(t.v) && toks[i + 1] && (toks[i + 1].k === 'id') ? ' ' : '');
    else if (t.k === 'text' || t.k === 'font') out += `\\${t.v}{${(t.raw ?? '').trim()}}`;
    else out += t.v;
  }
  return out;
}

function isRelTok(t: Tok): RelOp | undefined {
  if (t.k === 'op' && (t.v === '<' || t.v === '>' || t.v === '=')) return REL[t.v];
  if (t.k === 'cmd' && REL[t.v] && t.v !== '<') return REL[t.v];
  return undefined;
}

/** Key of a name written with \nabla in front (`\nabla F_j` defined in `let`). */
export function nablaName(key: string): string {
  return `\\nabla ${key}`;
}

export class Parser {
  i = 0;
  private absDepth = 0;
  private normDepth = 0;

  constructor(readonly toks: Tok[]) {}

  peek(o = 0): Tok {
    return this.toks[Math.min(this.i + o, this.toks.length - 1)];
  }

  next(): Tok {
    const t = this.peek();
    if (this.i < this.toks.length - 1) this.i++;
    return t;
  }

  err(msg: string, t: Tok = this.peek()): CheckError {
    return new CheckError(msg, t.s, Math.max(t.e, t.s + 1));
  }

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

  /** `!=` is not LaTeX: `5! = 121` (with a space) is a factorial, `\\ne` is ≠; `!=` is refused as ambiguous. */
  bangEquals(t: Tok): CheckError {
    return new CheckError('`!=` is ambiguous: write `\\ne` (or ≠) for "not equal", or leave a space (`n! = …`) for a factorial followed by `=`', t.s, t.e + 1);
  }

  isOp(v: string, o = 0): boolean {
    const t = this.peek(o);
    return t.k === 'op' && t.v === v;
  }

  isCmd(v: string, o = 0): boolean {
    const t = this.peek(o);
    return t.k === 'cmd' && t.v === v;
  }

  expectOp(v: string, what?: string): Tok {
    const t = this.peek();
    if (t.k === 'op' && t.v === v) return this.next();
    if (t.k === 'eof' || t.k === 'nl' || t.k === 'sep') {
      if (v === '}' || v === ')' || v === ']') throw this.err(`unbalanced ${v === '}' ? 'braces' : v === ')' ? 'parentheses' : 'brackets'}: missing \`${v}\`${what ? ' ' + what : ''}`, t);
    }
    throw this.err(`expected \`${v}\`${what ? ' ' + what : ''} but found ${show(t)}`, t);
  }

  skipNl(): void {
    while (this.peek().k === 'nl') this.next();
  }

  atEnd(): boolean {
    const t = this.peek();
    return t.k === 'eof';
  }

  // ---------------------------------------------------------------- expressions
  parseExpr(): Node {
    return this.nested(() => this.parseIff());
  }

  /** Nesting depth of the expression being read; deeper input is refused at the token (no stack overflow). */
  private depth = 0;

  private nested<T>(f: () => T): T {
    if (++this.depth > MAX_NESTING) {
      const t = this.peek();
      this.depth = 0;
      throw this.err(`the expression is nested more than ${MAX_NESTING} levels deep here; simplify it`, t);
    }
    try {
      return f();
    } finally {
      this.depth = Math.max(0, this.depth - 1);
    }
  }

  private parseIff(): Node {
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

  private parseImplies(): Node {
    const a = this.parseOr();
    const t = this.peek();
    if (t.k === 'cmd' && (t.v === 'implies' || t.v === 'Rightarrow' || t.v === 'Longrightarrow')) {
      this.next();
      const b = this.nested(() => this.parseImplies());
      return { k: 'logic', op: 'implies', a, b, s: a.s, e: b.e };
    }
    return a;
  }

  private parseOr(): Node {
    return this.parseLogicChain('or', ['lor', 'vee'], () => this.parseAnd());
  }

  private parseAnd(): Node {
    return this.parseLogicChain('and', ['land', 'wedge'], () => this.parseNot());
  }

  /** Left-associative `a op b op c`, where op is one of the commands or the plain word (`\\text{or}` / `or`). */
  private parseLogicChain(op: 'or' | 'and', commands: string[], operand: () => Node): Node {
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

  private parseNot(): Node {
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

  private parseRel(): Node {
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

  private parseAdd(): Node {
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

  private startsAtom(t: Tok): boolean {
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

  private parseMul(): Node {
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

  private parseUnary(): Node {
    const t = this.peek();
    if (t.k === 'op' && (t.v === '-' || t.v === '+')) {
      this.next();
      const a = this.nested(() => this.parseMul1());
      return t.v === '-' ? { k: 'neg', a, s: t.s, e: a.e } : a;
    }
    return this.parsePostfix();
  }

  /** Operand of a unary minus: a product, so that -2x is -(2x) and -x^2 is -(x^2). */
  private parseMul1(): Node {
    return this.parseUnary();
  }

  /** Argument of a function written without parentheses: factors joined by implicit multiplication. */
  private parseBareArg(): Node {
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

  private parseUnaryNoImplicit(): Node {
    const t = this.peek();
    if (t.k === 'op' && t.v === '-') {
      this.next();
      const a = this.nested(() => this.parsePostfix());
      return { k: 'neg', a, s: t.s, e: a.e };
    }
    return this.parsePostfix();
  }

  /** A single token or a `{…}` group, as raw tokens (for subscripts). */
  private rawArg(): Tok[] {
    const t = this.peek();
    if (t.k === 'op' && t.v === '{') {
      this.next();
      const toks: Tok[] = [];
      let d = 1;
      for (;;) {
        const u = this.peek();
        if (u.k === 'eof' || u.k === 'nl') throw this.err('unbalanced braces: `{` is never closed', t);
        this.next();
        if (u.k === 'op' && u.v === '{') d++;
        if (u.k === 'op' && u.v === '}') {
          d--;
          if (d === 0) break;
        }
        toks.push(u);
      }
      return toks;
    }
    if (t.k === 'eof' || t.k === 'nl' || t.k === 'sep') throw this.err('missing subscript after `_`', t);
    this.next();
    return [t];
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

  private group(what: string): Node {
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
    return this.parsePostfixNoSup();
  }

  /** Index of the `}` closing the group that starts before token i, or -1. */
  private findClose(i: number): number {
    let d = 1;
    for (let k = i; k < this.toks.length; k++) {
      const t = this.toks[k];
      if (t.k === 'eof') return -1;
      if (t.k === 'op' && t.v === '{') d++;
      if (t.k === 'op' && t.v === '}') {
        d--;
        if (d === 0) return k;
      }
    }
    return -1;
  }

  private parsePostfixNoSup(): Node {
    return this.parseAtom();
  }

  private parsePostfix(): Node {
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

  private parseSup(a: Node, caret: Tok): Node {
    const t = this.peek();
    // transpose
    if ((t.k === 'cmd' && (t.v === 'top' || t.v === 'intercal' || t.v === 'mathsf')) || (t.k === 'id' && t.v === 'T')) {
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
        this.next();
        const close = this.next();
        return { k: 'transpose', a, s: a.s, e: close.e };
      }
    }
    if (t.k === 'eof' || t.k === 'nl' || t.k === 'sep') throw this.err('missing exponent after `^`', caret);
    const b = this.group('the exponent');
    return { k: 'bin', op: 'pow', a, b, s: a.s, e: b.e };
  }

  /** Parse a name: base, decorations and subscript. */
  parseSymbol(): SymNode {
    const t = this.next();
    let base: string;
    let e = t.e;
    if (t.k === 'id') base = t.v;
    else if (t.k === 'cmd' && GREEK.has(t.v)) base = '\\' + (t.v === 'varepsilon' ? 'epsilon' : t.v === 'vartheta' ? 'theta' : t.v === 'varphi' ? 'phi' : t.v);
    else if (t.k === 'font' || t.k === 'text') base = `\\${t.v === 'boldsymbol' || t.v === 'bm' ? 'mathbf' : t.v === 'textrm' || t.v === 'mathrm' ? 'text' : t.v}{${(t.raw ?? '').trim().replace(/\\varepsilon/g, '\\epsilon')}}`;
    else if (t.k === 'cmd' && DECOR.has(t.v)) {
      const inner = this.peek();
      let innerKey: string;
      if (inner.k === 'op' && inner.v === '{') {
        const toks = this.rawArg();
        innerKey = canon(toks);
        e = toks.length ? toks[toks.length - 1].e + 1 : inner.e;
      } else {
        const sym = this.parseSymbolBase();
        innerKey = sym.key;
        e = sym.e;
      }
      const d = t.v === 'widehat' ? 'hat' : t.v === 'widetilde' ? 'tilde' : t.v === 'overline' ? 'bar' : t.v;
      base = `\\${d}{${innerKey}}`;
    } else throw this.err(`expected a name but found ${show(t)}`, t);
    let deco = '';
    let sub: Tok[] | undefined;
    for (;;) {
      const u = this.peek();
      if (u.k === 'op' && u.v === '_' && !sub) {
        this.next();
        const subStart = this.peek();
        sub = this.rawArg();
        e = sub.length ? Math.max(sub[sub.length - 1].e, subStart.e) : subStart.e;
        if (subStart.k === 'op' && subStart.v === '{') e = this.toks[this.i - 1].e;
        continue;
      }
      if (u.k === 'op' && u.v === '^') {
        const v = this.peek(1);
        const isDeco = (v.k === 'cmd' && DECO_SUPS.has(v.v)) || (v.k === 'op' && v.v === '*');
        const isDecoGroup = v.k === 'op' && v.v === '{' && this.peek(3).k === 'op' && this.peek(3).v === '}' &&
          ((this.peek(2).k === 'cmd' && DECO_SUPS.has(this.peek(2).v)) || (this.peek(2).k === 'op' && this.peek(2).v === '*'));
        if (isDeco || isDecoGroup) {
          this.next();
          if (isDecoGroup) this.next();
          const d = this.next();
          if (isDecoGroup) e = this.next().e;
          else e = d.e;
          const name = d.v === '*' || d.v === 'ast' || d.v === 'star' ? 'star' : d.v;
          deco += `^{\\${name}}`;
          continue;
        }
        break;
      }
      if (u.k === 'op' && u.v === "'" ) {
        this.next();
        deco += "'";
        e = u.e;
        continue;
      }
      break;
    }
    const baseKey = base + deco;
    const key = sub ? `${baseKey}_{${canon(sub)}}` : baseKey;
    return { k: 'sym', base, deco, sub, key, baseKey, s: t.s, e };
  }

  private parseSymbolBase(): SymNode {
    const t = this.next();
    if (t.k === 'id') return { k: 'sym', base: t.v, deco: '', key: t.v, baseKey: t.v, s: t.s, e: t.e };
    if (t.k === 'cmd' && GREEK.has(t.v)) return { k: 'sym', base: '\\' + t.v, deco: '', key: '\\' + t.v, baseKey: '\\' + t.v, s: t.s, e: t.e };
    throw this.err(`expected a letter after the accent but found ${show(t)}`, t);
  }

  private parenArgs(open: Tok): { args: Node[]; end: number } {
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

  private parseAtom(): Node {
    return this.nested(() => this.parseAtomInner());
  }

  private parseAtomInner(): Node {
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
  private maybeApply(sym: SymNode): Node {
    if (this.isOp('(')) {
      const open = this.next();
      const { args, end } = this.parenArgs(open);
      return { k: 'app', f: sym, args, s: sym.s, e: end };
    }
    return sym;
  }

  private parseOpAtom(): Node {
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

  private parseText(): Node {
    const t = this.next();
    const raw = (t.raw ?? '').trim();
    const low = raw.toLowerCase();
    if (MEASURES[low] && (t.v === 'text' || t.v === 'textrm' || t.v === 'mathrm' || t.v === 'textit')) {
      const m = MEASURES[low];
      if (m === 'rate' || m === 'iterations') {
        // \text{rate}(w)
        if (this.isOp('(')) {
          const open = this.next();
          const { args, end } = this.parenArgs(open);
          if (args.length !== 1 || args[0].k !== 'sym') throw this.err(`\\text{${raw}}(…) takes one iterated variable`, open);
          if (m === 'rate') {
            throw new CheckError(
              '`\\text{rate}(…)` is not defined: the rate is that of the whole state x_t (all iterated variables together, ρ of the update when it is affine); write `\\text{rate}`',
              t.s,
              end,
            );
          }
          return { k: 'measure', m, of: args[0] as SymNode, s: t.s, e: end };
        }
      }
      return { k: 'measure', m, s: t.s, e: t.e };
    }
    const fname = NAMED_FUNCS[raw] ?? NAMED_FUNCS[raw.replace(/\s+/g, ' ')];
    if (fname && (t.v === 'operatorname' || t.v === 'mathrm' || t.v === 'text' || t.v === 'textrm')) {
      if (fname === 'argmin' || fname === 'argmax') return this.parseAggregate(fname, t);
      return this.parseFnArgs(fname, t);
    }
    if (/^[A-Za-z][A-Za-z0-9]*$/.test(raw)) {
      this.i--;
      const sym = this.parseSymbol();
      return this.maybeApply(sym);
    }
    throw this.err(`unknown text \`${raw}\` (known: converges, bounded, diverges, rate; names like \\text{Loss})`, t);
  }

  private parseFont(): Node {
    const t = this.peek();
    const raw = (t.raw ?? '').trim();
    if (t.v === 'mathbb' && raw === 'E') {
      this.next();
      // optional subscript (ignored: the expectation is over the trials)
      if (this.isOp('_')) {
        this.next();
        this.rawArg();
      }
      const open = this.peek();
      if (open.k === 'op' && (open.v === '[' || open.v === '(')) {
        this.next();
        const body = this.parseExpr();
        const close = this.peek();
        if (!(close.k === 'op' && (close.v === ']' || close.v === ')'))) throw this.err('unbalanced brackets: `\\mathbb{E}[` is never closed', open);
        this.next();
        return { k: 'E', body, s: t.s, e: close.e };
      }
      if (open.k === 'op' && open.v === '{') {
        const body = this.group('\\mathbb{E}');
        return { k: 'E', body, s: t.s, e: body.e };
      }
      throw this.err('write the expectation as \\mathbb{E}[…]', open);
    }
    if ((t.v === 'mathbb' || t.v === 'mathbf') && (raw === '1' || raw === 'I') && this.isIndicatorNext()) {
      this.next();
      const open = this.next();
      const closeName = open.k === 'cmd' ? '}' : open.v === '(' ? ')' : '}';
      const cond = this.parseExpr();
      const close = this.peek();
      const ok = open.k === 'cmd' ? close.k === 'cmd' && close.v === '}' : close.k === 'op' && close.v === closeName;
      if (!ok) throw this.err('unbalanced braces: the indicator `\\mathbb{1}\\{` is never closed', open);
      this.next();
      return { k: 'indicator', cond, s: t.s, e: close.e };
    }
    if (t.v === 'mathcal' && (raw === 'N' || raw === 'U')) {
      this.next();
      const open = this.peek();
      if (!this.isOp('(')) throw this.err(`\\mathcal{${raw}} needs its parameters, e.g. \\mathcal{${raw}}(0, 1)`, open);
      this.next();
      const { args, end } = this.parenArgs(open);
      return { k: 'dist', name: raw as 'N' | 'U', args, s: t.s, e: end };
    }
    if ((t.v === 'mathbf' || t.v === 'boldsymbol') && (raw === '0' || raw === '1')) {
      this.next();
      if (!this.isOp('_')) throw this.err(`give the size: \\mathbf{${raw}}_n`, t);
      this.next();
      const size = Parser.parseTokens(this.rawArg());
      return { k: raw === '0' ? 'zeros' : 'ones', size, s: t.s, e: size.e };
    }
    if (t.v === 'mathbb' && /^[RNZCQ]$/.test(raw)) throw this.err(`\\mathbb{${raw}} is a set of numbers, not a value`, t);
    const sym = this.parseSymbol();
    return this.maybeApply(sym);
  }

  private isIndicatorNext(): boolean {
    const n = this.peek(1);
    return (n.k === 'cmd' && n.v === '{') || (n.k === 'op' && (n.v === '{' || n.v === '('));
  }

  private parseMatrix(): Node {
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

  private parseFnArgs(name: string, t: Tok): Node {
    // optional subscript (log base / min over index)
    let base: Node | undefined;
    if (this.isOp('_')) {
      this.next();
      base = Parser.parseTokens(this.rawArg());
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

  private parseAggregate(op: 'argmin' | 'argmax' | 'min' | 'max', t: Tok): Node {
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
  private binder(toks: Tok[], t: Tok, upper: boolean): StepRange {
    const bad = () => this.err('write the variable and its range as `t`, `t \\le T`, `0 \\le t < T` or `t=0}^{T}`', toks[0] ?? t);
    if (!toks.length) throw bad();
    const n = Parser.parseTokens(toks);
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
        const hi = Parser.parseTokens(this.rawArg());
        return { v: it[0] as SymNode, lo: it[1], hi };
      }
    }
    if (it.length === 3 && it[1].k === 'sym' && lower(n.ops[0]) && lower(n.ops[1])) {
      return { v: it[1] as SymNode, lo: it[0], loStrict: n.ops[0] === '<', hi: it[2], hiStrict: n.ops[1] === '<' };
    }
    throw bad();
  }

  /** `\forall t \le T: P` — P at every step in the range (the statement extends to the end of the claim). */
  private parseForall(t: Tok): Node {
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

  private parseBareArgOrGroup(): Node {
    return this.parseBareArg();
  }

  private parseCmdAtom(): Node {
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
        throw this.err(`unknown command \`\\${v}\`${didYouMean(v, [...GREEK, ...FUNCS, ...DECOR, ...Object.keys(REL), ...KNOWN_COMMANDS]).replace(/`(\w+)`/, '`\\$1`')}`, t);
    }
  }

  private parseFrac(t: Tok): Node {
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

  private parseSum(v: 'sum' | 'prod', t: Tok): Node {
    if (!this.isOp('_')) throw this.err(`\\${v} needs bounds, e.g. \\${v}_{i=1}^{n}`, t);
    this.next();
    const lowToks = this.rawArg();
    const eq = lowToks.findIndex((x) => x.k === 'op' && x.v === '=');
    if (eq !== 1 || lowToks[0].k !== 'id' && !(lowToks[0].k === 'cmd' && GREEK.has(lowToks[0].v))) {
      const letter = lowToks[0]?.k === 'id' ? lowToks[0].v : 'i';
      throw this.err(`\\${v}_{${canon(lowToks)}} needs the range of its index: write \\${v}_{${letter}=1}^{n} (from 1 to n)`, lowToks[0] ?? t);
    }
    const name = lowToks[0].k === 'id' ? lowToks[0].v : '\\' + lowToks[0].v;
    const lo = Parser.parseTokens(lowToks.slice(2));
    if (!this.isOp('^')) throw this.err(`\\${v} needs an upper bound, e.g. \\${v}_{i=1}^{n}`, t);
    this.next();
    const hi = Parser.parseTokens(this.rawArg());
    const body = this.parseMulForSum();
    return { k: 'sumprod', op: v, v: name, lo, hi, body, s: t.s, e: body.e };
  }

  /** Body of a sum: a product (the sum extends over implicit and explicit multiplication). */
  private parseMulForSum(): Node {
    return this.parseMul();
  }

  // ---------------------------------------------------------------- statements
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

  private parseBinding(allowLet: boolean): Binding {
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

  private eatDefEq(): boolean {
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

  private tryRangeClause(sym: SymNode): { indices: string[]; ranges: [Node, Node][]; e: number } | undefined {
    const subToks = sym.sub ?? [];
    const letters = subToks.filter((x) => !(x.k === 'op' && x.v === ','));
    if (!letters.every((x) => x.k === 'id')) return undefined;
    const indices = letters.map((x) => x.v);
    const save = this.i;
    if (this.isOp(',') || this.peek().k === 'sep') this.next();
    while (this.peek().k === 'sep') this.next();
    if (this.isOp('(')) this.next();
    const got: string[] = [];
    while (this.peek().k === 'id' && indices.includes(this.peek().v)) {
      got.push(this.next().v);
      if (this.isOp(',')) this.next();
      else break;
    }
    if (got.length !== indices.length || !(this.isOp('=') || this.isCmd('in'))) {
      this.i = save;
      return undefined;
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
    return { indices, ranges: indices.map(() => [lo, hi] as [Node, Node]), e: this.toks[this.i - 1].e };
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

export function show(t: Tok): string {
  switch (t.k) {
    case 'eof':
      return 'the end of the value';
    case 'nl':
      return 'a line break';
    case 'cmd':
      return `\`\\${t.v}\``;
    case 'text':
    case 'font':
      return `\`\\${t.v}{${t.raw}}\``;
    case 'sep':
      return `\`\\${t.v}\``;
    default:
      return `\`${t.v}\``;
  }
}
