// `--format github`: GitHub Actions workflow commands (`::error file=…,line=…::message`), which the runner turns
// into annotations on the pull request's diff. Escaping as the runner decodes it: in the message `%`, CR and LF;
// in property values also `:` and `,` (they separate properties).
import type { Severity } from '../../core/types';
import type { CheckResult } from '../../core/check/types';
import type { CheckFileOutcome, LintFileResult } from './types';

export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** GitHub's annotation levels: error, warning, notice. */
export function annotationLevel(s: Severity): 'error' | 'warning' | 'notice' {
  return s === 'info' ? 'notice' : s;
}

export interface Annotation {
  level: 'error' | 'warning' | 'notice';
  file: string;
  line?: number;
  col?: number;
  endLine?: number;
  endColumn?: number;
  title?: string;
  message: string;
}

/** One workflow command line (with its newline). File paths use `/` as GitHub expects. */
export function workflowCommand(a: Annotation): string {
  const props: string[] = [`file=${escapeProperty(a.file.split('\\').join('/'))}`];
  if (a.line !== undefined) props.push(`line=${a.line}`);
  if (a.endLine !== undefined) props.push(`endLine=${a.endLine}`);
  if (a.col !== undefined) props.push(`col=${a.col}`);
  if (a.endColumn !== undefined) props.push(`endColumn=${a.endColumn}`);
  if (a.title !== undefined) props.push(`title=${escapeProperty(a.title)}`);
  return `::${a.level} ${props.join(',')}::${escapeData(a.message)}\n`;
}

export function lintAnnotations(results: readonly LintFileResult[]): Annotation[] {
  const out: Annotation[] = [];
  for (const r of results) {
    if (r.error) {
      out.push({ level: 'error', file: r.file, title: 'math-writeup', message: r.error });
      continue;
    }
    for (const f of r.findings) {
      const a: Annotation = {
        level: annotationLevel(f.severity),
        file: r.file,
        line: f.range.start.line + 1,
        endLine: f.range.end.line + 1,
        title: `${f.ruleId} ${f.ruleAlias}`,
        message: f.message,
      };
      // GitHub accepts col/endColumn only on a one-line range.
      if (f.range.start.line === f.range.end.line) {
        a.col = f.range.start.character + 1;
        a.endColumn = Math.max(f.range.end.character + 1, a.col);
      }
      out.push(a);
    }
  }
  return out;
}

function checkTitle(r: CheckResult): string {
  return r.title.trim() || '(untitled check)';
}

/** Failed and erring checks as errors at their block (their located problems too); passing checks are silent. */
export function checkAnnotations(outcomes: readonly CheckFileOutcome[]): Annotation[] {
  const out: Annotation[] = [];
  for (const o of outcomes) {
    for (const r of o.results) {
      if (r.status === 'pass') continue;
      out.push({
        level: 'error',
        file: o.file,
        line: r.line + 1,
        title: `check ${r.status}: ${checkTitle(r)}`,
        message: r.message,
      });
      for (const p of r.problems) {
        out.push({
          level: r.status === 'error' ? 'error' : 'warning',
          file: o.file,
          line: p.range.start.line + 1,
          col: p.range.start.character + 1,
          title: `check: ${checkTitle(r)}`,
          message: p.message,
        });
      }
    }
  }
  return out;
}
