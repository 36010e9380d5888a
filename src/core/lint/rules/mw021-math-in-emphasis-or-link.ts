// MW021 math-in-emphasis-or-link: math inside italic text, link text or raw HTML, and link syntax inside math (spec §5, §7): owns
// in-emphasis, in-raw-html, in-link, link-syntax.
import { codeFormFix, docsPath, edit, ownNearMisses } from './util';
import type { LintRule } from '../types';
import { specRuleOf } from '../../scan/causes';
import type { NearMiss } from '../../scan/types';
import type { Fix, TextEdit } from '../../types';

export const mathInEmphasisOrLink: LintRule = {
  id: 'MW021', alias: 'math-in-emphasis-or-link', target: 'github',
  description: 'Math inside *italic* text, link text or raw `<b>`/`<a>` is not rendered by GitHub; `[…](…)` inside a formula becomes a link.',
  tags: ['emphasis', 'links'], defaultSeverity: 'error', fixable: true, specRules: ['GH-EMPH-02', 'GH-CTX-03', 'GH-LINK-01'], docs: docsPath('MW021'),
  explain,
  run(ctx) {
    for (const { miss: n, message } of ownNearMisses(ctx, explain)) {
      if (n.cause.kind !== 'link-syntax') {
        ctx.report({ start: n.start, end: n.end, message, specRules: [specRuleOf(n.cause)] });
        continue;
      }
      const v = n.vscode;
      const body = ctx.text.slice(v.bodyStart, v.bodyEnd);
      const edits: TextEdit[] = [];
      const re = /\]\(/g;
      let m: RegExpExecArray | null;
      while ((m = re.exec(body))) edits.push(edit(v.bodyStart + m.index + 1, v.bodyStart + m.index + 1, ' '));
      const fixes: Fix[] = edits.length ? [{ title: 'Insert a space between `]` and `(`', edits, preferred: true }] : [];
      const code = codeFormFix(ctx, v, fixes.length === 0);
      if (code) fixes.push(code);
      ctx.report({ start: n.start, end: n.end, message, specRules: ['GH-LINK-01'], fixes });
    }
  },
};

/** The formula sits in italic text, link text or raw HTML, or holds link syntax. */
function explain(n: NearMiss): string | undefined {
  switch (n.cause.kind) {
    case 'in-emphasis':
      return 'GitHub shows this as plain text: math is not rendered inside *italic* text (bold works). Move the formula out of the emphasis or use bold.';
    case 'in-raw-html':
      return 'GitHub shows this as plain text: math is not rendered inside raw `<b>`, `<a>`, `<em>`, `<code>` or `<pre>` elements.';
    case 'in-link':
      return 'GitHub shows this as plain text: math is not rendered inside link text. Move the formula out of the link.';
    case 'link-syntax':
      return 'GitHub shows this as plain text: `[…](…)` inside the formula is read as a Markdown link. Add a space between `]` and `(`, use `\\lbrack … \\rbrack`, or use the `` $`…`$ `` form.';
    default:
      return undefined;
  }
}
