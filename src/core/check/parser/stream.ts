// The token cursor under the check parser: look-ahead, consuming, located errors, the nesting guard and raw
// (unparsed) arguments such as subscripts.
import type { Tok } from './lexer';
import { CheckError } from '../errors';
import { MAX_NESTING } from './depth';
import { show } from './names';

export class TokenStream {
  i = 0;

  protected absDepth = 0;

  protected normDepth = 0;

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

  /** Nesting depth of the expression being read; deeper input is refused at the token (no stack overflow). */
  protected depth = 0;

  protected nested<T>(f: () => T): T {
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

  /** A single token or a `{…}` group, as raw tokens (for subscripts). */
  protected rawArg(): Tok[] {
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

  /** Index of the `}` closing the group that starts before token i, or -1. */
  protected findClose(i: number): number {
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
}
