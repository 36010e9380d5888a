// MW010 markdown-escape-in-math: Markdown escapes eaten before MathJax (spec §4): owns row-break-mid-line, escape-eaten,
// entity-decoded, tex-differs. Message and fix read the one table of portable macros (tex/portable.ts).
import { codeFormFix, docsPath, edit, macroText, ownNearMisses, show } from './util';
import type { LintRule, RuleContext } from '../types';
import type { Fix, TextEdit } from '../../types';
import type { NearMiss } from '../../scan/types';
import { PORTABLE_ESCAPES } from '../../tex/portable';

export const markdownEscapeInMath: LintRule = {
  id: 'MW010', alias: 'markdown-escape-in-math', target: 'github',
  description: 'Backslash + punctuation inside `$…$`/`$$…$$` is a Markdown escape on GitHub: `\\{` reaches MathJax as `{`, `\\,` as `,`, `\\|` as `|`.',
  tags: ['escapes'], defaultSeverity: 'error', fixable: true, specRules: ['GH-ESC-01', 'GH-ESC-02', 'GH-ESC-04'], docs: docsPath('MW010'),
  explain,
  run(ctx) {
    // Escapes written for GitHub (`\\{`, `\_`) are fine there: MW012 tells VS Code users instead.
    for (const { miss, message } of ownNearMisses(ctx, explain)) report(ctx, miss, message);
  },
};

function portableEdits(ctx: RuleContext, start: number, end: number): { edits: TextEdit[]; unfixable: string[] } {
  const edits: TextEdit[] = [];
  const unfixable: string[] = [];
  const body = ctx.text.slice(start, end);
  const re = /\\([!-/:-@[-`{-~])/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(body))) {
    const at = start + m.index;
    const ch = m[1];
    if (ch === '\\') {
      // `\\` is a row break: fine at the end of a line of a display formula, damaged elsewhere.
      const rest = body.slice(m.index + 2);
      if (!/^[ \t]*(\r?\n|$)/.test(rest)) unfixable.push('\\\\');
      continue;
    }
    const macro = PORTABLE_ESCAPES[ch];
    if (!macro) {
      unfixable.push(`\\${ch}`);
      continue;
    }
    edits.push(edit(at, at + 2, macroText(macro, ctx.text[at + 2])));
  }
  return { edits, unfixable };
}

function report(ctx: RuleContext, n: NearMiss, message: string): void {
  const v = n.vscode;
  const fixes: Fix[] = [];
  const { edits, unfixable } = portableEdits(ctx, v.bodyStart, v.bodyEnd);
  if (edits.length > 0 && unfixable.length === 0) {
    fixes.push({ title: 'Replace escapes by alphabetic macros (\\lbrace, \\Vert, \\thinspace…)', edits, preferred: true });
  }
  const code = codeFormFix(ctx, v, fixes.length === 0);
  if (code) fixes.push(code);
  ctx.report({ start: n.start, end: n.end, message, fixes });
}

/** What Markdown does to the formula's escapes before GitHub's MathJax sees it. */
function explain(n: NearMiss): string | undefined {
  const g = n.github;
  // Without a GitHub formula the damage is masked by another problem (MW001, MW002…): it shows once that is fixed.
  const masked = 'Once GitHub renders this formula (see the other finding here), it will be damaged';
  switch (n.cause.kind) {
    case 'row-break-mid-line':
      if (!g) return `${masked}: Markdown turns a \`\\\\\` row break in the middle of a line into \`\\\`, so rows collapse. Put each \`\\\\\` at the end of a line, or use a \`\`\`math fence.`;
      return `GitHub breaks this formula: Markdown turns a \`\\\\\` row break in the middle of a line into \`\\\`, so rows collapse. Put each \`\\\\\` at the end of a line, or use a \`\`\`math fence. GitHub renders: \`${show(g.delimited)}\``;
    case 'escape-eaten': {
      const seq = n.cause.sequence;
      const portable = PORTABLE_ESCAPES[seq[1]];
      const hint: Record<string, string> = { '\\\\': 'a line end after `\\\\`' };
      if (portable) hint[seq] = `\`${portable}\``;
      const fix = hint[seq] ?? 'the `` $`…`$ `` form';
      if (!g) return `${masked}: Markdown turns \`${seq}\` into \`${seq.slice(1)}\` before MathJax sees it. Write ${fix} instead.`;
      return `GitHub renders this formula damaged: Markdown turns \`${seq}\` into \`${seq.slice(1)}\` before MathJax sees it (GitHub renders \`${show(g.delimited)}\`). Write ${fix} instead.`;
    }
    case 'entity-decoded':
      if (!g) return undefined;
      return `GitHub decodes the HTML entity before MathJax sees it (GitHub renders \`${show(g.delimited)}\`).`;
    case 'tex-differs':
      if (!g) return undefined;
      return `GitHub renders this formula differently from VS Code: MathJax receives \`${show(g.tex)}\`.`;
    default:
      return undefined;
  }
}
