// GitHub's `$` delimiter rules, applied to one run of text after the Markdown pass (spec §3, §6).
//
// A run is the decoded text between two Markdown tokens (escapes and entities already applied, soft line breaks
// as "\n"). The start of a run counts as an acceptable character before an opening `$` (GH-IN-01).

export interface DollarSpan {
  /** Offsets in the run: [start, end) covers the delimiters. */
  start: number;
  end: number;
  double: boolean;
}

const isSpace = (c: string | undefined): boolean => c === ' ' || c === '\t' || c === '\n';
const isAsciiWord = (c: string | undefined): boolean => c !== undefined && /[A-Za-z0-9_]/.test(c);

/** GH-IN-01: may this character stand right before an opening `$`? (undefined = start of the run) */
export function canPrecedeOpener(c: string | undefined): boolean {
  return c === undefined || isSpace(c) || c === '(';
}

/** GH-IN-04 (+ GH-IN-09): may this character follow a closing `$`? (undefined = end of the run) */
export function canFollowCloser(c: string | undefined): boolean {
  return c === undefined || !(isAsciiWord(c) || c === '$' || c === '`');
}

function dollarRun(s: string, i: number): number {
  let k = 0;
  while (s[i + k] === '$') k++;
  return k;
}

/** Is the `$` at i escaped at the TeX level (an odd number of backslashes before it in the decoded text)? */
function texEscaped(s: string, i: number): boolean {
  let n = 0;
  for (let j = i - 1; j >= 0 && s[j] === '\\'; j--) n++;
  return n % 2 === 1;
}

/**
 * Finds the formulas GitHub recognises in a run, with the first-candidate rule (GH-IN-06): after an acceptable
 * opener only the first following `$` is tried as the closer; when it fails, the opener is abandoned and scanning
 * restarts at the next character.
 */
export function scanDollarRun(s: string): DollarSpan[] {
  const out: DollarSpan[] = [];
  const n = s.length;
  let i = 0;
  while (i < n) {
    const at = s.indexOf('$', i);
    if (at < 0) break;
    i = at;
    const k = dollarRun(s, i);
    if (k >= 3 || !canPrecedeOpener(i === 0 ? undefined : s[i - 1]) || texEscaped(s, i)) {
      i += k >= 3 ? k : 1;
      continue;
    }
    if (k === 1) {
      const next = s[i + 1];
      if (next === undefined || isSpace(next)) {
        i++;
        continue;
      }
      // First candidate closer: the next `$` not escaped at TeX level.
      let j = i + 1;
      for (;;) {
        j = s.indexOf('$', j);
        if (j < 0 || !texEscaped(s, j)) break;
        j++;
      }
      if (j < 0) {
        i++;
        continue;
      }
      const after = s[j + 1];
      const before = s[j - 1];
      const closes = canFollowCloser(after) && !(before === ' ' && (after === undefined || after === ' ' || after === '\n'));
      if (closes && j > i + 1) {
        out.push({ start: i, end: j + 1, double: false });
        i = j + 1;
      } else {
        i++;
      }
      continue;
    }
    // `$$` opener in running text: renders inline-style (GH-DISP-01). A space right after it fails (GH-DISP-04).
    const next = s[i + 2];
    if (next === undefined || isSpace(next)) {
      i += 2;
      continue;
    }
    const j = s.indexOf('$', i + 2);
    if (j < 0 || dollarRun(s, j) !== 2 || !canFollowCloser(s[j + 2])) {
      i += 1;
      continue;
    }
    out.push({ start: i, end: j + 2, double: true });
    i = j + 2;
  }
  return out;
}

export interface DisplayFormula {
  start: number;
  end: number;
}

/**
 * A paragraph whose decoded text is nothing but `$$…$$` formulas (whitespace and line breaks between them) is
 * display math (GH-DISP-01). Returns the formulas, or undefined when the paragraph is not of that form.
 */
export function splitDisplayParagraph(s: string): DisplayFormula[] | undefined {
  const out: DisplayFormula[] = [];
  let i = 0;
  const n = s.length;
  const skipWs = () => {
    while (i < n && isSpace(s[i])) i++;
  };
  skipWs();
  if (i >= n) return undefined;
  while (i < n) {
    if (s[i] !== '$' || s[i + 1] !== '$' || s[i + 2] === '$') return undefined;
    const close = s.indexOf('$$', i + 2);
    if (close < 0) return undefined;
    if (s.slice(i + 2, close).trim() === '') return undefined;
    if (s[close + 2] === '$') return undefined;
    out.push({ start: i, end: close + 2 });
    i = close + 2;
    const before = i;
    skipWs();
    if (i < n && i === before) return undefined; // text glued to a closing `$$` (GH-DISP-08)
  }
  return out;
}

/** What MathJax receives from GitHub's element for display math and ```math fences (spec GH-PIPE 3, GH-HTML-02). */
export function browserTexForDisplay(body: string): string {
  return doubleTrailingBackslashes(swallowTags(body));
}

