// The only mapping between core data (offsets, 0-based ranges, severities) and vscode types.
import * as vscode from 'vscode';
import type { Finding, Range, Severity, TextEdit } from '../core/types';
import { chooseFix, fixAll } from '../core/lint/edits';

export function toDiagnosticSeverity(s: Severity): vscode.DiagnosticSeverity {
  switch (s) {
    case 'error':
      return vscode.DiagnosticSeverity.Error;
    case 'warning':
      return vscode.DiagnosticSeverity.Warning;
    default:
      return vscode.DiagnosticSeverity.Information;
  }
}

export function toRange(r: Range): vscode.Range {
  return new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
}

/** Offsets → a WorkspaceEdit for `doc` (offsets must belong to `doc`'s current version). */
export function toWorkspaceEdit(doc: vscode.TextDocument, edits: readonly TextEdit[]): vscode.WorkspaceEdit {
  const we = new vscode.WorkspaceEdit();
  for (const e of edits) {
    we.replace(doc.uri, new vscode.Range(doc.positionAt(e.start), doc.positionAt(e.end)), e.newText);
  }
  return we;
}

/**
 * The edits of "fix all" for `text` (the document version `findings` were computed for): the core's fix-all
 * selection (src/core/lint/edits.ts `fixAll`, one pass: which fix of each finding, which fixes may apply together),
 * the same one `math-writeup lint --fix` uses. A fix left out because it touches another waits for the re-lint.
 */
export function fixAllEdits(text: string, findings: readonly Finding[]): TextEdit[] {
  const { applied } = fixAll(text, () => [...findings], { maxPasses: 1 });
  return applied.flatMap((f) => chooseFix(f)?.edits ?? []).sort((a, b) => a.start - b.start || a.end - b.end);
}
