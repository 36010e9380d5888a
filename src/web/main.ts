// The `browser` entry (dist/web/extension.js). The extension itself (./extension) is required on activation, so
// that loading this bundle runs nothing: the bundle also carries the one copy of KaTeX and MathJax in the .vsix,
// which the Node bundles of the extension load from it (scripts/build.mjs adds `vendor(id)` to this entry).
import type * as vscode from 'vscode';

type WebExtension = typeof import('./extension');

export function activate(context: vscode.ExtensionContext): ReturnType<WebExtension['activate']> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy: keeps `vscode` out of the bundle's load
  return (require('./extension') as WebExtension).activate(context);
}

export function deactivate(): void {
  // the extension's disposables are released by VS Code
}
