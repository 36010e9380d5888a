// The text format of `lint`: one line per finding, `path:line:col severity RULE message`, 1-based line and column
// (UTF-16 code units, as VS Code counts them); coloured when the terminal takes colours (./color.ts).
import type { Severity } from '../../core/types';
import { escapeFileName } from '../../node/files';
import type { Paint } from './color';
import { oneLine, type LintFileResult } from './types';

function severityWord(s: Severity, paint: Paint): string {
  return s === 'error' ? paint.red(s) : s === 'warning' ? paint.yellow(s) : paint.blue(s);
}

export function formatLintText(r: LintFileResult, paint: Paint): string {
  return r.findings
    .map(
      (f) =>
        `${paint.dim(`${escapeFileName(r.file)}:${f.range.start.line + 1}:${f.range.start.character + 1}`)} ${severityWord(f.severity, paint)} ` +
        `${paint.dim(f.ruleId)} ${oneLine(f.message)}\n`,
    )
    .join('');
}
