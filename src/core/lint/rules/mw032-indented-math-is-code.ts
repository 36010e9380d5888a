// MW032 indented-math-is-code: `$$` indented four spaces is an indented code block (spec §6). Found on the scan's code blocks.
import { docsPath, edit } from './util';
import type { LintRule, RuleExample } from '../types';

/** Documented on docs/rules/MW032.md (checked by rules-docs.test.ts). */
const EXAMPLES: readonly RuleExample[] = [
  {
    markdown: 'The closed form is:\n\n    $$w^\\ast = (X^\\top X)^{-1} X^\\top y$$\n',
    messages: [
      'This `$$` formula is indented four spaces, so GitHub (and VS Code) show it as a code block. Remove the indentation.',
    ],
  },
];

export const indentedDisplayMath: LintRule = {
  id: 'MW032', alias: 'indented-math-is-code', target: 'github',
  description: '`$$` indented four or more spaces (outside a list) is an indented code block: no math anywhere.',
  tags: ['display'], defaultSeverity: 'warning', fixable: true, specRules: ['GH-DISP-05'], docs: docsPath('MW032'),
  examples: EXAMPLES,
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
