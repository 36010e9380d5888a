// Display math `$$…$$` context rules (spec §6) and ```math fences.
import type { LintRule } from '../types';
import { codeFormFix, docsPath, edit, isClosed, nearMisses } from './util';

export const displayMathInline: LintRule = {
  id: 'MW030', alias: 'display-math-inline', target: 'github',
  description: '`$$…$$` that shares its paragraph with text, sits in a list item, a heading or a table renders inline on GitHub.',
  tags: ['display'], defaultSeverity: 'warning', fixable: true, specRules: ['GH-DISP-01', 'GH-DISP-06', 'GH-DISP-08', 'GH-CTX-05'], docs: docsPath('MW030'),
  run(ctx) {
    for (const n of nearMisses(ctx, ['GH-DISP-01', 'GH-DISP-08', 'GH-DISP-06', 'GH-CTX-05'])) {
      const g = n.github;
      const fixes = [];
      if (g && g.start === n.start && g.end === n.end && isClosed(ctx, g) && !g.context.inList && !g.context.inHeading && !g.context.inTable) {
        const fence = codeFormFix(ctx, g, true);
        const before = ctx.text.slice(ctx.text.lastIndexOf('\n', g.start - 1) + 1, g.start);
        const lineEnd = ctx.text.indexOf('\n', g.end);
        const after = ctx.text.slice(g.end, lineEnd < 0 ? undefined : lineEnd);
        fixes.push({ title: 'Put the formula in a paragraph of its own', edits: [edit(g.start, g.end, `${before.trim() ? '\n\n' : ''}${ctx.text.slice(g.start, g.end)}${after.trim() ? '\n\n' : ''}`)], preferred: true });
        if (fence) fixes.push({ ...fence, preferred: false });
        // Text on the lines around inside the same paragraph: separate with blank lines.
        if (!before.trim() && !after.trim()) {
          fixes.length = 0;
          const ls = ctx.text.lastIndexOf('\n', g.start - 1) + 1;
          const le = lineEnd < 0 ? ctx.text.length : lineEnd;
          fixes.push({ title: 'Add blank lines around the formula', edits: [edit(ls, ls, '\n'), edit(le, le, '\n')], preferred: true });
        }
      }
      ctx.report({ start: n.start, end: n.end, message: n.message, specRules: [n.rule], fixes });
    }
  },
};

export const displayMathBroken: LintRule = {
  id: 'MW031', alias: 'display-math-broken', target: 'github',
  description: 'A blank line inside `$$ … $$`, or consecutive `$$` blocks without a blank line between them.',
  tags: ['display'], defaultSeverity: 'error', fixable: true, specRules: ['GH-DISP-02', 'GH-DISP-03'], docs: docsPath('MW031'),
  run(ctx) {
    for (const n of nearMisses(ctx, ['GH-DISP-02'])) {
      if (!isClosed(ctx, n.vscode)) {
        // VS Code runs an unclosed `$$` on to the end of the document; nothing pairs on GitHub. Removing blank lines
        // would merge every later paragraph into it, so no fix: the author must say where the formula ends.
        ctx.report({ start: n.start, end: Math.min(n.end, lineEndAt(ctx.text, n.start)), message: 'This `$$` is never closed: GitHub shows it as text, and VS Code\'s preview turns the rest of the document into one formula. Add the closing `$$` where the formula ends.' });
        continue;
      }
      const body = ctx.text.slice(n.start, n.end);
      const fixed = body.replace(/\n([ \t]*\r?\n)+/g, '\n');
      ctx.report({ start: n.start, end: n.end, message: n.message, fixes: [{ title: 'Remove the blank lines inside the formula', edits: [edit(n.start, n.end, fixed)], preferred: true }] });
    }
    const display = ctx.scan.math.filter((m) => m.display && m.syntax === 'double-dollar');
    for (let i = 1; i < display.length; i++) {
      const a = display[i - 1];
      const b = display[i];
      const between = ctx.text.slice(a.end, b.start);
      if (/^[ \t]*\r?\n[ \t]*$/.test(between) && (a.delimited.includes('\n') || b.delimited.includes('\n'))) {
        ctx.report({ start: b.start, end: b.end, specRules: ['GH-DISP-03'], message: 'Consecutive `$$` blocks without a blank line between them have been reported not to render on GitHub. Add a blank line between the blocks.', fixes: [{ title: 'Insert a blank line between the blocks', edits: [edit(b.start, b.start, '\n')], preferred: true }] });
      }
    }
  },
};

export const indentedDisplayMath: LintRule = {
  id: 'MW032', alias: 'indented-math-is-code', target: 'github',
  description: '`$$` indented four or more spaces (outside a list) is an indented code block: no math anywhere.',
  tags: ['display'], defaultSeverity: 'warning', fixable: true, specRules: ['GH-DISP-05'], docs: docsPath('MW032'),
  run(ctx) {
    for (const c of ctx.scan.code) {
      const body = ctx.text.slice(c.start, c.end);
      if (!/^( {4,}|\t)/.test(body) || !/\$\$/.test(body)) continue;
      if (ctx.scan.fences.some((f) => f.start === c.start)) continue;
      const edits = [];
      let off = c.start;
      for (const line of body.split('\n')) {
        const ind = /^( {4}|\t)/.exec(line);
        if (ind) edits.push(edit(off, off + ind[0].length, ''));
        off += line.length + 1;
      }
      ctx.report({ start: c.start, end: c.end, message: 'This `$$` formula is indented four spaces, so GitHub (and VS Code) show it as a code block. Remove the indentation.', fixes: [{ title: 'Remove the indentation', edits, preferred: true }] });
    }
  },
};

export const mathFence: LintRule = {
  id: 'MW033', alias: 'math-fence-content', target: 'github',
  description: 'A ```math fence holding `$$` delimiters or Markdown, which GitHub passes to MathJax verbatim.',
  tags: ['display', 'fence'], defaultSeverity: 'error', fixable: true, specRules: ['GH-FENCE-01'], docs: docsPath('MW033'),
  run(ctx) {
    for (const f of ctx.scan.fences) {
      if (f.info.split(/\s+/)[0]?.toLowerCase() !== 'math') continue;
      const bodyStart = ctx.lines.lineStarts[f.contentLine] ?? f.start;
      const body = ctx.text.slice(bodyStart, bodyStart + f.content.length);
      const re = /\$\$/g;
      const edits = [];
      let m: RegExpExecArray | null;
      while ((m = re.exec(body))) edits.push(edit(bodyStart + m.index, bodyStart + m.index + 2, ''));
      if (edits.length) ctx.report({ start: f.start, end: f.end, message: 'A ```math fence needs no `$$`: GitHub passes them to MathJax, which shows them as text. Remove them.', fixes: [{ title: 'Remove `$$` from the fence', edits, preferred: true }] });
    }
  },
};

/** Offset of the end of the line holding `offset`. */
function lineEndAt(text: string, offset: number): number {
  const nl = text.indexOf('\n', offset);
  return nl < 0 ? text.length : nl;
}
