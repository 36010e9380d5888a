// Which images the preview shows and how: http(s) images only when `mathWriteup.preview.allowRemoteImages` is on;
// local images resolved against the document's folder ("/…" against the workspace folder, as GitHub resolves it
// against the repository root), only inside the page's resource roots, and carried in the page as data: URIs.
// It remembers the local files a document refers to (found or not) and reports a change to one of them on disk
// (a figure written again by "Save as SVG", or created after the writeup linked it), once per burst of writes.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { UrlKind } from '../../core/render/sanitize';
import { forgetImage, IMAGE_TYPES, imageDataUri } from '../../node/imageData';

export interface ImageScope {
  webview: vscode.Webview;
  /** The shown document's folder (relative images), undefined without a document. */
  docDir: vscode.Uri | undefined;
  /** Its workspace folder ("/…" images). */
  folder: vscode.Uri | undefined;
  remote: boolean;
  /** The page's local resource roots: only files inside them are shown. */
  roots: readonly vscode.Uri[];
}

export class ImagePolicy implements vscode.Disposable {
  readonly #files = new Set<string>();
  readonly #disposables: vscode.Disposable[] = [];
  #timer: ReturnType<typeof setTimeout> | undefined;

  /** `onChange` runs after a referenced image file changed on disk (the preview renders again). */
  constructor(onChange: (file: vscode.Uri) => void) {
    const watcher = vscode.workspace.createFileSystemWatcher(`**/*.{${Object.keys(IMAGE_TYPES).join(',')}}`);
    const changed = (uri: vscode.Uri) => {
      if (!this.#files.has(uri.fsPath)) return;
      if (this.#timer) clearTimeout(this.#timer);
      // One render for a burst of writes (an image is often written in several steps).
      this.#timer = setTimeout(() => {
        this.#timer = undefined;
        forgetImage(uri.fsPath);
        onChange(uri);
      }, 150);
    };
    this.#disposables.push(watcher, watcher.onDidChange(changed), watcher.onDidCreate(changed), watcher.onDidDelete(changed));
  }

  /** A new document: forget the files of the last one. */
  clear(): void {
    this.#files.clear();
  }

  /** The URL the page uses for `url`, or null when the image is not shown (its alt text is). */
  rewrite(url: string, kind: UrlKind, s: ImageScope): string | null {
    if (kind !== 'image') return url;
    const m = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(url);
    if (m || url.startsWith('//')) {
      const scheme = m ? m[1].toLowerCase() : 'https';
      if (scheme === 'https' || scheme === 'http') return s.remote ? (url.startsWith('//') ? `https:${url}` : url) : null;
      return null;
    }
    if (!s.docDir) return null;
    const clean = url.split(/[?#]/)[0];
    let decoded: string;
    try {
      decoded = decodeURIComponent(clean);
    } catch {
      decoded = clean;
    }
    const base = decoded.startsWith('/') ? (s.folder ?? s.docDir) : s.docDir;
    const target = vscode.Uri.joinPath(base, decoded.replace(/^\/+/, ''));
    if (target.scheme !== 'file') return s.webview.asWebviewUri(target).toString();
    const roots = s.roots.filter((r) => r.scheme === 'file').map((r) => r.fsPath);
    const file = target.fsPath;
    this.#files.add(file);
    if (!roots.some((r) => file === r || file.startsWith(r.endsWith(path.sep) ? r : r + path.sep))) return null;
    const data = imageDataUri(file);
    if (data === 'too-large') return s.webview.asWebviewUri(target).toString();
    return data ?? null;
  }

  dispose(): void {
    if (this.#timer) clearTimeout(this.#timer);
    for (const d of this.#disposables) d.dispose();
  }
}
