// Typed reader of the `mathWriteup.*` settings (package.json is the schema).
import * as vscode from 'vscode';

export const SECTION = 'mathWriteup';

export interface ExtensionSettings {
  enable: boolean;
  debounceMs: number;
  timeLimitMs: number;
  runOnSave: boolean;
}

function clamp(v: unknown, lo: number, hi: number, dflt: number): number {
  return typeof v === 'number' && Number.isFinite(v) ? Math.min(hi, Math.max(lo, v)) : dflt;
}

/** Settings for a document (resource-scoped, so a folder's settings.json applies to its files). */
export function readSettings(scope?: vscode.Uri): ExtensionSettings {
  const c = vscode.workspace.getConfiguration(SECTION, scope);
  return {
    enable: c.get<boolean>('enable', true) !== false,
    debounceMs: clamp(c.get('lint.debounceMs'), 0, 5000, 100),
    timeLimitMs: 1000 * clamp(c.get('checks.timeLimitSeconds'), 1, 600, 10),
    runOnSave: c.get<boolean>('checks.runOnSave', false) === true,
  };
}

export function isWriteup(doc: vscode.TextDocument): boolean {
  return doc.languageId === 'markdown' && doc.uri.scheme !== 'output' && doc.uri.scheme !== 'vscode-scm';
}

/**
 * The lint settings the user actually set (any scope), as an untrusted configuration object for the core's
 * validateConfig: a default value must not override a `.math-writeup.json` file.
 */
export function explicitLintSettings(scope?: vscode.Uri): { target?: unknown; rules?: unknown } {
  const c = vscode.workspace.getConfiguration(SECTION, scope);
  const out: { target?: unknown; rules?: unknown } = {};
  const isSet = (key: string) => {
    const i = c.inspect(key);
    return (
      i !== undefined &&
      [i.globalValue, i.workspaceValue, i.workspaceFolderValue, i.globalLanguageValue, i.workspaceLanguageValue, i.workspaceFolderLanguageValue]
        .some((v) => v !== undefined)
    );
  };
  if (isSet('target')) out.target = c.get('target');
  if (isSet('rules')) out.rules = c.get('rules');
  return out;
}
