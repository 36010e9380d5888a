// Static, synchronous checks of one formula against github.com's MathJax configuration (GH-MJ-01…04).
// Cheap enough for every keystroke: one pass over the TeX, no MathJax. The full MathJax validation
// (undefined macros in general, TeX syntax errors) is in ./mathjax.ts.
import { LruCache } from './lru';
import type { TexProblem } from './types';
import { KATEX_ONLY_IN_MATH, KATEX_ONLY_IN_TEXT } from './katexOnlyMacros';

export type { TexProblem } from './types';

/**
 * GH-MJ-02: GitHub refuses the whole formula ("The following macros are not allowed: …") when its text
 * contains any of these strings — a plain substring test, so `\operatorname*` and `\phantomx` are refused too.
 */
export const GITHUB_REFUSED_MACROS: readonly string[] = [
  '\\DeclareMathOperator', '\\DeclarePairedDelimiters', '\\renewtagform', '\\newtagform', '\\colorbox',
  '\\fcolorbox', '\\hphantom', '\\vphantom', '\\phantom', '\\operatorname', '\\Newextarrow', '\\definecolor',
  '\\mathchoice', '\\unicode', '\\mmlToken',
];

/** How to write each refused macro so GitHub renders it. */
const REFUSED_FIX: Readonly<Record<string, string>> = {
  '\\operatorname': 'write `\\mathrm{…}` (or `\\mathop{\\mathrm{…}}\\limits` for `\\operatorname*`)',
  '\\DeclareMathOperator': 'write `\\mathop{\\mathrm{…}}` at each use',
  '\\DeclarePairedDelimiters': 'write the delimiters (`\\left\\lVert … \\right\\rVert`) at each use',
  '\\phantom': 'use explicit spacing such as `\\quad` or `\\hspace{…}`',
  '\\hphantom': 'use explicit spacing such as `\\quad` or `\\hspace{…}`',
  '\\vphantom': 'remove it or use `\\rule{0pt}{…}` for the height',
  '\\colorbox': 'GitHub has no equivalent; drop the box or colour the text with `\\color{…}`',
  '\\fcolorbox': 'GitHub has no equivalent; use `\\boxed{…}` for a frame',
  '\\definecolor': 'use a named colour or `\\color[rgb]{…}` instead',
  '\\unicode': 'type the character itself',
  '\\mathchoice': 'write the one form you need',
};

/**
 * GH-MJ-01: macros of the MathJax packages GitHub removes (newcommand, html, require, bbox, action, colortbl;
 * noerrors has no macros). GitHub's noundefined package paints them red.
 */
const REMOVED_PACKAGE_MACROS: Readonly<Record<string, string>> = {
  newcommand: 'newcommand', renewcommand: 'newcommand', newenvironment: 'newcommand',
  renewenvironment: 'newcommand', def: 'newcommand', let: 'newcommand',
  href: 'html', class: 'html', cssId: 'html', style: 'html',
  require: 'require', bbox: 'bbox',
  toggle: 'action', mathtip: 'action', texttip: 'action',
  cellcolor: 'colortbl', rowcolor: 'colortbl', columncolor: 'colortbl',
};

const REMOVED_FIX: Readonly<Record<string, string>> = {
  newcommand: 'expand the macro by hand at each use',
  html: 'put the link or styling outside the formula',
  require: 'remove it (GitHub loads no extensions)',
  bbox: 'use `\\boxed{…}` for a frame',
  action: 'remove it (GitHub has no interactive math)',
  colortbl: 'remove the cell colour',
};

/**
 * Replacements for KaTeX-only macros that both renderers accept (each one is checked by a unit test against
 * KaTeX and GitHub's MathJax configuration).
 */
