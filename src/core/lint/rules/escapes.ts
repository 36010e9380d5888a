// Markdown escapes eaten before MathJax (spec §4): `\{ \} \| \, \; \% \_ \\ \$ …`.
import type { Fix, TextEdit } from '../../types';
import type { LintRule, RuleContext } from '../types';
import type { NearMiss } from '../../scan/types';
import { codeFormFix, docsPath, edit, macroText, nearMisses } from './util';
import { PORTABLE_ESCAPES } from '../../tex/portable';

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

export const markdownEscapeInMath: LintRule = {
  id: 'MW010', alias: 'markdown-escape-in-math', target: 'github',
  description: 'Backslash + punctuation inside `$…$`/`$$…$$` is a Markdown escape on GitHub: `\\{` reaches MathJax as `{`, `\\,` as `,`, `\\|` as `|`.',
  tags: ['escapes'], defaultSeverity: 'error', fixable: true, specRules: ['GH-ESC-01', 'GH-ESC-02', 'GH-ESC-04'], docs: docsPath('MW010'),
  run(ctx) {
    // Escapes written for GitHub (`\\{`, `\_`) are fine there: MW012 tells VS Code users instead.
    for (const n of nearMisses(ctx, ['GH-ESC-01', 'GH-ESC-02', 'GH-ESC-04'])) if (n.cause !== 'escaped-for-github') report(ctx, n);
  },
};

function report(ctx: RuleContext, n: NearMiss): void {
  const v = n.vscode;
  const fixes: Fix[] = [];
  const { edits, unfixable } = portableEdits(ctx, v.bodyStart, v.bodyEnd);
  if (edits.length > 0 && unfixable.length === 0) {
    fixes.push({ title: 'Replace escapes by alphabetic macros (\\lbrace, \\Vert, \\thinspace…)', edits, preferred: true });
  }
  const code = codeFormFix(ctx, v, fixes.length === 0);
  if (code) fixes.push(code);
  ctx.report({ start: n.start, end: n.end, message: n.message, fixes });
}

export const dollarInsideMath: LintRule = {
  id: 'MW011', alias: 'dollar-inside-math', target: 'github',
  description: 'A `\\$` inside `$…$` becomes `$` before the math scan and closes the formula early.',
  tags: ['escapes', 'currency'], defaultSeverity: 'error', fixable: true, specRules: ['GH-IN-11'], docs: docsPath('MW011'),
  run(ctx) {
    for (const n of nearMisses(ctx, ['GH-IN-11'])) {
      const fix = codeFormFix(ctx, n.vscode, true);
      ctx.report({ start: n.start, end: n.end, message: n.message, fixes: fix ? [fix] : [] });
    }
  },
};
