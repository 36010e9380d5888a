// Which images the preview shows and how: http(s) images only when `mathWriteup.preview.allowRemoteImages` is on;
// local images resolved against the document's folder ("/…" against the workspace folder, as GitHub resolves it
// against the repository root), only inside the page's resource roots, and carried in the page as data: URIs.
// It remembers the local files a document refers to (found or not) and reports a change to one of them on disk
// (a figure written again by "Save as SVG", or created after the writeup linked it), once per burst of writes.
// Reading files is the platform's (LocalImages: desktop carries them as data: URIs, src/vscode/preview/localImages.ts);
// without a reader (the web extension) and for files not on the `file` scheme, the page loads the image through
// its webview URI, inside the page's resource roots.
import * as vscode from 'vscode';
import type { UrlKind } from '../../core/render/sanitize';

/** How the platform carries local image files in the page. */
export interface LocalImages {
  /** Image file extensions (watched for changes). */
  readonly extensions: readonly string[];
  /** A `file:` image as the page's URL (a data: URI); null when it is not shown, 'too-large' to link it. */
  read(file: vscode.Uri, roots: readonly vscode.Uri[]): string | 'too-large' | null;
  /** The file changed: read it again next time. */
  forget(file: vscode.Uri): void;
}

const fileKey = (uri: vscode.Uri): string => (uri.scheme === 'file' ? uri.fsPath : uri.toString());

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
  constructor(
    private readonly local: LocalImages | undefined,
    onChange: (file: vscode.Uri) => void,
  ) {
    if (!local) return;
    const watcher = vscode.workspace.createFileSystemWatcher(`**/*.{${local.extensions.join(',')}}`);
    const changed = (uri: vscode.Uri) => {
      if (!this.#files.has(fileKey(uri))) return;
      if (this.#timer) clearTimeout(this.#timer);
      // One render for a burst of writes (an image is often written in several steps).
      this.#timer = setTimeout(() => {
        this.#timer = undefined;
        local.forget(uri);
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
    if (target.scheme !== 'file' || !this.local) return s.webview.asWebviewUri(target).toString();
    this.#files.add(fileKey(target));
    const data = this.local.read(target, s.roots);
    return data === 'too-large' ? s.webview.asWebviewUri(target).toString() : data;
  }

  dispose(): void {
    if (this.#timer) clearTimeout(this.#timer);
    for (const d of this.#disposables) d.dispose();
  }
}
