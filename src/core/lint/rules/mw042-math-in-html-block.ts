// MW042 math-in-html-block: math inside raw HTML blocks, and the unclosed `<b>` suppressing later math (spec §7): owns
// in-html-block.
import { docsPath, reportNearMisses } from './util';
import type { LintRule, RuleExample } from '../types';
import type { NearMiss } from '../../scan/types';

/** Documented on docs/rules/MW042.md (checked by rules-docs.test.ts). */
const EXAMPLES: readonly RuleExample[] = [
  {
    markdown: '<details>\n<summary>Proof</summary>\nThe gradient is $\\nabla f(w) = X^\\top (Xw - y)$.\n</details>\n',
    messages: [
      'This formula is inside a raw HTML block: GitHub leaves HTML blocks as they are, so it may show as text. Leave a blank line after the opening tag so the content is Markdown.',
    ],
  },
];

export const mathInHtml: LintRule = {
  id: 'MW042', alias: 'math-in-html-block', target: 'github',
  description: 'Math inside raw HTML blocks (`<details>`, `<div>`) or after an unclosed `<b>` is not reliably rendered by GitHub.',
  tags: ['containers', 'html'], defaultSeverity: 'warning', fixable: false, specRules: ['GH-CTX-04', 'GH-HTML-01'], docs: docsPath('MW042'),
  examples: EXAMPLES,
  explain,
  run(ctx) {
    reportNearMisses(ctx, explain);
    for (const h of ctx.scan.htmlBlocks) {
      // GitHub never shows what is inside an HTML comment: blank comments out (same length, offsets stay right).
      const body = ctx.text.slice(h.start, h.end).replace(/<!--[\s\S]*?(?:-->|$)/g, (c) => ' '.repeat(c.length));
      if (ctx.scan.nearMisses.some((n) => n.start >= h.start && n.end <= h.end)) continue;
      const m = /(^|[\s(])\$[^\s$][^$\n]*\$/.exec(body);
      if (m) ctx.report({ start: h.start + m.index + m[1].length, end: h.start + m.index + m[0].length, message: 'This formula is inside a raw HTML block: GitHub leaves HTML blocks as they are, so it may show as text. Leave a blank line after the opening tag so the content is Markdown.' });
    }
    for (const b of ctx.scan.blocks) {
      if (b.suppressedBy === undefined) continue;
      const first = ctx.scan.nearMisses.find((n) => (n.cause.kind === 'html-suppressed' || n.cause.kind === 'html-tag') && n.start >= b.start);
      if (first && ctx.scan.blocks.find((x) => x.suppressedBy !== undefined) === b) {
        ctx.report({ start: b.suppressedBy, end: b.suppressedBy + 3, specRules: ['GH-HTML-01'], message: 'This raw `<b>` is never closed: GitHub then renders no math in any later paragraph. Close it with `</b>` or use `**bold**`.' });
      }
    }
  },
};

/** Raw HTML blocks are left as they are. */
function explain(n: NearMiss): string | undefined {
  if (n.cause.kind !== 'in-html-block') return undefined;
  return 'GitHub does not reliably render math inside a raw HTML block (for example `<details>`). Leave a blank line after the opening tags so the content is Markdown.';
}
