// Tokenizer for the LaTeX of check blocks. Every token carries document offsets (UTF-16) so that errors point at
// the exact place in the Markdown file.
import { CheckError } from '../errors';

export type TokKind =
  | 'num' // 12, 0.5
  | 'id' // a single letter
  | 'cmd' // \sigma, \frac, \| (v holds the name without backslash)
  | 'op' // + - * / = < > ^ _ ' ! , ; & | ( ) [ ] { }
  | 'text' // \text{...}, \mathrm{...}, \operatorname{...} (v = command, raw = content)
  | 'font' // \mathbb{E}, \mathcal{N}, \mathbf{x} (v = command, raw = content)
  | 'begin' // \begin{bmatrix} (v = environment)
  | 'end'
  | 'nl' // line break at bracket depth 0
  | 'sep' // \quad, \qquad or `\\` at depth 0 (statement separators)
  | 'eof';

export interface Tok {
  k: TokKind;
  v: string;
  raw?: string;
  n?: number;
  /** Document offsets. */
  s: number;
  e: number;
}

/** Text of one section with a map from each character to its document offset. */
export interface Source {
  text: string;
  /** map[i] = document offset of text[i]; map[text.length] = offset just after the last character. */
  map: number[];
}

const TEXT_CMDS = new Set(['text', 'textrm', 'textit', 'textbf', 'mathrm', 'operatorname', 'mbox', 'mathit', 'mathsf', 'textsf', 'texttt']);
const FONT_CMDS = new Set(['mathbb', 'mathcal', 'mathbf', 'boldsymbol', 'bm', 'mathfrak', 'mathscr']);
const DROP_CMDS = new Set([
  ',', ';', ':', '!', ' ', 'left', 'right', 'big', 'Big', 'bigg', 'Bigg', 'bigl', 'bigr', 'Bigl', 'Bigr', 'biggl', 'biggr',
  'Biggl', 'Biggr', 'displaystyle', 'textstyle', 'limits', 'nolimits', 'middle', 'thinspace', 'medspace', 'thickspace',
  'enspace', 'nonumber', 'notag',
]);
const SEP_CMDS = new Set(['quad', 'qquad']);

const UNICODE: Record<string, [TokKind, string]> = {
  'α': ['cmd', 'alpha'], 'β': ['cmd', 'beta'], 'γ': ['cmd', 'gamma'], 'δ': ['cmd', 'delta'], 'ε': ['cmd', 'epsilon'],
  'ζ': ['cmd', 'zeta'], 'η': ['cmd', 'eta'], 'θ': ['cmd', 'theta'], 'ι': ['cmd', 'iota'], 'κ': ['cmd', 'kappa'],
  'λ': ['cmd', 'lambda'], 'μ': ['cmd', 'mu'], 'ν': ['cmd', 'nu'], 'ξ': ['cmd', 'xi'], 'π': ['cmd', 'pi'],
  'ρ': ['cmd', 'rho'], 'σ': ['cmd', 'sigma'], 'τ': ['cmd', 'tau'], 'φ': ['cmd', 'phi'], 'χ': ['cmd', 'chi'],
  'ψ': ['cmd', 'psi'], 'ω': ['cmd', 'omega'], 'Γ': ['cmd', 'Gamma'], 'Δ': ['cmd', 'Delta'], 'Θ': ['cmd', 'Theta'],
  'Λ': ['cmd', 'Lambda'], 'Σ': ['cmd', 'Sigma'], 'Φ': ['cmd', 'Phi'], 'Ψ': ['cmd', 'Psi'], 'Ω': ['cmd', 'Omega'],
  '≤': ['cmd', 'le'], '≥': ['cmd', 'ge'], '≠': ['cmd', 'ne'], '≈': ['cmd', 'approx'], '⟺': ['cmd', 'iff'],
  '⇔': ['cmd', 'iff'], '⟹': ['cmd', 'implies'], '⇒': ['cmd', 'implies'], '·': ['cmd', 'cdot'], '×': ['cmd', 'times'],
  '−': ['op', '-'], '∞': ['cmd', 'infty'], '∈': ['cmd', 'in'], '∇': ['cmd', 'nabla'], '∂': ['cmd', 'partial'],
  '‖': ['cmd', '|'], '∼': ['cmd', 'sim'], '⊤': ['cmd', 'top'], '⋆': ['cmd', 'star'],
};

const SUPERSCRIPTS: Record<string, string> = { '²': '2', '³': '3' };

const OPEN = new Set(['(', '[', '{']);
const CLOSE = new Set([')', ']', '}']);

