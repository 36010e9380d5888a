// File names of exported figures (figures/<name>.svg|png): readable ASCII slugs that keep what a math title says.
// Greek letters become their names (η → eta, σ² → sigma2), and the relations and operators of a claim become words
// (< → lt, / → over), so "GD converges iff η < 1/σ²" gives "gd-converges-iff-eta-lt-1-over-sigma2".
const GREEK: Record<string, string> = {
  α: 'alpha', β: 'beta', γ: 'gamma', δ: 'delta', ε: 'epsilon', ϵ: 'epsilon', ζ: 'zeta', η: 'eta', θ: 'theta', ϑ: 'theta',
  ι: 'iota', κ: 'kappa', λ: 'lambda', μ: 'mu', ν: 'nu', ξ: 'xi', ο: 'omicron', π: 'pi', ϖ: 'pi', ρ: 'rho', ϱ: 'rho',
  σ: 'sigma', ς: 'sigma', τ: 'tau', υ: 'upsilon', φ: 'phi', ϕ: 'phi', χ: 'chi', ψ: 'psi', ω: 'omega',
};
const SYMBOLS: Record<string, string> = {
  '<': 'lt', '>': 'gt', '≤': 'le', '≥': 'ge', '=': 'eq', '≠': 'ne', '≈': 'approx', '/': 'over', '+': 'plus',
  '∞': 'inf', '∈': 'in', '→': 'to', '×': 'times', '√': 'sqrt', '∑': 'sum', '∫': 'int', '∇': 'grad',
};

/** The slug of a figure title; `fallback` when nothing readable is left. */
export function figureSlug(title: string, fallback = 'plot'): string {
  let s = '';
  for (const ch of title.normalize('NFKC')) {
    const lower = ch.toLowerCase();
    const greek = GREEK[lower];
    if (greek) s += greek;
    else if (SYMBOLS[ch]) s += ` ${SYMBOLS[ch]} `;
    else s += ch;
  }
  const slug = s
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/g, '');
  return slug || fallback;
}
