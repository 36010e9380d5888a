// MW010 markdown-escape-in-math: Markdown escapes eaten before MathJax (spec §4): owns row-break-mid-line, escape-eaten,
// entity-decoded, tex-differs. Message and fix read the one table of portable macros (tex/portable.ts).
import { codeFormFix, docsPath, edit, excerpt, macroText, ownNearMisses, show, writtenFormula } from './util';
import type { LintRule, RuleExample, RuleContext } from '../types';
import type { Fix, TextEdit } from '../../types';
import type { NearMiss } from '../../scan/types';
import { escapeDamage } from '../../scan/diagnose';
import { PORTABLE_ESCAPES } from '../../tex/portable';

/** Documented on docs/rules/MW010.md (checked by rules-docs.test.ts). */
const EXAMPLES: readonly RuleExample[] = [
  {
    markdown: 'The unit ball $B = \\{ w : \\|w\\|_2 \\le 1 \\}$ is convex.\n',
    messages: [
      'GitHub renders this formula damaged: Markdown turns `\\{` into `{`, `\\|` into `|`, `\\}` into `}` before MathJax sees it (GitHub renders `$B = { w : |w|_2 \\le 1 }$`). Write `\\lbrace` for `\\{`, `\\Vert` for `\\|`, `\\rbrace` for `\\}` instead.',
    ],
  },
];

export const markdownEscapeInMath: LintRule = {
  id: 'MW010', alias: 'markdown-escape-in-math', target: 'github',
  description: 'Backslash + punctuation inside `$…$`/`$$…$$` is a Markdown escape on GitHub: `\\{` reaches MathJax as `{`, `\\,` as `,`, `\\|` as `|`.',
  tags: ['escapes'], defaultSeverity: 'error', fixable: true, specRules: ['GH-ESC-01', 'GH-ESC-02', 'GH-ESC-04'], docs: docsPath('MW010'),
  explain,
  examples: EXAMPLES,
  run(ctx) {
    // Escapes written for GitHub (`\\{`, `\_`) are fine there: MW012 tells VS Code users instead.
    for (const { miss, message } of ownNearMisses(ctx, explain)) report(ctx, miss, message);
    // Formulas neither renderer shows as written (`$…\text{if $y<0$}…$`, `$$g(x)$$$$`: MW011, MW006): their escapes
    // are damaged too once the formula renders.
    for (const u of ctx.scan.unrendered) {
      if (!u.causes.includes('nested-dollar') && !(u.double && u.causes.includes('dollar-run'))) continue;
      if (u.double && ctx.scan.vscodeMath.some((v) => v.start < u.end && u.start < v.end)) continue;
      const written = writtenFormula(u);
      const cause = escapeDamage(ctx.text.slice(u.bodyStart, u.bodyEnd), written, u.bodyStart);
      if (!cause) continue;
      const miss: NearMiss = { cause, start: u.start, end: u.end, range: u.range, vscode: written };
      const message = explain(miss);
      if (message !== undefined) report(ctx, miss, message);
    }
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
    const written = [...new Set(edits.map((e) => e.newText.trim()))];
    fixes.push({ title: `Write ${written.join(', ')} (renders the same on GitHub and in VS Code)`, edits, preferred: true });
  }
  const code = codeFormFix(ctx, v, fixes.length === 0);
  if (code) fixes.push(code);
  ctx.report({ start: n.start, end: n.end, message, fixes });
}

/** What Markdown does to the formula's escapes before GitHub's MathJax sees it, with the damaged part shown. */
function explain(n: NearMiss): string | undefined {
  const g = n.github;
  // Without a GitHub formula the damage is masked by another problem (MW001, MW002…): it shows once that is fixed.
  const masked = 'Once GitHub renders this formula (see the other finding here), it will be damaged';
  switch (n.cause.kind) {
    case 'row-break-mid-line':
      if (!g) return `${masked}: Markdown turns a \`\\\\\` row break in the middle of a line into \`\\\`, so rows collapse. Put each \`\\\\\` at the end of a line, or use a \`\`\`math fence.`;
      return `GitHub breaks this formula: Markdown turns a \`\\\\\` row break in the middle of a line into \`\\\`, so rows collapse (GitHub renders \`${rendered(n, n.cause.at.start, 1)}\`). Put each \`\\\\\` at the end of a line, or use a \`\`\`math fence.`;
    case 'escape-eaten': {
      const eaten = n.cause.sequences.map((seq) => `\`${seq}\` into \`${seq.slice(1)}\``);
      const what = eaten.length > 3 ? `${eaten.slice(0, 3).join(', ')}…` : eaten.join(eaten.length === 2 ? ' and ' : ', ');
      // An inline formula cannot put `\\` at a line end: only the code form keeps it.
      const inlineBreak = n.vscode.syntax === 'dollar' && n.cause.sequences.includes('\\\\');
      if (!g) return `${masked}: Markdown turns ${what} before MathJax sees it. ${inlineBreak ? 'Use the `` $`…`$ `` form.' : advice(n.cause.sequences)}`;
      return `GitHub renders this formula damaged: Markdown turns ${what} before MathJax sees it (GitHub renders \`${rendered(n, n.cause.at.start, 1)}\`). ${advice(n.cause.sequences)}`;
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

/** What to write instead: the portable spellings the fix writes (tex/portable.ts), or the code form. */
function advice(sequences: string[]): string {
  const spelled = sequences.map((seq) => (seq === '\\\\' ? 'a line end after `\\\\`' : PORTABLE_ESCAPES[seq[1]] ? `\`${PORTABLE_ESCAPES[seq[1]]}\` for \`${seq}\`` : undefined));
  const missing = sequences.filter((_s, i) => spelled[i] === undefined);
  if (missing.length > 0) return `${missing.map((x) => `\`${x}\``).join(', ')} has no spelling both renderers read the same: use the \`\` $\`…\`$ \`\` form.`;
  return `Write ${spelled.join(', ')} instead.`;
}

/** GitHub's rendering of the formula, cut to show the damaged part (source offset `at`, before Markdown ate any backslash). */
function rendered(n: NearMiss, at: number, len: number): string {
  const g = n.github!;
  const v = n.vscode;
  const prefix = v.tex.slice(0, Math.max(0, at - v.bodyStart));
  const eaten = (prefix.match(/\\[!-/:-@[-`{-~]/g) ?? []).length;
  return excerpt(g.delimited, Math.max(0, at - g.start - eaten), len);
}