export const KATEX_ONLY_REPLACEMENTS: Readonly<Record<string, string>> = {
  bm: '\\boldsymbol', bold: '\\mathbf', R: '\\mathbb{R}', Reals: '\\mathbb{R}', reals: '\\mathbb{R}',
  N: '\\mathbb{N}', natnums: '\\mathbb{N}', Z: '\\mathbb{Z}', cnums: '\\mathbb{C}', Complex: '\\mathbb{C}',
  argmax: '\\mathop{\\mathrm{arg\\thinspace max}}\\limits', argmin: '\\mathop{\\mathrm{arg\\thinspace min}}\\limits',
  plim: '\\mathop{\\mathrm{plim}}\\limits', operatornamewithlimits: '\\mathop{\\mathrm{…}}\\limits',
  emph: '\\textit', empty: '\\emptyset', infin: '\\infty', isin: '\\in', exist: '\\exists',
  sub: '\\subset', sube: '\\subseteq', supe: '\\supseteq', sdot: '\\cdot', plusmn: '\\pm',
  dag: '\\dagger', ddag: '\\ddagger', Dagger: '\\ddagger', lang: '\\langle', rang: '\\rangle',
  alef: '\\aleph', alefsym: '\\aleph', weierp: '\\wp', image: '\\Im', real: '\\Re', thetasym: '\\vartheta',
  bull: '\\bullet', clubs: '\\clubsuit', diamonds: '\\diamondsuit', hearts: '\\heartsuit', spades: '\\spadesuit',
  larr: '\\leftarrow', rarr: '\\rightarrow', harr: '\\leftrightarrow', lrarr: '\\leftrightarrow',
  uarr: '\\uparrow', darr: '\\downarrow', lArr: '\\Leftarrow', Larr: '\\Leftarrow', rArr: '\\Rightarrow',
  Rarr: '\\Rightarrow', hArr: '\\Leftrightarrow', Harr: '\\Leftrightarrow', lrArr: '\\Leftrightarrow',
  Lrarr: '\\Leftrightarrow', uArr: '\\Uparrow', Uarr: '\\Uparrow', dArr: '\\Downarrow', Darr: '\\Downarrow',
  cosec: '\\csc', ctg: '\\cot', cotg: '\\cot', tg: '\\tan', arctg: '\\arctan', sh: '\\sinh', ch: '\\cosh',
  th: '\\tanh', cth: '\\coth', mathellipsis: '\\ldots', sect: '\\S', underbar: '\\underline',
  varvdots: '\\vdots', enskip: '\\enspace', medspace: '\\mskip{4mu}', thickspace: '\\mskip{5mu}',
  colonequals: '\\coloneqq', Alpha: 'A', Beta: 'B', Epsilon: 'E', Zeta: 'Z', Eta: 'H', Iota: 'I', Kappa: 'K',
  Mu: 'M', Nu: 'N', Omicron: 'O', Rho: 'P', Tau: 'T', Chi: 'X',
};

const KATEX_MATH = new Set(KATEX_ONLY_IN_MATH);
const KATEX_TEXT = new Set(KATEX_ONLY_IN_TEXT);

/** Macros whose braced argument MathJax's textmacros package reads in text mode. */
const TEXT_MODE_MACROS = new Set(['text', 'textrm', 'textit', 'textbf', 'textsf', 'texttt', 'textup', 'textnormal',
  'mbox', 'hbox', 'vbox']);

/** GH-MJ-04: more than this many `{` in one formula → "Unable to render expression". */
export const GITHUB_BRACES_PER_FORMULA = 1000;
/** GH-MJ-04: more than this many `{` on one page → the rest renders as "Unable to render expression". */
export const GITHUB_BRACES_PER_PAGE = 2000;

function problem(kind: TexProblem['kind'], message: string, start: number, end: number): TexProblem {
  return { target: 'github', kind, message, start, end };
}

function refusedMacroProblems(tex: string): TexProblem[] {
  const found: TexProblem[] = [];
  for (const name of GITHUB_REFUSED_MACROS) {
    for (let at = tex.indexOf(name); at >= 0; at = tex.indexOf(name, at + name.length)) {
      const fix = REFUSED_FIX[name];
      found.push(problem('refused-macro',
        `GitHub refuses this whole formula because it contains \`${name}\` ("The following macros are not ` +
        `allowed: ${name.slice(1)}"); VS Code's preview renders it.${fix ? ` Fix: ${fix}.` : ''}`,
        at, at + name.length));
    }
  }
  return found;
}

/** Offset of the `{` that opens the (n+1)-th brace, or -1 when there are at most n. */
function nthBrace(tex: string, n: number): number {
  let count = 0;
  for (let i = 0; i < tex.length; i++) {
    if (tex.charCodeAt(i) === 123 /* { */ && ++count > n) return i;
  }
  return -1;
}

function countBraces(tex: string): number {
  let count = 0;
  for (let i = 0; i < tex.length; i++) if (tex.charCodeAt(i) === 123) count++;
  return count;
}

const isLetter = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);

/**
 * Walks the TeX once and reports control words that GitHub's MathJax does not define although VS Code's
 * KaTeX does (katex-only), and macros of removed packages (removed-package). Comments (`%` to end of line)
 * are skipped; arguments of \text-like macros are checked against the text-mode list.
 */
