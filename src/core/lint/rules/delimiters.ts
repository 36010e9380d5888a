// Delimiter rules (spec §3): what may touch `$`, padding, first-candidate pairing, currency, `\$`, adjacency, line breaks.
import type { LintRule } from '../types';
import { canPrecedeOpener, startsAmountOrVariable } from '../../scan/dollars';
import type { RuleContext } from '../types';
import { codeFormFix, docsPath, edit, inCode, nearMisses } from './util';

export const textBeforeDollar: LintRule = {
  id: 'MW001', alias: 'text-before-dollar', target: 'github',
  description: 'A character other than a space or `(` touches the opening `$`, so GitHub leaves the formula as plain text.',
  tags: ['delimiters', 'cjk'], defaultSeverity: 'error', fixable: true, specRules: ['GH-IN-01'], docs: docsPath('MW001'),
  run(ctx) {
    for (const n of nearMisses(ctx, ['GH-IN-01'])) {
      const fixes = [{ title: 'Insert a space before `$`', edits: [edit(n.start, n.start, ' ')], preferred: true }];
      const alt = codeFormFix(ctx, n.vscode);
      if (alt) fixes.push({ title: `${alt.title}, after a space`, edits: [edit(n.start, n.end, ` ${alt.edits[0].newText}`)], preferred: false });
      ctx.report({ start: n.start, end: n.end, message: n.message, fixes });
    }
    // `$` right after a code span: both GitHub models accept it, but github/markup #1961 reports failures.
    const dollarAt = new Map<number, (typeof ctx.scan.math)[number]>();
    for (const m of ctx.scan.math) if (m.syntax === 'dollar') dollarAt.set(m.start, m);
    for (const t of ctx.scan.tokens) {
      if (t.type !== 'code_inline') continue;
      const g = dollarAt.get(t.end);
      if (g) {
        ctx.report({ start: g.start, end: g.end, specRules: ['GH-IN-01', 'GH-BT-01'], message: 'A formula glued to a code span may not render on GitHub (reported in 2025). Put a space between the code span and `$`.', fixes: [{ title: 'Insert a space before `$`', edits: [edit(g.start, g.start, ' ')], preferred: true }] });
      }
    }
  },
};

export const spaceInsideDollars: LintRule = {
  id: 'MW002', alias: 'space-inside-dollars', target: 'github',
  description: 'Whitespace just inside `$…$` or `$$…$$`: GitHub does not open (or close) the formula, though VS Code renders it.',
  tags: ['delimiters', 'whitespace'], defaultSeverity: 'error', fixable: true, specRules: ['GH-IN-02', 'GH-IN-05', 'GH-DISP-04'], docs: docsPath('MW002'),
  run(ctx) {
    const trimFix = (start: number, end: number, d: number) => {
      const body = ctx.text.slice(start + d, end - d);
      const delim = '$'.repeat(d);
      return { title: `Remove the spaces inside the delimiters: ${delim}${body.trim()}${delim}`, edits: [edit(start + d, end - d, body.trim())], preferred: true };
    };
    const seen = new Set<number>();
    for (const n of nearMisses(ctx, ['GH-IN-02', 'GH-IN-05', 'GH-DISP-04'])) {
      const d = n.vscode.syntax === 'double-dollar' ? 2 : 1;
      seen.add(n.start);
      const body = ctx.text.slice(n.start + d, n.end - d);
      if (n.cause === 'text-before-display') {
        ctx.report({ start: n.start, end: n.end, message: n.message, fixes: [{ title: 'Leave a blank line before `$$`', edits: [edit(n.start, n.start, '\n')], preferred: true }] });
        continue;
      }
      if (body.trim() === '' || body.includes('\n')) {
        ctx.report({ start: n.start, end: n.end, message: n.message });
        continue;
      }
      ctx.report({ start: n.start, end: n.end, message: n.message, fixes: [trimFix(n.start, n.end, d)] });
    }
    // Rendered today, but padding is fragile on GitHub (measurements disagree): warn and trim.
    for (const g of ctx.scan.math) {
      if (seen.has(g.start) || (g.syntax !== 'dollar' && g.syntax !== 'double-dollar')) continue;
      const d = g.syntax === 'double-dollar' ? 2 : 1;
      const body = ctx.text.slice(g.start + d, g.end - d);
      if (body.includes('\n') || body.trim() === '' || body === body.trim()) continue;
      ctx.report({ start: g.start, end: g.end, specRules: d === 2 ? ['GH-DISP-04'] : ['GH-IN-05'], message: `Spaces just inside \`${'$'.repeat(d)}\` delimiters: GitHub's handling of them is inconsistent (measurements disagree). Remove them.`, fixes: [trimFix(g.start, g.end, d)] });
    }
  },
};

