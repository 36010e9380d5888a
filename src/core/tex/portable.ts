// The one table of portable spellings: for each punctuation escape that GitHub's Markdown pass eats inside math, an
// alphabetic macro that KaTeX (VS Code) and GitHub's MathJax render exactly like the escape. MW010's message, its
// fix and its docs page all read it.
export const PORTABLE_ESCAPES: Readonly<Record<string, string>> = Object.freeze({
  '{': '\\lbrace',
  '}': '\\rbrace',
  '|': '\\Vert',
  ',': '\\thinspace',
  ';': '\\mskip{5mu}',
  ':': '\\mskip{4mu}',
  '>': '\\mskip{4mu}',
  '!': '\\negthinspace',
});
