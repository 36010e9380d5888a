// Markdown tables of the lint rules, generated from the registry: the table in README.md and the index in
// docs/rules/README.md. scripts/gen-rules-table.mjs writes them between the markers; test/unit/rules-docs.test.ts
// checks that both files are current. Pure: the caller reads and writes the files.
import type { RegisteredMeta } from './registry';
import type { PortableSpelling } from '../tex/portable';

export const RULES_START = '<!-- rules:start -->';
export const RULES_END = '<!-- rules:end -->';
/** Markers of the table of portable spellings in docs/rules/README.md. */
export const PORTABLE_START = '<!-- portable:start -->';
export const PORTABLE_END = '<!-- portable:end -->';

/** What a table row needs from a rule (LintRule and the engine's MW000 both fit). */
export type RuleRowMeta = Pick<RegisteredMeta, 'id' | 'alias' | 'description' | 'defaultSeverity' | 'fixable' | 'specRules' | 'docs'>;

/**
 * Text for one GFM table cell: on one line, and every `|` escaped. GFM splits rows at `|` even inside code spans,
 * and turns `\|` back into `|` (also inside code spans), so the cell shows the description exactly.
 */
export function tableCell(s: string): string {
  return s.replace(/\s*\r?\n\s*/g, ' ').replace(/\|/g, '\\|').trim();
}

/** README.md: Rule (link to its docs page), Alias, Default, Fixable, What it catches. */
export function readmeRulesTable(rules: readonly RuleRowMeta[]): string {
  const rows = rules.map((r) =>
    `| [${r.id}](${r.docs}) | \`${r.alias}\` | ${r.defaultSeverity} | ${r.fixable ? 'yes' : 'no'} | ${tableCell(r.description)} |`,
  );
  return ['| Rule | Alias | Default | Fixable | What it catches |', '| --- | --- | --- | --- | --- |', ...rows].join('\n');
}

/** docs/rules/README.md: the same rules with links relative to docs/rules/ and the spec rules each one covers. */
export function docsIndexTable(rules: readonly RuleRowMeta[]): string {
  const rows = rules.map((r) => {
    const page = r.docs.slice(r.docs.lastIndexOf('/') + 1);
    const spec = r.specRules.length > 0 ? r.specRules.join(', ') : '—';
    return `| [${r.id}](${page}) | \`${r.alias}\` | ${r.defaultSeverity} | ${r.fixable ? 'yes' : 'no'} | ${spec} | ${tableCell(r.description)} |`;
  });
  return ['| Rule | Alias | Default | Fixable | Spec rules | Description |', '| --- | --- | --- | --- | --- | --- |', ...rows].join('\n');
}

/** docs/rules/README.md: the one table of portable spellings (src/core/tex/portable.ts) the rules write. */
export function portableTable(rows: readonly PortableSpelling[]): string {
  // Spaces that are part of the spelling (` _ `) must survive the code span: a code span drops one space each side.
  const code = (t: string): string => (t.includes('`') || t !== t.trim() ? `\`\` ${t} \`\`` : `\`${t}\``);
  const lines = rows.map((e) => `| ${tableCell(code(e.written))} | ${tableCell(e.github)} | ${tableCell(code(e.portable))} | [${e.rule}](${e.rule}.md) |`);
  return ['| Written | What GitHub does to it | Portable spelling | Written by |', '| --- | --- | --- | --- |', ...lines].join('\n');
}

export type ReplaceResult = { ok: true; text: string; changed: boolean } | { ok: false; error: string };

/**
 * Replace what lies between the markers (`<!-- rules:start -->` and `<!-- rules:end -->` unless given) by `content`
 * (on its own lines).
 * Fails, with a message naming `fileLabel`, when a marker is missing, repeated, or the end comes first.
 */
export function replaceBetweenMarkers(doc: string, content: string, fileLabel: string, start = RULES_START, end = RULES_END): ReplaceResult {
  const count = (m: string): number => doc.split(m).length - 1;
  const starts = count(start);
  const ends = count(end);
  if (starts !== 1 || ends !== 1) {
    const what = starts === 0 || ends === 0 ? 'lacks' : 'has more than one of';
    return { ok: false, error: `${fileLabel} ${what} the markers ${start} … ${end}; add exactly one pair where the rules table belongs` };
  }
  const s = doc.indexOf(start) + start.length;
  const e = doc.indexOf(end);
  if (e < s) return { ok: false, error: `${fileLabel}: ${end} comes before ${start}` };
  const eol = doc.includes('\r\n') ? '\r\n' : '\n';
  const text = `${doc.slice(0, s)}${eol}${content.replace(/\n/g, eol)}${eol}${doc.slice(e)}`;
  return { ok: true, text, changed: text !== doc };
}
