// Problems found in one formula's TeX by one of the two renderers the project models.

/** One problem in a formula, for one target renderer. */
export interface TexProblem {
  /** 'github': github.com's MathJax 3 configuration; 'vscode': KaTeX as used by VS Code's built-in preview. */
  target: 'github' | 'vscode';
  kind: 'refused-macro' | 'undefined-macro' | 'removed-package' | 'brace-limit' | 'parse-error' | 'katex-only';
  message: string;
  /** The renderer's own words (KaTeX's parser message), for a rule that says them in plain words. */
  raw?: string;
  /** offsets within the tex string (UTF-16 code units, half-open [start, end)) */
  start: number;
  end: number;
}
