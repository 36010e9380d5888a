// MW031 display-math-broken: a `$$` never closed or broken by a blank line, and consecutive `$$` blocks (spec §6): owns
// unclosed-display, blank-line-in-display.
import { docsPath, edit, isClosed, ownNearMisses } from './util';
import type { LintRule, RuleExample } from '../types';
import type { NearMiss } from '../../scan/types';

/** Documented on docs/rules/MW031.md (checked by rules-docs.test.ts). */
const EXAMPLES: readonly RuleExample[] = [
  {
    markdown: '$$\n\\nabla f(w) = X^\\top (Xw - y)\n\nw_{t+1} = w_t - \\eta \\nabla f(w_t)\n$$\n',
    messages: [
      'GitHub shows this as plain text: a blank line inside `$$ … $$` ends the paragraph, so the delimiters no longer pair. Remove the blank line or use a ```math fence.',
    ],
  },
];

export const displayMathBroken: LintRule = {
  id: 'MW031', alias: 'display-math-broken', target: 'github',
  description: 'A blank line inside `$$ … $$`, or consecutive `$$` blocks without a blank line between them.',
  tags: ['display'], defaultSeverity: 'error', fixable: true, specRules: ['GH-DISP-02', 'GH-DISP-03'], docs: docsPath('MW031'),
  examples: EXAMPLES,
  explain,
  run(ctx) {
    for (const { miss: n, message } of ownNearMisses(ctx, explain)) {
      if (!isClosed(ctx, n.vscode)) {
        // VS Code runs an unclosed `$$` on to the end of the document; nothing pairs on GitHub. Removing blank lines
        // would merge every later paragraph into it, so no fix: the author must say where the formula ends.
        ctx.report({ start: n.start, end: Math.min(n.end, lineEndAt(ctx.text, n.start)), message });
        continue;
      }
      const body = ctx.text.slice(n.start, n.end);
      const fixed = body.replace(/\n([ \t]*\r?\n)+/g, '\n');
      ctx.report({ start: n.start, end: n.end, message, fixes: [{ title: 'Remove the blank lines inside the formula', edits: [edit(n.start, n.end, fixed)], preferred: true }] });
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

/** Offset of the end of the line holding `offset`. */
function lineEndAt(text: string, offset: number): number {
  const nl = text.indexOf('\n', offset);
  return nl < 0 ? text.length : nl;
}

/** A `$$` never closed, or a blank line inside `$$ … $$`. */
function explain(n: NearMiss): string | undefined {
  if (n.cause.kind === 'unclosed-display') {
    return 'This `$$` is never closed: GitHub shows it as text, and VS Code\'s preview turns the rest of the document into one formula. Add the closing `$$` where the formula ends.';
  }
  if (n.cause.kind !== 'blank-line-in-display') return undefined;
  return 'GitHub shows this as plain text: a blank line inside `$$ … $$` ends the paragraph, so the delimiters no longer pair. Remove the blank line or use a ```math fence.';
}
