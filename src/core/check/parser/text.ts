// \text{…} and font commands: the claim keywords (\text{converges}, \text{bounded}, \text{rate}, …), named
// functions (\operatorname{Tr}, \text{relu}), \mathbb{E}[…], the indicator \mathbb{1}\{…\}, the distributions
// \mathcal{N}(…) and \mathcal{U}(…), \mathbf{0}_n / \mathbf{1}_n, and names such as \text{Loss}.
import type { Node, SymNode } from './ast';
import type { Tok } from './lexer';
import { CheckError } from '../errors';
import { BigOperatorParser } from './bigops';
import { MEASURES, NAMED_FUNCS } from './names';

export abstract class TextParser extends BigOperatorParser {
  protected abstract parseFnArgs(name: string, t: Tok): Node;

  protected parseText(): Node {
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

  protected parseFont(): Node {
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
      const size = this.parseSubTokens(this.rawArg());
      return { k: raw === '0' ? 'zeros' : 'ones', size, s: t.s, e: size.e };
    }
    if (t.v === 'mathbb' && /^[RNZCQ]$/.test(raw)) throw this.err(`\\mathbb{${raw}} is a set of numbers, not a value`, t);
    const sym = this.parseSymbol();
    return this.maybeApply(sym);
  }

  protected isIndicatorNext(): boolean {
    const n = this.peek(1);
    return (n.k === 'cmd' && n.v === '{') || (n.k === 'op' && (n.v === '{' || n.v === '('));
  }
}
