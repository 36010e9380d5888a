// Names as homework writes them: a base (letter, Greek letter, \text{…}/\mathbf{…} name, accented letter),
// decorations (x^\star, x', …) and a subscript kept as raw tokens; the key the linker resolves.
import type { SymNode } from './ast';
import type { Tok } from './lexer';
import { DECO_SUPS, DECOR, GREEK, canon, show } from './names';
import { TokenStream } from './stream';

export class SymbolReader extends TokenStream {
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

  protected parseSymbolBase(): SymNode {
    const t = this.next();
    if (t.k === 'id') return { k: 'sym', base: t.v, deco: '', key: t.v, baseKey: t.v, s: t.s, e: t.e };
    if (t.k === 'cmd' && GREEK.has(t.v)) return { k: 'sym', base: '\\' + t.v, deco: '', key: '\\' + t.v, baseKey: '\\' + t.v, s: t.s, e: t.e };
    throw this.err(`expected a letter after the accent but found ${show(t)}`, t);
  }
}
