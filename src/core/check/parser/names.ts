// The vocabulary of the check parser: Greek letters, accents, function and measure names, relation symbols, the
// canonical key of a name (`canon`), the key of a ∇-name, and how a token is shown in a message.
import type { Measure, RelOp } from './ast';
import type { Tok } from './lexer';

export const GREEK = new Set([
  'alpha', 'beta', 'gamma', 'delta', 'epsilon', 'varepsilon', 'zeta', 'eta', 'theta', 'vartheta', 'iota', 'kappa',
  'lambda', 'mu', 'nu', 'xi', 'pi', 'varpi', 'rho', 'varrho', 'sigma', 'varsigma', 'tau', 'upsilon', 'phi', 'varphi',
  'chi', 'psi', 'omega', 'Gamma', 'Delta', 'Theta', 'Lambda', 'Xi', 'Pi', 'Sigma', 'Upsilon', 'Phi', 'Psi', 'Omega',
  'ell',
]);
export const DECOR = new Set(['hat', 'widehat', 'bar', 'overline', 'tilde', 'widetilde', 'vec', 'dot', 'ddot', 'check', 'breve', 'underline']);
export const FUNCS = new Set([
  'log', 'ln', 'exp', 'sin', 'cos', 'tan', 'cot', 'sec', 'csc', 'arcsin', 'arccos', 'arctan', 'sinh', 'cosh', 'tanh',
  'det', 'min', 'max', 'gcd', 'sgn', 'lg',
]);
/** Names for \operatorname{…} / \mathrm{…} functions. */
export const NAMED_FUNCS: Record<string, string> = {
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
export const KNOWN_COMMANDS = [
  'frac', 'dfrac', 'sqrt', 'sum', 'prod', 'nabla', 'partial', 'infty', 'lceil', 'rceil', 'lfloor', 'rfloor', 'operatorname',
  'mathbb', 'mathcal', 'mathbf', 'text', 'cdot', 'times', 'top', 'begin', 'end', 'left', 'right', 'forall', 'land', 'lor',
  'lnot', 'neg', 'iff', 'implies', 'sim', 'arg', 'argmin', 'argmax', 'dots', 'ldots', 'cdots', 'star', 'quad', 'le', 'leq',
  'ge', 'geq', 'ne', 'neq', 'approx', 'in',
];
export const DECO_SUPS = new Set(['star', 'ast', '*', 'prime', 'infty', 'dagger', 'circ']);

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

export function isRelTok(t: Tok): RelOp | undefined {
  if (t.k === 'op' && (t.v === '<' || t.v === '>' || t.v === '=')) return REL[t.v];
  if (t.k === 'cmd' && REL[t.v] && t.v !== '<') return REL[t.v];
  return undefined;
}

/** Key of a name written with \nabla in front (`\nabla F_j` defined in `let`). */
export function nablaName(key: string): string {
  return `\\nabla ${key}`;
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
