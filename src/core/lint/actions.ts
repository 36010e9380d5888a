// The edits behind the quick fixes of a finding, for every editor adapter (the VS Code extension's code actions and
// the language server's): the fix a user would take, "fix all" (of a rule or of the file) without overlapping
// edits, and "disable this rule" for the line or the paragraph. Pure: offsets in, offsets out.
import type { Finding, TextEdit } from '../types';
import { LineIndex } from '../text';
import { selectFixes } from './edits';

/**
 * One edit set fixing every fixable finding of `text` (optionally of one rule): the fixes one pass of the core's
 * fix-all takes (`selectFixes`, the same selection `lint --fix` makes), in document order. A fix that touches another
 * waits for the re-lint that follows the edit.
 */
export function fixAllEdits(text: string, findings: readonly Finding[], ruleId?: string): TextEdit[] {
  const chosen = selectFixes(text, ruleId === undefined ? findings : findings.filter((f) => f.ruleId === ruleId));
  return chosen.flatMap((c) => c.fix.edits).sort((x, y) => x.start - y.start || x.end - y.end);
}

/**
 * "Disable <rule>": a `disable-next-line` comment above the line when the line starts its paragraph. In the middle
 * of a paragraph a comment line would split the paragraph on GitHub (an HTML block interrupts it, changing how its
 * math renders), so there the paragraph is wrapped in `disable` / `enable` comments instead.
 */
export function disableRuleEdits(text: string, f: Finding, lines: LineIndex = new LineIndex(text)): { title: string; edits: TextEdit[] } {
  const blank = (l: number): boolean => /^[ \t]*$/.test(lines.lineText(l));
  const lineNo = f.range.start.line;
  let first = lineNo;
  while (first > 0 && !blank(first - 1)) first--;
  const firstText = lines.lineText(first);
  const indent = /^[ \t]*/.exec(firstText)?.[0] ?? '';
  const at = lines.lineStarts[first];
  if (first === lineNo) {
    return {
      title: `Disable ${f.ruleId} (${f.ruleAlias}) for this line`,
      edits: [{ start: at, end: at, newText: `${indent}<!-- math-writeup-disable-next-line ${f.ruleId} -->\n` }],
    };
  }
  let last = lineNo;
  while (last + 1 < lines.lineCount && !blank(last + 1)) last++;
  const end = lines.lineStarts[last] + lines.lineText(last).length;
  return {
    title: `Disable ${f.ruleId} (${f.ruleAlias}) for this paragraph`,
    edits: [
      { start: at, end: at, newText: `${indent}<!-- math-writeup-disable ${f.ruleId} -->\n` },
      { start: end, end, newText: `\n${indent}<!-- math-writeup-enable ${f.ruleId} -->` },
    ],
  };
}
