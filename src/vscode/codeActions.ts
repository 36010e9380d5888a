// Quick fixes for lint findings: the preferred fix, the other fixes, "fix all <rule> in this file", "disable <rule>
// for this line", "learn more", and `source.fixAll.mathWriteup` (for editor.codeActionsOnSave).
// Every edit goes through the `mathWriteup.applyEdits` command, which applies it as one undoable WorkspaceEdit only
// if the document still has the version the edit was computed for.
import * as vscode from 'vscode';
import type { Finding, TextEdit } from '../core/types';
import { Commands } from './api';
import { toWorkspaceEdit } from './convert';
import { chooseFix as primaryFix } from '../core/lint/edits';
import { disableRuleEdits, fixAllEdits } from '../core/lint/actions';
import type { LintService } from './lintService';
import { DIAGNOSTIC_SOURCE } from './diagnosticSource';

export const FIX_ALL_KIND = vscode.CodeActionKind.SourceFixAll.append('mathWriteup');

/** Arguments of `mathWriteup.applyEdits`. */
export interface ApplyEditsArgs {
  uri: string;
  version: number;
  edits: TextEdit[];
  label: string;
}

/** Applies `args.edits` when the document's version still matches; returns whether it did. */
export async function applyEditsCommand(args: ApplyEditsArgs): Promise<boolean> {
  const uri = vscode.Uri.parse(args.uri);
  const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === args.uri);
  if (!doc) return false;
  if (doc.version !== args.version) {
    void vscode.window.showWarningMessage(
      `Math Writeup: "${args.label}" was not applied because ${vscode.workspace.asRelativePath(uri)} changed meanwhile. Try again.`,
    );
    return false;
  }
  if (args.edits.length === 0) return true;
  return vscode.workspace.applyEdit(toWorkspaceEdit(doc, args.edits), { isRefactoring: false });
}

/** The fix a user would take for a finding, and "fix all" edits: one implementation in the core for every editor. */
export { chooseFix as primaryFix } from '../core/lint/edits';
export { fixAllEdits } from '../core/lint/actions';

export class MathCodeActionProvider implements vscode.CodeActionProvider {
  static readonly providedCodeActionKinds = [vscode.CodeActionKind.QuickFix, FIX_ALL_KIND];

  constructor(private readonly lint: Pick<LintService, 'findingsForVersion'>) {}

  async provideCodeActions(
    doc: vscode.TextDocument,
    range: vscode.Range | vscode.Selection,
    context: vscode.CodeActionContext,
    _token: vscode.CancellationToken,
  ): Promise<vscode.CodeAction[]> {
    const wantsFixAll = context.only ? FIX_ALL_KIND.intersects(context.only) : false;
    const wantsQuickFix = !context.only || vscode.CodeActionKind.QuickFix.intersects(context.only);
    if (!wantsFixAll && !wantsQuickFix) return [];
    const version = doc.version;
    const findings = await this.lint.findingsForVersion(doc);
    // Building the actions is cheap once the findings are there, so a request cancelled meanwhile still gets them
    // (VS Code drops the answer if it no longer wants it); only a different document version makes them wrong.
    if (doc.version !== version) return [];
    const out: vscode.CodeAction[] = [];
    const uri = doc.uri.toString();
    const cmd = (label: string, edits: TextEdit[]): vscode.Command => ({
      title: label,
      command: Commands.applyEdits,
      arguments: [{ uri, version, edits, label } satisfies ApplyEditsArgs],
    });

    if (wantsFixAll) {
      const edits = fixAllEdits(doc.getText(), findings);
      const a = new vscode.CodeAction('Fix all GitHub math problems in this file', FIX_ALL_KIND);
      a.command = cmd(a.title, edits);
      out.push(a);
      if (!wantsQuickFix) return out;
    }

    const here = findings.filter((f) => {
      const r = new vscode.Range(f.range.start.line, f.range.start.character, f.range.end.line, f.range.end.character);
      return r.intersection(range) !== undefined;
    });
    const ours = context.diagnostics.filter((d) => d.source === DIAGNOSTIC_SOURCE);
    const diagFor = (f: Finding) =>
      ours.filter((d) => {
        const code = typeof d.code === 'object' ? d.code.value : d.code;
        return code === f.ruleId && d.range.start.line === f.range.start.line && d.range.start.character === f.range.start.character;
      });
    const rulesDone = new Set<string>();
    for (const f of here) {
      const diagnostics = diagFor(f);
      for (const fix of f.fixes) {
        const a = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
        a.isPreferred = fix === primaryFix(f);
        a.diagnostics = diagnostics;
        a.command = cmd(fix.title, fix.edits);
        out.push(a);
      }
      if (rulesDone.has(f.ruleId)) continue;
      rulesDone.add(f.ruleId);
      const sameRule = findings.filter((x) => x.ruleId === f.ruleId && primaryFix(x));
      if (sameRule.length > 1) {
        const a = new vscode.CodeAction(`Fix all ${f.ruleId} (${f.ruleAlias}) in this file`, vscode.CodeActionKind.QuickFix);
        a.diagnostics = diagnostics;
        a.command = cmd(a.title, fixAllEdits(doc.getText(), findings, f.ruleId));
        out.push(a);
      }
      out.push(disableAction(doc, f, diagnostics, cmd));
      const learn = new vscode.CodeAction(`Learn more about ${f.ruleId} (${f.ruleAlias})`, vscode.CodeActionKind.QuickFix);
      learn.diagnostics = diagnostics;
      learn.command = { title: learn.title, command: Commands.openRuleDocs, arguments: [f.docs] };
      out.push(learn);
    }
    return out;
  }
}

/** "Disable <rule>" for the line or the paragraph (src/core/lint/actions.ts decides which and writes the comments). */
function disableAction(
  doc: vscode.TextDocument,
  f: Finding,
  diagnostics: vscode.Diagnostic[],
  cmd: (label: string, edits: TextEdit[]) => vscode.Command,
): vscode.CodeAction {
  const { title, edits } = disableRuleEdits(doc.getText(), f);
  const a = new vscode.CodeAction(title, vscode.CodeActionKind.QuickFix);
  a.diagnostics = diagnostics;
  a.command = cmd(title, edits);
  return a;
}
