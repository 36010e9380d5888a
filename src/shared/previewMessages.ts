// Messages between the extension host (src/vscode/preview) and the preview webview (webview/preview).
// Types only: both sides import them with `import type`.

export type PreviewMode = 'github' | 'vscode';

/** One top-level block of the document as the webview shows it. */
export interface PreviewBlock {
  /** Content key (hash of the block's source and rendering context); also the DOM node's identity. */
  key: string;
  /** 0-based first source line of the block. */
  line: number;
  /** 0-based line just after the block (exclusive). */
  endLine: number;
  /** Rendered, sanitized HTML (position independent: inner positions are relative to `line`). */
  html: string;
}

/** Replace blocks [start, start + deleteCount) by `insert`; blocks after the splice move by `lineDelta` lines. */
export interface BlockSplice {
  start: number;
  deleteCount: number;
  insert: PreviewBlock[];
  lineDelta: number;
}

export interface PreviewStateInfo {
  /** Document URI (string form) the preview shows. */
  source: string;
  /** File name shown in the toolbar. */
  title: string;
  mode: PreviewMode;
  locked: boolean;
}

export type ToPreviewMessage =
  /** Replace the whole content (first render, mode switch, resync). */
  | { type: 'render'; version: number; info: PreviewStateInfo; blocks: PreviewBlock[]; line?: number }
  /** Apply an incremental change on top of `baseVersion`. */
  | { type: 'update'; version: number; baseVersion: number; splices: BlockSplice[] }
  /** Toolbar state changed (mode, lock) without new content. */
  | { type: 'info'; info: PreviewStateInfo }
  /** Editor scrolled: show source line `line` (fractional) at the top. */
  | { type: 'scrollToLine'; line: number }
  /** GitHub mode: MathJax's rendering of formulas, for the slots with these keys (now and later ones). */
  | { type: 'typeset'; formulas: { key: string; html: string }[] };

/**
 * Test-only requests (integration tests ask the page what it shows): a protocol of their own, not part of the
 * preview's messages. The page answers each with a PreviewTestReply.
 */
export type PreviewTestRequest = { channel: 'test'; type: 'probe'; id: number };
export type PreviewTestReply = { channel: 'test'; type: 'probeResult'; probe: PreviewProbe };

export interface PreviewProbe {
  id: number;
  title: string;
  /** Set by XSS payloads (`window.__mwXss`), never by the preview itself. */
  sentinel: unknown;
  /** Elements carrying `id="mw-xss-sentinel"` (payloads try to create one). */
  sentinelElements: number;
  katexCount: number;
  /** Formulas shown as math: KaTeX's (VS Code mode) and MathJax's slots, typeset or waiting (GitHub mode). */
  formulaCount: number;
  nearMissCount: number;
  checkCards: number;
  checkSvgs: number;
  /** GitHub mode: formulas MathJax has typeset in the page, and slots still waiting for theirs. */
  mathjaxCount: number;
  pendingFormulas: number;
  /** The status line of each check card, in order ("not run yet", "✓ passed in 0.12 s", …). */
  checkStatuses: string[];
  blockCount: number;
  scrollTop: number;
  /** Content Security Policy violations seen by the page. */
  cspViolations: number;
  mode: PreviewMode;
  /** Text of the first near miss, if any. */
  firstNearMissText: string;
  /** The images shown (after each finished decoding): the start of the source, and the decoded width in pixels. */
  images: { src: string; naturalWidth: number }[];
  /** Alt texts shown in place of images the preview does not show (refused, missing). */
  imagesNotShown: string[];
}

export type FromPreviewMessage =
  /** Sent by the page's first inline script, before the preview script loads: the frame runs our page. */
  | { type: 'loading' }
  /** The preview script loaded and listens for renders. */
  | { type: 'ready' }
  /** The webview applied version `version` (after DOM replacement). */
  | { type: 'rendered'; version: number; blockCount: number; replaced: number }
  /** The webview cannot apply an update (state lost): send a full render. */
  | { type: 'resync' }
  | { type: 'setMode'; mode: PreviewMode }
  | { type: 'toggleLock' }
  /** Preview scrolled: source line (fractional) now at the top. */
  | { type: 'didScroll'; line: number }
  /** The webview scrolled to a line the editor asked for (`scrollTop` in px after layout). */
  | { type: 'didScrollTo'; line: number; scrollTop: number }
  /** Double-click or click on a marked formula: reveal this source position. */
  | { type: 'revealLine'; line: number; character?: number }
  | { type: 'runCheck'; line: number }
  | { type: 'openLink'; href: string }
  /** A script error in the webview (logged by the extension; a failed render is followed by `resync`). */
  | { type: 'error'; message: string }
  /** The page's preview script could not be loaded (the page cannot start; the extension loads it again). */
  | { type: 'scriptFailed'; src: string };
