// Containers (spec §7): tables, footnotes, raw HTML blocks; backtick form context; LaTeX delimiters.
import type { TextEdit } from '../../types';
import type { LintRule } from '../types';
import { canPrecedeOpener } from '../../scan/dollars';
import { describeChar } from '../../scan/diagnose';
import { docsPath, edit, inCode, macroText, nearMisses } from './util';

export const pipeInTable: LintRule = {
  id: 'MW040', alias: 'pipe-in-table-math', target: 'github',
  description: 'A `|` inside math in a table row splits the cell (even in code), and `\\|` becomes a single bar.',
  tags: ['tables'], defaultSeverity: 'error', fixable: true, specRules: ['GH-CTX-01'], docs: docsPath('MW040'),
  run(ctx) {
    // Rows of GFM tables: lines of the blocks whose context is a table cell.
    const rows = new Set<number>();
    for (const b of ctx.scan.blocks) if (b.kind === 'cell') rows.add(ctx.lines.positionAt(b.start).line);
    for (const line of rows) {
      const text = ctx.lines.lineText(line);
      const base = ctx.lines.lineStarts[line];
      const re = /(^|[\s(|])\$(`?)([^$\n]*?)\2\$/g;
      let m: RegExpExecArray | null;
      while ((m = re.exec(text))) {
        const body = m[3];
        if (!body.includes('|')) continue;
        const bodyStart = base + m.index + m[1].length + 1 + m[2].length;
        const edits = [];
        for (let i = 0; i < body.length; i++) {
          if (body[i] !== '|') continue;
          const escaped = body[i - 1] === '\\';
          const at = bodyStart + i;
          const next = ctx.text[at + 1];
          edits.push(escaped ? edit(at - 1, at + 1, macroText('\\Vert', next)) : edit(at, at + 1, macroText('\\vert', next)));
        }
        ctx.report({ start: base + m.index + m[1].length, end: bodyStart + body.length + m[2].length + 1, message: 'GitHub splits table cells at `|` before it looks for math (even inside code), so this formula breaks the row. Write `\\vert` for `|` and `\\Vert` for `\\|`.', fixes: [{ title: 'Write bars as \\vert / \\Vert', edits, preferred: true }] });
      }
    }
  },
};

export const mathInFootnote: LintRule = {
  id: 'MW041', alias: 'math-in-footnote', target: 'github',
  description: 'GitHub does not render math inside footnotes.',
  tags: ['containers'], defaultSeverity: 'warning', fixable: false, specRules: ['GH-CTX-02'], docs: docsPath('MW041'),
  run(ctx) {
    for (const n of nearMisses(ctx, ['GH-CTX-02'])) ctx.report({ start: n.start, end: n.end, message: n.message });
  },
};

export const mathInHtml: LintRule = {
  id: 'MW042', alias: 'math-in-html-block', target: 'github',
  description: 'Math inside raw HTML blocks (`<details>`, `<div>`) or after an unclosed `<b>` is not reliably rendered by GitHub.',
  tags: ['containers', 'html'], defaultSeverity: 'warning', fixable: false, specRules: ['GH-CTX-04', 'GH-HTML-01'], docs: docsPath('MW042'),
  run(ctx) {
    for (const n of nearMisses(ctx, ['GH-CTX-04'])) ctx.report({ start: n.start, end: n.end, message: n.message });
    for (const h of ctx.scan.htmlBlocks) {
      // GitHub never shows what is inside an HTML comment: blank comments out (same length, offsets stay right).
      const body = ctx.text.slice(h.start, h.end).replace(/<!--[\s\S]*?(?:-->|$)/g, (c) => ' '.repeat(c.length));
      if (ctx.scan.nearMisses.some((n) => n.start >= h.start && n.end <= h.end)) continue;
      const m = /(^|[\s(])\$[^\s$][^$\n]*\$/.exec(body);
      if (m) ctx.report({ start: h.start + m.index + m[1].length, end: h.start + m.index + m[0].length, message: 'This formula is inside a raw HTML block: GitHub leaves HTML blocks as they are, so it may show as text. Leave a blank line after the opening tag so the content is Markdown.' });
    }
    for (const b of ctx.scan.blocks) {
      if (b.suppressedBy === undefined) continue;
      const first = ctx.scan.nearMisses.find((n) => n.rule === 'GH-HTML-01' && n.start >= b.start);
      if (first && ctx.scan.blocks.find((x) => x.suppressedBy !== undefined) === b) {
        ctx.report({ start: b.suppressedBy, end: b.suppressedBy + 3, specRules: ['GH-HTML-01'], message: 'This raw `<b>` is never closed: GitHub then renders no math in any later paragraph. Close it with `</b>` or use `**bold**`.' });
      }
    }
  },
};

export const backtickMathContext: LintRule = {
  id: 'MW043', alias: 'backtick-math-context', target: 'github',
  description: 'The code form `` $`…`$ `` follows the same rule as `$`: it must not touch a preceding character.',
  tags: ['delimiters', 'backtick'], defaultSeverity: 'error', fixable: true, specRules: ['GH-BT-01'], docs: docsPath('MW043'),
  run(ctx) {
    for (const t of ctx.scan.tokens) {
      if (t.type !== 'code_inline' || ctx.text[t.start - 1] !== '$' || ctx.text[t.end] !== '$') continue;
      const open = t.start - 1;
      if (ctx.scan.math.some((g) => g.start === open)) continue;
      const before = ctx.text[open - 1];
      if (before === undefined || canPrecedeOpener(before)) continue;
      ctx.report({ start: open, end: t.end + 1, message: `GitHub shows this as code, not math, because ${describeChar(before)} touches the opening \`$\`. Put a space before \`$\`.`, fixes: [{ title: 'Insert a space before `$`', edits: [edit(open, open, ' ')], preferred: true }] });
    }
  },
};

export const latexDelimiters: LintRule = {
  id: 'MW044', alias: 'latex-delimiters', target: 'github',
  description: '`\\(…\\)` and `\\[…\\]` are not math delimiters on GitHub (Markdown reads `\\(` as an escaped parenthesis).',
  tags: ['delimiters'], defaultSeverity: 'warning', fixable: true, specRules: ['GH-ESC-01'], docs: docsPath('MW044'),
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
