// Readable one-line rendering of LaTeX snippets for result messages (Greek letters, fractions, norms).

const GREEK_UNI: Record<string, string> = {
  alpha: 'α', beta: 'β', gamma: 'γ', delta: 'δ', epsilon: 'ε', varepsilon: 'ε', zeta: 'ζ', eta: 'η', theta: 'θ',
  iota: 'ι', kappa: 'κ', lambda: 'λ', mu: 'μ', nu: 'ν', xi: 'ξ', pi: 'π', rho: 'ρ', sigma: 'σ', tau: 'τ', phi: 'φ',
  varphi: 'φ', chi: 'χ', psi: 'ψ', omega: 'ω', Gamma: 'Γ', Delta: 'Δ', Theta: 'Θ', Lambda: 'Λ', Sigma: 'Σ', Phi: 'Φ',
  Psi: 'Ψ', Omega: 'Ω', cdot: '·', times: '×', le: '≤', leq: '≤', ge: '≥', geq: '≥', infty: '∞', star: '⋆', top: '⊤',
};

/** LaTeX source made easier to read in one-line messages (Greek letters as characters). */
export function pretty(s: string): string {
  let t = s.replace(/\\(left|right|displaystyle|,|;|!|quad|qquad)(?![A-Za-z])/g, '');
  for (let k = 0; k < 4; k++) {
    t = t
      .replace(/\\[dt]?frac\{([^{}]*)\}\{([^{}]*)\}/g, (_, a: string, b: string) => `${wrap(a)}/${wrap(b)}`)
      .replace(/\\sqrt\{([^{}]*)\}/g, (_, a: string) => `√${wrap(a)}`)
      .replace(/\\(?:text|mathrm|operatorname|textrm|mathbf|boldsymbol)\{([^{}]*)\}/g, '$1');
  }
  return t
    .replace(/\^\{?2\}?(?![0-9])/g, '²')
    .replace(/\^\{?\\top\}?/g, 'ᵀ')
    .replace(/\\lceil\s*/g, '⌈')
    .replace(/\s*\\rceil/g, '⌉')
    .replace(/\\lfloor\s*/g, '⌊')
    .replace(/\s*\\rfloor/g, '⌋')
    .replace(/\\\|/g, '‖')
    .replace(/\\(log|ln|exp|sin|cos|tan|min|max|det|arccos|arcsin|arctan)(?![A-Za-z])/g, '$1 ')
    .replace(/\\([A-Za-z]+)/g, (m, name: string) => GREEK_UNI[name] ?? m)
    .replace(/\s+/g, ' ')
    .replace(/ ([)\]}|,])/g, '$1')
    .trim();
}

function wrap(x: string): string {
  const t = x.trim();
  return /^[\\A-Za-z0-9_^{}.]+$/.test(t) && !/[+-]/.test(t) ? t : `(${t})`;
}

