// The preview on desktop VS Code: its panel module from its own bundle (loaded on first use), GitHub mode's MathJax
// in a worker thread, the page's assets carried from disk, local images as data: URIs, Export HTML, and the hover.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { previewHost } from '../lazy';
import { carriedAssets } from '../carriedAssets';
import { MathHoverProvider, type HoverFindings } from './hover';
import { NODE_LOCAL_IMAGES } from './localImages';
import type { PreviewHost } from './index';

export function desktopPreviewHost(extensionUri: vscode.Uri, lint: HoverFindings): PreviewHost {
  return {
    panelModule: () => previewHost(),
    startTypesetter: () => {
      const { TypesetStore, TypesetWorkerClient } = previewHost();
      const client = new TypesetWorkerClient(vscode.Uri.joinPath(extensionUri, 'dist', 'typesetWorker.js').fsPath);
      return { typesetter: { store: new TypesetStore(), typeset: (f) => client.typeset(f) }, dispose: () => client.dispose() };
    },
    platform: { pageAssets: () => carriedAssets('preview'), localImages: NODE_LOCAL_IMAGES },
    exportHtml: async (doc, mode, out) => {
      const remote = vscode.workspace.getConfiguration('mathWriteup.preview', doc.uri).get<boolean>('allowRemoteImages', false) === true;
      const { buildExportHtml, safeWriteFile } = previewHost();
      const html = buildExportHtml(doc.getText(), {
        mode,
        sourceDir: path.dirname(doc.uri.fsPath),
        outDir: path.dirname(out.fsPath),
        remoteImages: remote,
        title: path.basename(doc.uri.path).replace(/\.(md|markdown)$/i, ''),
      });
      // A local file is written like `math-writeup render -o` writes it: atomically, through a symbolic link,
      // keeping its owner and mode; other file systems (remote, virtual) get VS Code's write.
      if (out.scheme === 'file') await safeWriteFile(out.fsPath, Buffer.from(html, 'utf8'));
      else await vscode.workspace.fs.writeFile(out, Buffer.from(html, 'utf8'));
    },
    hover: new MathHoverProvider(lint),
  };
}