export const textAfterDollar: LintRule = {
  id: 'MW003', alias: 'text-after-dollar', target: 'github',
  description: 'A letter, digit or `_` right after the closing `$`: GitHub (and VS Code) leave the formula as plain text.',
  tags: ['delimiters'], defaultSeverity: 'error', fixable: true, specRules: ['GH-IN-04'], docs: docsPath('MW003'),
  run(ctx) {
    // Candidates written as formulas: `$x$a` where the opener is acceptable and the body looks like TeX.
    const re = /\$([^\s$][^$\n]*?)\$([A-Za-z0-9_])/g;
    let m: RegExpExecArray | null;
    while ((m = re.exec(ctx.text))) {
      const start = m.index;
      const before = start > 0 ? ctx.text[start - 1] : undefined;
      if (!canPrecedeOpener(before) || inCode(ctx, start)) continue;
      if (/[\s\\]$/.test(m[1])) continue;
      if (ctx.scan.math.some((g) => g.start <= start && start < g.end)) continue;
      const closeAt = start + 1 + m[1].length;
      // Prose between two formulas (`当$ n $较大时$X$收敛`): this `$` closes the formula before, it opens nothing.
      if (closesFormula(ctx, start)) {
        re.lastIndex = start + 1;
        continue;
      }
      // Dollar amounts and shell variables (`from $5-$10`, `$HOME/$USER`): no formula was meant.
      if (startsAmountOrVariable(ctx.text, start) && startsAmountOrVariable(ctx.text, closeAt)) continue;
      ctx.report({ start, end: closeAt + 1, message: `GitHub shows this as plain text because \`${m[2]}\` touches the closing \`$\`. Put a space after the closing \`$\` (or move the text into the formula, e.g. \`\\text{…}\`).`, fixes: [{ title: 'Insert a space after the closing `$`', edits: [edit(closeAt + 1, closeAt + 1, ' ')], preferred: true }] });
      re.lastIndex = closeAt + 1;
    }
  },
};

export const unpairedDollar: LintRule = {
  id: 'MW004', alias: 'unpaired-dollar', target: 'github',
  description: 'A stray `$` (a price, a shell variable) pairs with the formula\'s delimiter under GitHub\'s first-candidate rule, so the formula does not render.',
  tags: ['delimiters', 'currency'], defaultSeverity: 'error', fixable: true, specRules: ['GH-IN-06'], docs: docsPath('MW004'),
  run(ctx) {
    for (const n of nearMisses(ctx, ['GH-IN-06'])) {
      const fix = codeFormFix(ctx, n.vscode, true);
      ctx.report({ start: n.start, end: n.end, message: n.message, fixes: fix ? [fix] : [] });
    }
  },
};

