// MW020 emphasis-in-math: `*`/`_` of formulas pair up as Markdown emphasis (spec §5): owns emphasis-pairs.
import { codeFormFix, docsPath, edit, nameDelimiter, ordinal, ownNearMisses, underscoreEdits } from './util';
import type { LintRule, RuleExample } from '../types';
import { portableFor } from '../../tex/portable';
import type { NearMiss } from '../../scan/types';
import type { Fix, TextEdit } from '../../types';

/** Documented on docs/rules/MW020.md (checked by rules-docs.test.ts). */
const EXAMPLES: readonly RuleExample[] = [
  {
    markdown: 'Let $f(x)_i$ be the score and\nthen $a_{ij}$ the entry.\n',
    messages: [
      'GitHub shows this as plain text: the `_` in `$f(x)_i$` and the `_` in `$a_{ij}$` (next line) pair up as Markdown italics before GitHub looks for math. Put spaces around each `_` that pairs (`x _ i`: TeX ignores them, so GitHub and VS Code render the same), or use the `` $`…`$ `` form.',
      'GitHub shows this as plain text: the `_` in `$f(x)_i$` (line above) and the `_` in `$a_{ij}$` pair up as Markdown italics before GitHub looks for math. Put spaces around each `_` that pairs (`x _ i`: TeX ignores them, so GitHub and VS Code render the same), or use the `` $`…`$ `` form.',
    ],
  },
];

export const emphasisInMath: LintRule = {
  id: 'MW020', alias: 'emphasis-in-math', target: 'github',
  description: '`*` or `_` inside formulas pair up as Markdown emphasis on GitHub (`$w^*$ … $v^*$`), destroying the formulas.',
  tags: ['emphasis'], defaultSeverity: 'error', fixable: true, specRules: ['GH-EMPH-01'], docs: docsPath('MW020'),
  explain,
  examples: EXAMPLES,
  run(ctx) {
    for (const { miss: n, message } of ownNearMisses(ctx, explain)) {
      const v = n.vscode;
      const body = ctx.text.slice(v.bodyStart, v.bodyEnd);
      const fixes: Fix[] = [];
      if (body.includes('*') && !body.includes('_')) {
        const ast = portableFor('MW020', '*');
        const star: TextEdit[] = [];
        const alt: TextEdit[] = [];
        const re = /([_^]?)\*/g;
        let m: RegExpExecArray | null;
        while ((m = re.exec(body))) {
          const at = v.bodyStart + m.index;
          const next = ctx.text[at + m[0].length];
          const sp = next !== undefined && /[A-Za-z]/.test(next) ? ' ' : '';
          // `^\ast` (no braces) gives KaTeX output identical to `^*`; `^{\ast}` adds a group.
          star.push(edit(at, at + m[0].length, `${m[1]}${ast}${sp}`));
          alt.push(edit(at, at + m[0].length, `${m[1]}\\star${sp}`));
        }
        fixes.push({ title: `Write \`*\` as \`${ast}\` (same glyph)`, edits: star, preferred: true });
        fixes.push({ title: 'Write `*` as `\\star` (⋆, a different symbol)', edits: alt });
      }
      if (n.cause.kind === 'emphasis-pairs' && n.cause.markup.startsWith('_') && !body.includes('*')) {
        const spaced = underscoreEdits(ctx.text, v.bodyStart, v.bodyEnd);
        if (spaced && spaced.length > 0) fixes.push({ title: `Put spaces around \`_\` (\`x${portableFor('MW020', '_')}i\`: TeX ignores them)`, edits: spaced, preferred: true });
      }
      const code = codeFormFix(ctx, v, fixes.length === 0);
      if (code) fixes.push(code);
      ctx.report({ start: n.start, end: n.end, message, fixes });
    }
  },
};

/** `*` or `_` of formulas pair up as Markdown emphasis: which with which, and what to write instead. */
function explain(n: NearMiss): string | undefined {
  if (n.cause.kind !== 'emphasis-pairs') return undefined;
  const { markup, open, close } = n.cause;
  const kind = markup.length > 1 ? 'bold' : 'italics';
  const same = open.inFormula && close.inFormula && open.quote === close.quote && open.lineDelta === close.lineDelta;
  const pair = same && open.of > 1
    ? `its ${ordinal(open.nth)} and ${ordinal(close.nth)} \`${markup}\``
    : `${nameDelimiter(open, markup)} and ${nameDelimiter(close, markup)}`;
  const advice = markup.startsWith('_')
    ? `Put spaces around each \`_\` that pairs (\`x${portableFor('MW020', '_')}i\`: TeX ignores them, so GitHub and VS Code render the same), or use the \`\` $\`…\`$ \`\` form.`
    : `Write \`^${portableFor('MW020', '*')}\` for \`^*\` (the same glyph), or use the \`\` $\`…\`$ \`\` form.`;
  return `GitHub shows this as plain text: ${pair} pair up as Markdown ${kind} before GitHub looks for math. ${advice}`;
}

