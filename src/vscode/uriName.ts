// The file name of a URI's path (no Node: the web extension uses the modules that need it too).
import type * as vscode from 'vscode';

export function uriBaseName(uri: vscode.Uri): string {
  return uri.path.slice(uri.path.lastIndexOf('/') + 1);
}
