// "GitHub math: N problems" for the active Markdown editor; clicking it opens the Problems view.
import * as vscode from 'vscode';
import { Commands } from './api';
import { isWriteup, readSettings } from './config';
import { DIAGNOSTIC_SOURCE } from './lintService';

export class ProblemsStatus implements vscode.Disposable {
  readonly #item: vscode.StatusBarItem;
  readonly #disposables: vscode.Disposable[] = [];
  #visible = false;

  constructor() {
    this.#item = vscode.window.createStatusBarItem('mathWriteup.problems', vscode.StatusBarAlignment.Left, 50);
    this.#item.name = 'Math Writeup: GitHub math problems';
    this.#item.command = Commands.showProblems;
    this.#disposables.push(
      this.#item,
      vscode.window.onDidChangeActiveTextEditor(() => this.update()),
      vscode.languages.onDidChangeDiagnostics((e) => {
        const active = vscode.window.activeTextEditor?.document.uri.toString();
        if (active && e.uris.some((u) => u.toString() === active)) this.update();
      }),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('mathWriteup')) this.update();
      }),
    );
    this.update();
  }

  /** The text shown (tests read it through the API). */
  get text(): string | undefined {
    return this.#visible ? this.#item.text : undefined;
  }

  update(): void {
    const doc = vscode.window.activeTextEditor?.document;
    if (!doc || !isWriteup(doc) || !readSettings(doc.uri).enable) {
      this.#item.hide();
      this.#visible = false;
      return;
    }
    const diags = vscode.languages.getDiagnostics(doc.uri).filter((d) => d.source === DIAGNOSTIC_SOURCE);
    const n = diags.length;
    const errors = diags.filter((d) => d.severity === vscode.DiagnosticSeverity.Error).length;
    this.#item.text = `${n === 0 ? '$(check)' : errors > 0 ? '$(error)' : '$(warning)'} GitHub math: ${n} problem${n === 1 ? '' : 's'}`;
    this.#item.tooltip = n === 0 ? 'GitHub will render every formula of this file.' : 'Show the problems (Problems view)';
    this.#item.show();
    this.#visible = true;
  }

  dispose(): void {
    for (const d of this.#disposables) d.dispose();
  }
}
