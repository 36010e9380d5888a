// `--format sarif`: SARIF 2.1.0 (the format GitHub code scanning uploads), one run of the tool "math-writeup"
// with every rule's metadata (help URI to its docs/rules page), one result per finding, its fixes as SARIF fixes,
// and file problems as tool notifications. Columns are UTF-16 code units, 1-based, as in the text output.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Registry } from '../../core/lint/registry';
import { LineIndex } from '../../core/text';
import type { Severity, TextEdit } from '../../core/types';
import type { LintFileResult } from './types';

/** Where the rule pages (docs/rules/MW001.md …) are published; package.json's `repository` points at the same. */
export const DOCS_BASE_URL = 'https://github.com/math-writeup/math-writeup/blob/main/';

export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';

function level(s: Severity): 'error' | 'warning' | 'note' {
  return s === 'info' ? 'note' : s;
}

/** A relative path as a SARIF URI reference ('/' separators, each segment percent-encoded). */
function uriReference(rel: string): string {
  return rel.split(/[\\/]/).map(encodeURIComponent).join('/');
}

interface SarifRegion {
  startLine: number;
  startColumn: number;
  endLine: number;
  endColumn: number;
}

function region(lines: LineIndex, start: number, end: number): SarifRegion {
  const a = lines.positionAt(start);
  const b = lines.positionAt(end);
  return { startLine: a.line + 1, startColumn: a.character + 1, endLine: b.line + 1, endColumn: b.character + 1 };
}

export interface SarifOptions {
  cwd: string;
  version: string;
}

export function toSarif(results: readonly LintFileResult[], registry: Registry, o: SarifOptions): object {
  const rules = registry.list();
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));
  const artifactLocation = (file: string): object => {
    const abs = path.resolve(o.cwd, file);
    const rel = path.relative(o.cwd, abs);
    if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) return { uri: pathToFileURL(abs).href };
    return { uri: uriReference(rel), uriBaseId: '%SRCROOT%' };
  };
  const out: object[] = [];
  const notifications: object[] = [];
  for (const r of results) {
    if (r.error) {
      notifications.push({
        level: 'error',
        message: { text: r.error },
        locations: [{ physicalLocation: { artifactLocation: artifactLocation(r.file) } }],
      });
      continue;
    }
    const lines = new LineIndex(r.text ?? '');
    for (const f of r.findings) {
      const loc = artifactLocation(r.file);
      const result: Record<string, unknown> = {
        ruleId: f.ruleId,
        level: level(f.severity),
        message: { text: f.message },
        locations: [{ physicalLocation: { artifactLocation: loc, region: region(lines, f.start, f.end) } }],
      };
      const idx = ruleIndex.get(f.ruleId);
      if (idx !== undefined) result.ruleIndex = idx;
      if (r.text !== undefined && f.fixes.length > 0) {
        result.fixes = f.fixes.map((fix) => ({
          description: { text: fix.title },
          artifactChanges: [
            {
              artifactLocation: loc,
              replacements: fix.edits.map((e: TextEdit) => ({
                deletedRegion: region(lines, e.start, e.end),
                insertedContent: { text: e.newText },
              })),
            },
          ],
        }));
      }
      out.push(result);
    }
  }
  return {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'math-writeup',
            version: o.version,
            informationUri: DOCS_BASE_URL.replace(/blob\/main\/$/, ''),
            rules: rules.map((r) => ({
              id: r.id,
              name: r.alias,
              shortDescription: { text: `${r.id} ${r.alias}` },
              fullDescription: { text: r.description },
              helpUri: DOCS_BASE_URL + r.docs,
              help: { text: `${r.description}. See ${DOCS_BASE_URL + r.docs}` },
              defaultConfiguration: { level: level(r.defaultSeverity) },
              properties: { tags: [...r.tags, `target:${r.target}`], fixable: r.fixable },
            })),
          },
        },
        originalUriBaseIds: { '%SRCROOT%': { uri: pathToFileURL(o.cwd.endsWith(path.sep) ? o.cwd : o.cwd + path.sep).href } },
        columnKind: 'utf16CodeUnits',
        invocations: [{ executionSuccessful: notifications.length === 0, toolExecutionNotifications: notifications }],
        results: out,
      },
    ],
  };
}
