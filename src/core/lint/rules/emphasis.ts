// Emphasis, strikethrough, links and HTML resolved before math (spec §5).
import type { Fix, TextEdit } from '../../types';
import type { LintRule } from '../types';
import { codeFormFix, docsPath, edit, nearMisses } from './util';

export const emphasisInMath: LintRule = {
  id: 'MW020', alias: 'emphasis-in-math', target: 'github',
  description: '`*` or `_` inside formulas pair up as Markdown emphasis on GitHub (`$w^*$ … $v^*$`), destroying the formulas.',
  tags: ['emphasis'], defaultSeverity: 'error', fixable: true, specRules: ['GH-EMPH-01'], docs: docsPath('MW020'),
  run(ctx) {
    for (const n of nearMisses(ctx, ['GH-EMPH-01'])) {
      const v = n.vscode;
      const body = ctx.text.slice(v.bodyStart, v.bodyEnd);
      const fixes: Fix[] = [];
      if (body.includes('*') && !body.includes('_')) {
        const star: TextEdit[] = [];
        const alt: TextEdit[] = [];
        const re = /([_^]?)\*/g;
        let m: RegExpExecArray | null;
        while ((m = re.exec(body))) {
          const at = v.bodyStart + m.index;
          const next = ctx.text[at + m[0].length];
          const sp = next !== undefined && /[A-Za-z]/.test(next) ? ' ' : '';
          // `^\ast` (no braces) gives KaTeX output identical to `^*`; `^{\ast}` adds a group.
          star.push(edit(at, at + m[0].length, `${m[1]}\\ast${sp}`));
          alt.push(edit(at, at + m[0].length, `${m[1]}\\star${sp}`));
        }
        fixes.push({ title: 'Write `*` as `\\ast` (same glyph)', edits: star, preferred: true });
        fixes.push({ title: 'Write `*` as `\\star` (⋆, a different symbol)', edits: alt });
      }
      const code = codeFormFix(ctx, v, fixes.length === 0);
      if (code) fixes.push(code);
      ctx.report({ start: n.start, end: n.end, message: n.message, fixes });
    }
  },
};

export const mathInEmphasisOrLink: LintRule = {
  id: 'MW021', alias: 'math-in-emphasis-or-link', target: 'github',
  description: 'Math inside *italic* text, link text or raw `<b>`/`<a>` is not rendered by GitHub; `[…](…)` inside a formula becomes a link.',
  tags: ['emphasis', 'links'], defaultSeverity: 'error', fixable: true, specRules: ['GH-EMPH-02', 'GH-CTX-03', 'GH-LINK-01'], docs: docsPath('MW021'),
  run(ctx) {
    for (const n of nearMisses(ctx, ['GH-EMPH-02', 'GH-CTX-03'])) ctx.report({ start: n.start, end: n.end, message: n.message, specRules: [n.rule] });
    for (const n of nearMisses(ctx, ['GH-LINK-01'])) {
      const v = n.vscode;
      const body = ctx.text.slice(v.bodyStart, v.bodyEnd);
      const edits: TextEdit[] = [];
      const re = /\]\(/g;
      let m: RegExpExecArray | null;
      while ((m = re.exec(body))) edits.push(edit(v.bodyStart + m.index + 1, v.bodyStart + m.index + 1, ' '));
      const fixes: Fix[] = edits.length ? [{ title: 'Insert a space between `]` and `(`', edits, preferred: true }] : [];
      const code = codeFormFix(ctx, v, fixes.length === 0);
      if (code) fixes.push(code);
      ctx.report({ start: n.start, end: n.end, message: n.message, specRules: ['GH-LINK-01'], fixes });
    }
  },
};

export const tildeInMath: LintRule = {
  id: 'MW022', alias: 'tilde-in-math', target: 'github',
  description: '`~` pairs inside formulas turn into GitHub strikethrough.',
  tags: ['emphasis'], defaultSeverity: 'error', fixable: true, specRules: ['GH-EMPH-03'], docs: docsPath('MW022'),
  run(ctx) {
    for (const n of nearMisses(ctx, ['GH-EMPH-03'])) {
      const v = n.vscode;
      const edits: TextEdit[] = [];
      for (let i = v.bodyStart; i < v.bodyEnd; i++) {
        if (ctx.text[i] === '~' && ctx.text[i - 1] !== '\\') edits.push(edit(i, i + 1, '\\nobreakspace '));
      }
      const fixes: Fix[] = [{ title: 'Write the tie `~` as `\\nobreakspace` (the same space)', edits, preferred: true }];
      const code = codeFormFix(ctx, v);
      if (code) fixes.push(code);
      ctx.report({ start: n.start, end: n.end, message: n.message, fixes });
    }
  },
};

export const htmlInMath: LintRule = {
  id: 'MW023', alias: 'html-in-math', target: 'github',
  description: '`<` followed by a letter inside math is read as an HTML tag (in the Markdown pass, or by the browser for ```math and `$$`).',
  tags: ['html'], defaultSeverity: 'error', fixable: true, specRules: ['GH-HTML-01', 'GH-HTML-02'], docs: docsPath('MW023'),
  run(ctx) {
    for (const n of nearMisses(ctx, ['GH-HTML-01', 'GH-HTML-02'])) {
      const v = n.vscode;
      if (n.rule === 'GH-HTML-01' && !(v.start <= n.start && ctx.text.slice(v.bodyStart, v.bodyEnd).includes('<'))) {
        ctx.report({ start: n.start, end: n.end, message: n.message });
        continue;
      }
      const edits: TextEdit[] = [];
      for (let i = v.bodyStart; i < v.bodyEnd; i++) {
        const c = ctx.text[i];
        if (c === '<' || c === '>') {
          const next = ctx.text[i + 1];
          const sp = next !== undefined && /[A-Za-z]/.test(next) ? ' ' : '';
          edits.push(edit(i, i + 1, `${c === '<' ? '\\lt' : '\\gt'}${sp}`));
        }
      }
      ctx.report({ start: n.start, end: n.end, message: n.message, fixes: edits.length ? [{ title: 'Write `<` and `>` as `\\lt` and `\\gt`', edits, preferred: true }] : [] });
    }
  },
};
