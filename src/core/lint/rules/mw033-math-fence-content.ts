// MW033 math-fence-content: `$$` inside a ```math fence (spec §6). Found on the scan's fences.
import { docsPath, edit } from './util';
import type { LintRule, RuleExample } from '../types';

/** Documented on docs/rules/MW033.md (checked by rules-docs.test.ts). */
const EXAMPLES: readonly RuleExample[] = [
  {
    markdown: '```math\n$$\n\\hat{w} = \\arg\\min_w \\Vert Xw - y\\Vert^2\n$$\n```\n',
    messages: [
      'A ```math fence needs no `$$`: GitHub passes them to MathJax, which shows them as text. Remove them.',
    ],
  },
];

export const mathFence: LintRule = {
  id: 'MW033', alias: 'math-fence-content', target: 'github',
  description: 'A ```math fence holding `$$` delimiters or Markdown, which GitHub passes to MathJax verbatim.',
  tags: ['display', 'fence'], defaultSeverity: 'error', fixable: true, specRules: ['GH-FENCE-01'], docs: docsPath('MW033'),
  examples: EXAMPLES,
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