export function tokenize(src: Source): Tok[] {
  const { text, map } = src;
  const out: Tok[] = [];
  let depth = 0;
  let i = 0;
  const at = (a: number) => map[Math.min(a, map.length - 1)];
  const push = (k: TokKind, v: string, s: number, e: number, extra?: Partial<Tok>) => {
    out.push({ k, v, s: at(s), e: at(e), ...extra });
  };
  while (i < text.length) {
    const ch = text[i];
    if (ch === '\n') {
      if (depth <= 0) push('nl', '\n', i, i + 1);
      i++;
      continue;
    }
    if (ch === ' ' || ch === '\t' || ch === '\r' || ch === '~') {
      i++;
      continue;
    }
    if (ch === '%') {
      while (i < text.length && text[i] !== '\n') i++;
      continue;
    }
    if (ch >= '0' && ch <= '9' || (ch === '.' && /[0-9]/.test(text[i + 1] ?? ''))) {
      const m = /^(\d*\.?\d+|\d+\.?)/.exec(text.slice(i));
      const s = m ? m[0] : ch;
      push('num', s, i, i + s.length, { n: Number(s) });
      i += s.length;
      continue;
    }
    if (/[A-Za-z]/.test(ch)) {
      push('id', ch, i, i + 1);
      i++;
      continue;
    }
    if (ch === '\\') {
      const start = i;
      const next = text[i + 1];
      if (next === undefined) throw new CheckError('a lone backslash `\\` at the end', at(i), at(i + 1));
      if (/[A-Za-z]/.test(next)) {
        let j = i + 1;
        while (j < text.length && /[A-Za-z]/.test(text[j])) j++;
        const name = text.slice(i + 1, j);
        i = j;
        if (DROP_CMDS.has(name)) {
          // `\left.` / `\right.` are invisible delimiters.
          if ((name === 'left' || name === 'right') && text[i] === '.') i++;
          continue;
        }
        if (SEP_CMDS.has(name)) {
          if (depth <= 0) push('sep', name, start, i);
          continue;
        }
        if (name === 'begin' || name === 'end') {
          const m = /^\s*\{([A-Za-z*]+)\}/.exec(text.slice(i));
          if (!m) throw new CheckError(`\\${name} needs an environment name, e.g. \\${name}{bmatrix}`, at(start), at(i));
          i += m[0].length;
          push(name === 'begin' ? 'begin' : 'end', m[1], start, i);
          depth += name === 'begin' ? 1 : -1;
          continue;
        }
        if (TEXT_CMDS.has(name) || FONT_CMDS.has(name)) {
          let j2 = i;
          while (text[j2] === ' ') j2++;
          if (text[j2] === '{') {
            let d = 1;
            let k = j2 + 1;
            while (k < text.length && d > 0) {
              if (text[k] === '\\') {
                k += 2;
                continue;
              }
              if (text[k] === '{') d++;
              else if (text[k] === '}') d--;
              if (d > 0) k++;
            }
            if (d > 0) throw new CheckError(`unbalanced braces: \`\\${name}{\` is never closed`, at(start), at(j2 + 1));
            const raw = text.slice(j2 + 1, k);
            i = k + 1;
            push(TEXT_CMDS.has(name) ? 'text' : 'font', name, start, i, { raw });
            continue;
          }
          if (FONT_CMDS.has(name)) {
            // \mathbf x or \mathbb E
            const m = /^\s*(\\[A-Za-z]+|[A-Za-z0-9])/.exec(text.slice(i));
            if (m) {
              i += m[0].length;
              push('font', name, start, i, { raw: m[1] });
              continue;
            }
          }
          throw new CheckError(`\\${name} needs an argument in braces`, at(start), at(i));
        }
        push('cmd', name, start, i);
        continue;
      }
      // control symbols
      i += 2;
      if (next === '\\') {
        if (depth <= 0) push('sep', '\\\\', start, i);
        else push('op', '\\\\', start, i);
        continue;
      }
      if (DROP_CMDS.has(next)) continue;
      if (next === '{') {
        depth++;
        push('cmd', '{', start, i);
        continue;
      }
      if (next === '}') {
        depth--;
        push('cmd', '}', start, i);
        continue;
      }
      push('cmd', next, start, i);
      continue;
    }
    const sup = SUPERSCRIPTS[ch];
    if (sup !== undefined) {
      push('op', '^', i, i + 1);
      push('num', sup, i, i + 1, { n: Number(sup) });
      i++;
      continue;
    }
    const uni = UNICODE[ch];
    if (uni) {
      push(uni[0], uni[1], i, i + 1);
      i++;
      continue;
    }
    if ('+-*/=<>^_\'!,;&|()[]{}:.'.includes(ch)) {
      if (OPEN.has(ch)) depth++;
      if (CLOSE.has(ch)) depth--;
      push('op', ch, i, i + 1);
      i++;
      continue;
    }
    throw new CheckError(`unexpected character \`${ch}\``, at(i), at(i + 1));
  }
  push('eof', '', text.length, text.length);
  return out;
}