function macroProblems(tex: string): TexProblem[] {
  const found: TexProblem[] = [];
  // Mode of each open brace group: true = text mode.
  const groups: boolean[] = [];
  let textMode = false;
  let pendingText = false; // a \text-like macro was just seen; its `{` opens a text-mode group
  // Names this formula declares with \DeclareMathOperator (GitHub's MathJax has it): defined, whatever KaTeX knows.
  const declared = new Set<string>();
  if (tex.includes('\\DeclareMathOperator')) {
    for (const m of tex.matchAll(/\\DeclareMathOperator\*?\s*\{?\s*\\([A-Za-z]+)/g)) declared.add(m[1]);
  }
  for (let i = 0; i < tex.length; i++) {
    const c = tex.charCodeAt(i);
    if (c === 37 /* % */) {
      while (i < tex.length && tex[i] !== '\n') i++;
      continue;
    }
    if (c === 123 /* { */) {
      groups.push(textMode);
      if (pendingText) textMode = true;
      pendingText = false;
      continue;
    }
    if (c === 125 /* } */) {
      textMode = groups.length > 0 ? (groups.pop() as boolean) : false;
      continue;
    }
    if (c !== 92 /* \ */) {
      if (!/\s/.test(tex[i])) pendingText = false;
      continue;
    }
    let j = i + 1;
    while (j < tex.length && isLetter(tex.charCodeAt(j))) j++;
    if (j === i + 1) {
      // control symbol such as \\ or \{ : skip the symbol
      i = Math.min(i + 1, tex.length - 1);
      pendingText = false;
      continue;
    }
    const name = tex.slice(i + 1, j);
    pendingText = TEXT_MODE_MACROS.has(name);
    const pkg = REMOVED_PACKAGE_MACROS[name];
    if (pkg !== undefined) {
      found.push(problem('removed-package',
        `GitHub shows \`\\${name}\` in red as an undefined macro: it removes MathJax's ${pkg} package. ` +
        `Fix: ${REMOVED_FIX[pkg]}.`, i, j));
    } else if ((textMode ? KATEX_TEXT.has(name) : KATEX_MATH.has(name)) && !declared.has(name)) {
      const repl = KATEX_ONLY_REPLACEMENTS[name];
      found.push(problem('katex-only',
        `GitHub shows \`\\${name}\` in red as an undefined macro; only VS Code's preview (KaTeX) knows it.` +
        (repl !== undefined && !textMode ? ` Use \`${repl}\` instead.` : ''), i, j));
    }
    i = j - 1;
  }
  return found;
}

/**
 * Static GitHub checks of one formula (the TeX GitHub hands to MathJax, i.e. after its Markdown pass):
 * refused macros by substring, macros of removed packages, KaTeX-only macros GitHub paints red, and more
 * than 1000 `{`. Sorted by start offset.
 */
export function staticGithubChecks(tex: string): TexProblem[] {
  let hit = staticCache.get(tex);
  if (hit === undefined) {
    hit = computeStaticChecks(tex);
    staticCache.set(tex, hit);
  }
  return hit.map((p) => ({ ...p }));
}

/** Several rules and the preview ask for the same formulas on every keystroke: remember the answers. */
const staticCache = new LruCache<string, readonly TexProblem[]>(8000);

function computeStaticChecks(tex: string): TexProblem[] {
  const found = [...refusedMacroProblems(tex), ...macroProblems(tex)];
  const over = nthBrace(tex, GITHUB_BRACES_PER_FORMULA);
  if (over >= 0) {
    found.push(problem('brace-limit',
      `GitHub shows "Unable to render expression": this formula has ${countBraces(tex)} \`{\`, more than ` +
      `${GITHUB_BRACES_PER_FORMULA}. Split it into several formulas.`, over, tex.length));
  }
  return found.sort((a, b) => a.start - b.start || a.end - b.end);
}

/**
 * Index (into `texs`, in page order) of the first formula that takes the page past 2000 `{` — from it on,
 * GitHub shows "Unable to render expression" — or undefined when the page stays within the budget.
 */
export function pageBraceBudget(texs: string[]): number | undefined {
  let total = 0;
  for (let k = 0; k < texs.length; k++) {
    total += countBraces(texs[k]);
    if (total > GITHUB_BRACES_PER_PAGE) return k;
  }
  return undefined;
}
