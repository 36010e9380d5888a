// Readable one-line rendering of LaTeX snippets for result messages (Greek letters, fractions, norms).

const GREEK_UNI: Record<string, string> = {
  alpha: 'α', beta: 'β', gamma: 'γ', delta: 'δ', epsilon: 'ε', varepsilon: 'ε', zeta: 'ζ', eta: 'η', theta: 'θ',
  iota: 'ι', kappa: 'κ', lambda: 'λ', mu: 'μ', nu: 'ν', xi: 'ξ', pi: 'π', rho: 'ρ', sigma: 'σ', tau: 'τ', phi: 'φ',
  varphi: 'φ', chi: 'χ', psi: 'ψ', omega: 'ω', Gamma: 'Γ', Delta: 'Δ', Theta: 'Θ', Lambda: 'Λ', Sigma: 'Σ', Phi: 'Φ',
  Psi: 'Ψ', Omega: 'Ω', cdot: '·', times: '×', le: '≤', leq: '≤', ge: '≥', geq: '≥', infty: '∞', star: '⋆', top: '⊤',
  ell: 'ℓ', nabla: '∇', partial: '∂', sum: '∑', prod: '∏', forall: '∀', approx: '≈', ne: '≠', neq: '≠', in: '∈',
  land: '∧', lor: '∨', lnot: '¬', iff: '⟺', implies: '⟹', ast: '∗', dots: '…', ldots: '…', cdots: '⋯', sim: '∼',
};

/** LaTeX source made easier to read in one-line messages (Greek letters as characters). */
export function pretty(s: string): string {
  let t = s.replace(/\\(left|right|displaystyle|,|;|!|quad|qquad)(?![A-Za-z])/g, '');
  t = t.replace(/\\arg\s*\\(min|max)(?![A-Za-z])/g, 'arg$1');
  for (let k = 0; k < 4; k++) t = t.replace(/\\(?:text|mathrm|operatorname|textrm|mathbf|boldsymbol)\{([^{}]*)\}/g, '$1');
  t = fractions(t);
  return t
    // ^2 and ^{2} (a brace is only taken with its partner: `_{\max}^2}` keeps the subscript's closing brace)
    .replace(/\^(?:\{2\}|2(?![0-9]))/g, '²')
    .replace(/\^(?:\{\\top\}|\\top(?![A-Za-z]))/g, 'ᵀ')
    .replace(/\\mathbb\{E\}/g, 'E')
    .replace(/\\lceil\s*/g, '⌈')
    .replace(/\s*\\rceil/g, '⌉')
    .replace(/\\lfloor\s*/g, '⌊')
    .replace(/\s*\\rfloor/g, '⌋')
    .replace(/\\\|/g, '‖')
    // set braces \{ \} print as braces
    .replace(/\\([{}])/g, '$1')
    .replace(/\\(log|ln|exp|sin|cos|tan|tanh|min|max|det|arccos|arcsin|arctan)(?![A-Za-z])\s*([_^(]?)/g, (_, f: string, next: string) => (next ? f + next : `${f} `))
    .replace(/\\([A-Za-z]+)/g, (m, name: string) => GREEK_UNI[name] ?? m)
    .replace(/\s+/g, ' ')
    // no space before a closing bracket or comma; before `|` only when it closes an absolute value (`|x |` → `|x|`)
    .replace(/ ([)\]}|,])/g, (m, c: string, at: number, all: string) => (c === '|' && (all.slice(0, at).split('|').length - 1) % 2 === 0 ? m : c))
    .trim();
}

/** The `{…}` group starting at s[i] === '{': its content and the index after it, or undefined when unbalanced. */
function group(s: string, i: number): { body: string; end: number } | undefined {
  if (s[i] !== '{') return undefined;
  let depth = 0;
  for (let j = i; j < s.length; j++) {
    if (s[j] === '\\') {
      j++;
      continue;
    }
    if (s[j] === '{') depth++;
    else if (s[j] === '}' && --depth === 0) return { body: s.slice(i + 1, j), end: j + 1 };
  }
  return undefined;
}

/**
 * \frac{a}{b} → a/b and \sqrt{a} → √a with nested braces matched (inner ones first); a fraction written next to
 * a factor is parenthesised ((1/m)ΦᵀΦ). Unbalanced input is left as written.
 */
function fractions(s: string): string {
  let out = '';
  let i = 0;
  while (i < s.length) {
    const m = /^\\(?:[dt]?frac|sqrt)(?![A-Za-z])\s*/.exec(s.slice(i));
    if (!m) {
      out += s[i];
      // skip the letter after a backslash so `\\` and `\{` are copied whole
      if (s[i] === '\\' && i + 1 < s.length) out += s[++i];
      i++;
      continue;
    }
    const sqrt = m[0].startsWith('\\sqrt');
    const a = group(s, i + m[0].length);
    const b = a && !sqrt ? group(s, a.end) : undefined;
    if (!a || (!sqrt && !b)) {
      out += m[0];
      i += m[0].length;
      continue;
    }
    const end = sqrt ? a.end : (b as { end: number }).end;
    let r = sqrt ? `√${wrap(fractions(a.body))}` : `${wrap(fractions(a.body))}/${wrapDenominator(fractions((b as { body: string }).body))}`;
    if (!sqrt && /^\s*[A-Za-z\\(]/.test(s.slice(end)) && !/^\s*\\(?:[a-z]*eq|le|ge|ne|approx|in|land|lor|iff|implies|quad|right)(?![A-Za-z])/.test(s.slice(end))) r = `(${r})`;
    out += r;
    i = end;
  }
  return out;
}

function wrap(x: string): string {
  const t = x.trim();
  // a function without parentheses (`\log\epsilon`) would take the rest: log ε/x reads as log(ε/x)
  return /^[\\A-Za-z0-9_^{}.]+$/.test(t) && !/[+-]/.test(t) && !/\\(?:log|ln|exp|sin|cos|tan|tanh|max|min|det)(?![A-Za-z])/.test(t) ? t : `(${t})`;
}

/** A denominator keeps its parentheses unless it is one factor: 1/(βσ_i²), not 1/βσ_i² (which reads as σ_i²/β). */
function wrapDenominator(x: string): string {
  const t = x.trim();
  const atom = /^(?:\\[A-Za-z]+|[A-Za-z]|[0-9.]+)(?:_(?:\{[^{}]*\}|\\?[A-Za-z0-9]+))?(?:\^(?:\{[^{}]*\}|[A-Za-z0-9]))?$/;
  return atom.test(t) ? t : `(${t})`;
}