/** The browser re-reads the element text as HTML: `<letter…>` opens a tag and disappears. */
export function swallowTags(s: string): string {
  let out = '';
  let i = 0;
  for (;;) {
    const lt = s.indexOf('<', i);
    if (lt < 0) {
      out += s.slice(i);
      return out;
    }
    const c = s[lt + 1];
    const c2 = s[lt + 2];
    const opens = c !== undefined && (/[A-Za-z]/.test(c) || (c === '/' && c2 !== undefined && /[A-Za-z]/.test(c2)));
    if (!opens) {
      out += s.slice(i, lt + 1);
      i = lt + 1;
      continue;
    }
    out += s.slice(i, lt);
    const gt = s.indexOf('>', lt);
    if (gt < 0) return out;
    i = gt + 1;
  }
}

export function doubleTrailingBackslashes(s: string): string {
  return s
    .split('\n')
    .map((line) => (/(^|[^\\])(\\\\)*\\$/.test(line) ? line + '\\' : line))
    .join('\n');
}

/**
 * Does the `$` at `at` start a dollar amount (`$5`, `$10.50`, `$1,000`) or a shell variable (`$HOME`, `$USER_ID`,
 * `${PATH}`) rather than a formula? Used to keep currency and shell text out of findings about plainly meant math.
 */
export function startsAmountOrVariable(text: string, at: number): boolean {
  const rest = text.slice(at + 1, at + 40);
  return /^\d/.test(rest) || /^\{[A-Za-z_][A-Za-z0-9_]*\}/.test(rest) || /^[A-Z_][A-Z0-9_]+(?![A-Za-z0-9_]*[({^])/.test(rest);
}

/** A formula as its author delimited it: `$…$` or `$$…$$` paired by brace depth, not by GitHub's rules. */
export interface WrittenSpan {
  /** Offsets in the run: [start, end) covers the delimiters. */
  start: number;
  end: number;
  double: boolean;
  /** A `$` inside braces of the body (`$\text{if $y<0$}$`): math nested in `\text{…}`. */
  nested: boolean;
  /** More `$` follow the closing delimiter (`$$g(x)$$$$`). */
  extraDollars: number;
}

/**
 * The formulas an author wrote in a run, paired the way TeX reads them: an opening `$` (or `$$`) closes at the next
 * `$` (or `$$`) outside braces, so `$\text{if $y<0$}$` is one formula and `$$g(x)$$$$` is `$$g(x)$$` followed by a
 * stray `$$`. Inline `$…$` stays on one line; `$$…$$` may span lines (bodies up to 2,000 characters). Delimiters escaped at the TeX level (`\$`)
 * are text. GitHub's own rules (scanDollarRun) decide what renders; this says what was meant, so a formula that
 * neither renderer shows can still be found.
 */
export function writtenFormulas(s: string): WrittenSpan[] {
  const out: WrittenSpan[] = [];
  const n = s.length;
  let i = 0;
  while (i < n) {
    const at = s.indexOf('$', i);
    if (at < 0) break;
    i = at;
    const k = dollarRun(s, i);
    if (texEscaped(s, i) || k >= 3) {
      i += k;
      continue;
    }
    const close = closingDelimiter(s, i + k, k);
    if (close === undefined) {
      i += k;
      continue;
    }
    const run = dollarRun(s, close.at);
    out.push({ start: i, end: close.at + k, double: k === 2, nested: close.nested, extraDollars: Math.max(0, run - k) });
    i = close.at + k;
  }
  return out;
}

/** Longest body looked at for a written formula (keeps the pairing linear on pathological runs). */
const WRITTEN_MAX_BODY = 2000;

/** The closing delimiter of k dollars for a body starting at `from`: the next such `$` outside braces. */
function closingDelimiter(s: string, from: number, k: number): { at: number; nested: boolean } | undefined {
  let depth = 0;
  let nested = false;
  const end = Math.min(s.length, from + WRITTEN_MAX_BODY);
  for (let j = from; j < end; j++) {
    const c = s[j];
    if (c === '\\') {
      j++;
      continue;
    }
    if (c === '\n' && k === 1) return undefined;
    if (c === '{') depth++;
    else if (c === '}') depth = Math.max(0, depth - 1);
    else if (c === '$') {
      if (depth > 0) {
        nested = true;
        continue;
      }
      if (j === from) return undefined;
      if (k === 2 && s[j + 1] !== '$') return undefined;
      return { at: j, nested };
    }
  }
  return undefined;
}

/**
 * Does a `$…$` span pair two dollars of plain text rather than delimit a formula: it opens with a dollar amount or a
 * shell variable (`$200 are typical; the formula $`, `$USER is your home, and $`) and its body reads as prose (two
 * words of two or more letters, no TeX)? `text` is the source, [start, end) the span with its delimiters.
 */
export function pairsTextDollars(text: string, start: number, end: number): boolean {
  if (!startsAmountOrVariable(text, start)) return false;
  const body = text.slice(start + 1, end - 1);
  return !/[\\^_{}=<>]/.test(body) && /[A-Za-z]{2,}[ \t]+[A-Za-z]{2,}/.test(body);
}
