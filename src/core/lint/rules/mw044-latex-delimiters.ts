// MW044 latex-delimiters: `\(…\)` and `\[…\]` are not math delimiters on GitHub (spec §4). Found on the written text.
import { docsPath, edit, inCode } from './util';
import type { LintRule, RuleExample } from '../types';
import { canPrecedeOpener } from '../../scan/dollars';
import type { TextEdit } from '../../types';

/** Documented on docs/rules/MW044.md (checked by rules-docs.test.ts). */
const EXAMPLES: readonly RuleExample[] = [
  {
    markdown: 'The sample mean \\(\\mu = \\frac{1}{n}\\sum_i x_i\\) is unbiased.\n',
    messages: [
      'GitHub does not render `\\(…\\)` as math: Markdown turns `\\(` into `(`. Use `$…$`.',
    ],
  },
];

export const latexDelimiters: LintRule = {
  id: 'MW044', alias: 'latex-delimiters', target: 'github',
  description: '`\\(…\\)` and `\\[…\\]` are not math delimiters on GitHub (Markdown reads `\\(` as an escaped parenthesis).',
  tags: ['delimiters'], defaultSeverity: 'warning', fixable: true, specRules: ['GH-ESC-01'], docs: docsPath('MW044'),
  examples: EXAMPLES,
  run(ctx) {
    // `\[ … \]` may span lines but not a blank line (a paragraph break ends any formula).
    const re = /\\\(([^\n]+?)\\\)|\\\[((?:(?!\n[ \t]*\n)[\s\S])+?)\\\]/g;
    let m: RegExpExecArray | null;
    while ((m = re.exec(ctx.text))) {
      const start = m.index;
      if (inCode(ctx, start) || ctx.scan.math.some((g) => g.start <= start && start < g.end) || ctx.scan.vscodeMath.some((g) => g.start <= start && start < g.end)) continue;
      const inline = m[1] !== undefined;
      const body = (inline ? m[1] : m[2]).trim();
      if (!/\\[A-Za-z]|[\^_=]/.test(body)) continue;
      const message = `GitHub does not render \`${inline ? '\\(…\\)' : '\\[…\\]'}\` as math: Markdown turns \`\\${inline ? '(' : '['}\` into \`${inline ? '(' : '['}\`. Use \`${inline ? '$…$' : '$$…$$'}\`.`;
      const fix = inline ? inlineFix(ctx.text, start, start + m[0].length, body) : displayFix(ctx.text, start, start + m[0].length, body);
      ctx.report({ start, end: start + m[0].length, message, fixes: fix ? [fix] : [] });
    }
  },
};

/** `\(…\)` → `$…$`, with a space where text would touch a `$` (GitHub needs one). */
function inlineFix(text: string, start: number, end: number, body: string): { title: string; edits: TextEdit[]; preferred: boolean } {
  const before = text[start - 1];
  const after = text[end];
  const pre = before !== undefined && !canPrecedeOpener(before) ? ' ' : '';
  const post = after !== undefined && /[A-Za-z0-9_]/.test(after) ? ' ' : '';
  return { title: 'Use $…$', edits: [edit(start, end, `${pre}$${body}$${post}`)], preferred: true };
}

/**
 * `\[…\]` → a `$$` block in a paragraph of its own: blank lines before and after unless already there, spaces
 * around it dropped. Not offered inside a list item, a quote or indented text, where blank lines change the blocks.
 */
function displayFix(text: string, start: number, end: number, body: string): { title: string; edits: TextEdit[]; preferred: boolean } | undefined {
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  if (/^(?:[ \t]|>|[*+-][ \t]|\d{1,9}[.)][ \t])/.test(text.slice(lineStart, start + 1))) return undefined;
  let s = start;
  while (s > 0 && (text[s - 1] === ' ' || text[s - 1] === '\t')) s--;
  let e = end;
  while (e < text.length && (text[e] === ' ' || text[e] === '\t')) e++;
  const head = text.slice(0, s);
  const tail = text.slice(e);
  const pre = s === 0 || /\n[ \t]*\n$/.test(head) ? '' : head.endsWith('\n') ? '\n' : '\n\n';
  const post = e === text.length || /^\r?\n[ \t]*\r?\n/.test(tail) ? '' : tail.startsWith('\n') ? '\n' : '\n\n';
  const lines = body.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  return { title: 'Use a $$…$$ block', edits: [edit(s, e, `${pre}$$\n${lines.join('\n')}\n$$${post}`)], preferred: true };
}
