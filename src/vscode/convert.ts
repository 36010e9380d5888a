// The only mapping between core data (offsets, 0-based ranges, severities) and vscode types.
import * as vscode from 'vscode';
import type { Range, Severity, TextEdit } from '../core/types';

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
