// The edits behind the quick fixes of a finding, for every editor adapter (the VS Code extension's code actions and
// the language server's): the fix a user would take, "fix all" (of a rule or of the file) without overlapping
// edits, and "disable this rule" for the line or the paragraph. Pure: offsets in, offsets out.
import type { Finding, TextEdit } from '../types';
import { LineIndex } from '../text';
import { chooseFix } from './edits';

/**
 * Keeps a set of edit groups that do not overlap each other (each group is one fix: all or nothing), in document
 * order. Used by "fix all": two fixes touching the same text cannot both apply; the later one waits for a re-lint.
 */
export function nonOverlapping(groups: readonly (readonly TextEdit[])[]): TextEdit[] {
  const taken: TextEdit[] = [];
  // Overlapping ranges, or two edits at the same point one of which inserts (their order would be ambiguous).
  const overlaps = (a: TextEdit, b: TextEdit) =>
    (a.start < b.end && b.start < a.end) || (a.start === b.start && (a.start === a.end || b.start === b.end));
  for (const g of groups) {
    if (g.length === 0) continue;
    if (g.some((e) => taken.some((t) => overlaps(e, t)))) continue;
    taken.push(...g);
  }
  return taken.sort((a, b) => a.start - b.start || a.end - b.end);
}

/** One edit set fixing every fixable finding (optionally of one rule), without overlaps. */
export function fixAllEdits(findings: readonly Finding[], ruleId?: string): TextEdit[] {
  return nonOverlapping(
    findings.filter((f) => ruleId === undefined || f.ruleId === ruleId).map((f) => chooseFix(f)?.edits ?? []),
  );
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
