// Scroll sync between the editor and the preview: the editor's top line scrolls the page (`scrollToLine`); the
// page's scroll (`didScroll`) scrolls the editor, and the editor's echo of that scroll is not sent back.
import * as vscode from 'vscode';
import type { ToPreviewMessage } from '../../shared/previewMessages';

export class ScrollSync implements vscode.Disposable {
  readonly #sub: vscode.Disposable;
  /** Time until which editor scroll events are echoes of a preview scroll (not forwarded back). */
  #suppressUntil = 0;

  constructor(
    private readonly doc: () => vscode.TextDocument | undefined,
    private readonly ready: () => boolean,
    private readonly post: (m: ToPreviewMessage) => void,
  ) {
    this.#sub = vscode.window.onDidChangeTextEditorVisibleRanges((e) => this.#onEditorScroll(e));
  }

  #onEditorScroll(e: vscode.TextEditorVisibleRangesChangeEvent): void {
    if (e.textEditor.document !== this.doc() || !this.ready()) return;
    if (Date.now() < this.#suppressUntil) return;
    const top = e.visibleRanges[0]?.start.line;
    if (top === undefined) return;
    this.post({ type: 'scrollToLine', line: top });
  }

  /** The page scrolled to source line `line`: the editor follows. */
  previewScrolled(line: number): void {
    const doc = this.doc();
    const ed = doc && vscode.window.visibleTextEditors.find((x) => x.document === doc);
    if (!ed) return;
    const at = Math.max(0, Math.floor(line));
    this.#suppressUntil = Date.now() + 200;
    ed.revealRange(new vscode.Range(at, 0, at, 0), vscode.TextEditorRevealType.AtTop);
  }

  dispose(): void {
    this.#sub.dispose();
  }
}