export const dollarAsCurrency: LintRule = {
  id: 'MW005', alias: 'currency-becomes-math', target: 'github',
  description: 'Dollar amounts pair up into a formula on GitHub (`$10 and 30$`), or `\\$` fails to protect a dollar sign.',
  tags: ['delimiters', 'currency'], defaultSeverity: 'warning', fixable: true, specRules: ['GH-IN-13', 'GH-IN-10'], docs: docsPath('MW005'),
  run(ctx) {
    for (const g of ctx.scan.math) {
      if (g.syntax !== 'dollar') continue;
      const openEscaped = ctx.text[g.start] === '\\';
      let slashes = 0;
      for (let k = g.end - 2; k >= g.start && ctx.text[k] === '\\'; k--) slashes++;
      const closeEscaped = ctx.text[g.end - 1] === '$' && slashes % 2 === 1;
      if (openEscaped || closeEscaped) {
        const edits = [];
        if (openEscaped) edits.push(edit(g.start, g.start + 2, '<span>$</span>'));
        if (closeEscaped) edits.push(edit(g.end - 2, g.end, '<span>$</span>'));
        ctx.report({ start: g.start, end: g.end, specRules: ['GH-IN-10'], message: `\`\\$\` does not protect a dollar sign on GitHub: Markdown removes the backslash first, so GitHub renders \`${g.delimited}\` as math. Write \`<span>$</span>\` for a literal dollar.`, fixes: [{ title: 'Write literal dollars as <span>$</span>', edits, preferred: true }] });
        continue;
      }
      if (/^\d/.test(g.tex) && /\s[A-Za-z]{2,}\s/.test(g.tex) && !/\\/.test(g.tex)) {
        ctx.report({ start: g.start, end: g.end, specRules: ['GH-IN-13'], message: `GitHub renders \`${g.delimited}\` as a formula: the dollar amounts pair up. Write the first dollar sign as \`<span>$</span>\`.`, fixes: [{ title: 'Write the dollar sign as <span>$</span>', edits: [edit(g.start, g.start + 1, '<span>$</span>')], preferred: true }] });
      }
    }
  },
};

export const adjacentFormulas: LintRule = {
  id: 'MW006', alias: 'adjacent-formulas', target: 'github',
  description: 'Two formulas touch (`$a$$b$`): the `$$` between them is read as a double delimiter.',
  tags: ['delimiters'], defaultSeverity: 'error', fixable: true, specRules: ['GH-IN-09'], docs: docsPath('MW006'),
  run(ctx) {
    // Neither GitHub nor VS Code renders `$a$$b$`; find the written pair directly.
    const re = /\$([^\s$][^$\n]*?)\$\$([^\s$][^$\n]*?)\$/g;
    let m: RegExpExecArray | null;
    while ((m = re.exec(ctx.text))) {
      const start = m.index;
      const before = start > 0 ? ctx.text[start - 1] : undefined;
      const mid = start + 1 + m[1].length + 1;
      if (!canPrecedeOpener(before) || inCode(ctx, start) || /\\$/.test(m[1]) || ctx.scan.math.some((g) => g.start <= mid && mid < g.end)) {
        re.lastIndex = start + 1;
        continue;
      }
      ctx.report({ start, end: start + m[0].length, message: 'GitHub shows this as plain text: two formulas touch (`$…$$…$`) and the `$$` between them is read as a double delimiter. Put a space between the formulas or merge them.', fixes: [{ title: 'Insert a space between the formulas', edits: [edit(mid, mid, ' ')], preferred: true }] });
    }
  },
};

export const formulaAcrossLines: LintRule = {
  id: 'MW007', alias: 'inline-math-line-break', target: 'github',
  description: 'An inline `$…$` formula spans a line break (or a hard break splits it); GitHub measurements disagree on whether it renders.',
  tags: ['delimiters', 'line-break'], defaultSeverity: 'warning', fixable: true, specRules: ['GH-IN-07'], docs: docsPath('MW007'),
  run(ctx) {
    for (const g of ctx.scan.math) {
      if (g.display || g.syntax !== 'dollar' || !g.delimited.includes('\n')) continue;
      const src = ctx.text.slice(g.start, g.end);
      ctx.report({ start: g.start, end: g.end, message: 'This inline formula spans a line break: GitHub renders it today, but earlier measurements found it did not, and editors that wrap lines split formulas. Keep it on one line.', fixes: [{ title: 'Join the formula onto one line', edits: [edit(g.start, g.end, src.replace(/[ \t]*\r?\n[ \t]*/g, ' '))], preferred: true }] });
    }
    for (const n of nearMisses(ctx, ['GH-IN-07'])) ctx.report({ start: n.start, end: n.end, message: n.message });
  },
};

/** Is the `$` at `at` the closing delimiter of a formula GitHub or VS Code renders? */
function closesFormula(ctx: RuleContext, at: number): boolean {
  const ends = (f: { end: number; syntax: string }) => f.end - 1 === at && (f.syntax === 'dollar' || f.syntax === 'double-dollar');
  return ctx.scan.vscodeMath.some(ends) || ctx.scan.math.some(ends);
}
