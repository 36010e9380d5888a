// The preview in VS Code for the Web: the desktop preview's commands, panel, renderer (src/core/render) and page
// script, on this platform's terms (src/vscode/preview/index.ts PreviewHost):
// - GitHub mode's MathJax (configured like github.com, src/core/render/mathjaxTypeset.ts) runs in this extension
//   host, which already is a web worker (no thread to start; a worker thread is what the desktop adds to keep MathJax
//   off the host's main thread);
// - the page links its script and stylesheets through webview URIs (no file system to read them from ahead of time);
// - local images are loaded by the page through their webview URIs (inside the page's resource roots: the
//   document's workspace folder), as VS Code for the Web serves workspace files;
// - check cards say that checks run in desktop VS Code (no Run button), and Export HTML says it runs there too.
import * as vscode from 'vscode';
import { activatePreview, type PreviewHost, type PreviewTestApi } from '../vscode/preview/index';
import { PreviewPanel, PRODUCTION_DEPS } from '../vscode/preview/panel';
import { TypesetStore } from '../core/render/mathjaxFormulas';
import { typesetFormulas, typesetResultsHtml } from '../core/render/mathjaxTypeset';
import { GithubValidator } from '../core/tex/mathjax';
import type { CheckFinished } from '../vscode/api';

export function webPreviewHost(checksUnavailable: string): PreviewHost {
  return {
    panelModule: () => ({ PreviewPanel, PRODUCTION_DEPS }),
    startTypesetter: () => {
      const validator = new GithubValidator();
      return {
        typesetter: { store: new TypesetStore(), typeset: async (formulas) => typesetResultsHtml(formulas, await typesetFormulas(validator, formulas)) },
        dispose: () => undefined,
      };
    },
    platform: { pageAssets: () => undefined, localImages: undefined, checksUnavailable },
  };
}

/** Registers the preview's commands in the web extension; checks asked of it (a card cannot ask) are refused. */
export function activateWebPreview(context: vscode.ExtensionContext, checksUnavailable: string): { dispose(): void; api: PreviewTestApi } {
  const finished = new vscode.EventEmitter<CheckFinished>();
  const preview = activatePreview(
    context,
    {
      checks: {
        run: async () => {
          void vscode.window.showInformationMessage(`Math Writeup: ${checksUnavailable}.`);
          return undefined;
        },
        onDidFinish: finished.event,
      },
    },
    webPreviewHost(checksUnavailable),
  );
  return {
    api: preview.api,
    dispose: () => {
      preview.dispose();
      finished.dispose();
    },
  };
}
