// Browser side of the Math Writeup preview. The extension host renders HTML per top-level block; this script
// keeps one DOM node per block, replaces only the nodes an update names, keeps the scroll position, syncs scrolling
// with the editor using each block's source lines, and turns clicks into messages (reveal source, run a check).
import type {
  BlockSplice,
  FromPreviewMessage,
  PreviewBlock,
  PreviewProbe,
  PreviewStateInfo,
  PreviewTestReply,
  PreviewTestRequest,
  ToPreviewMessage,
} from '../../src/shared/previewMessages';

interface VsCodeApi {
  postMessage(msg: FromPreviewMessage): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;
declare global {
  interface Window {
    /** Acquired by the page's inline bootstrap script (the API can be acquired once per page). */
    mwVsCodeApi?: VsCodeApi;
  }
}

interface SavedState {
  source?: string;
  line?: number;
  mode?: string;
}

const vscode = window.mwVsCodeApi ?? acquireVsCodeApi();
const content = document.getElementById('mw-content') as HTMLElement;
const toolbar = document.getElementById('mw-toolbar') as HTMLElement;
let version = 0;
let info: PreviewStateInfo | undefined;
let cspViolations = 0;
/** Source line the editor asked for last (re-applied when content height changes, e.g. fonts load). */
let editorLine: number | undefined;
let ignoreScrollUntil = 0;

document.addEventListener('securitypolicyviolation', () => {
  cspViolations++;
});

function post(msg: FromPreviewMessage): void {
  vscode.postMessage(msg);
}

function postTest(msg: PreviewTestReply): void {
  vscode.postMessage(msg);
}

function describe(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}${e.stack ? `\n${e.stack}` : ''}` : String(e);
}

window.addEventListener('error', (e) => post({ type: 'error', message: describe(e.error ?? e.message) }));
window.addEventListener('unhandledrejection', (e) => post({ type: 'error', message: describe(e.reason) }));

function saveState(line?: number): void {
  const prev = (vscode.getState() ?? {}) as SavedState;
  vscode.setState({ ...prev, source: info?.source, mode: info?.mode, locked: info?.locked, line: line ?? prev.line });
}

// ---------------------------------------------------------------------------------------------------------------
// Blocks

function blockElements(): HTMLElement[] {
  return Array.from(content.children) as HTMLElement[];
}

function makeBlock(b: PreviewBlock): HTMLElement {
  const el = document.createElement('div');
  el.className = 'mw-block';
  el.dataset.key = b.key;
  el.dataset.line = String(b.line);
  el.dataset.endLine = String(b.endLine);
  // The HTML was sanitized by the host renderer (allowlist); the CSP blocks scripts regardless.
  el.innerHTML = b.html;
  fillFormulas(el);
  return el;
}

/** The block at the top of the viewport and its offset, to keep it in place across DOM changes. */
function scrollAnchor(): { el: HTMLElement; offset: number } | undefined {
  const blocks = blockElements();
  const y = window.scrollY;
  const i = blockIndexAtY(blocks, y);
  const el = blocks[i];
  return el ? { el, offset: el.getBoundingClientRect().top } : undefined;
}

function restoreAnchor(anchor: { el: HTMLElement; offset: number } | undefined): void {
  if (!anchor || !anchor.el.isConnected) return;
  const now = anchor.el.getBoundingClientRect().top;
  const shift = now - anchor.offset;
  if (Math.abs(shift) > 0.5) {
    ignoreScrollUntil = performance.now() + 100;
    window.scrollBy(0, shift);
  }
}

/** GitHub mode: MathJax's rendering of each formula by key (the host sends each once per page). */
const typeset = new Map<string, string>();

/** Fills the formula slots under `root` whose rendering has arrived. */
function fillFormulas(root: ParentNode): void {
  for (const el of root.querySelectorAll<HTMLElement>('.mw-mj:not(.mw-mj-done)')) {
    const html = typeset.get(el.dataset.mj ?? '');
    if (html === undefined) continue;
    el.innerHTML = html;
    el.classList.add('mw-mj-done');
  }
}

function renderAll(blocks: PreviewBlock[]): void {
  const frag = document.createDocumentFragment();
  for (const b of blocks) frag.appendChild(makeBlock(b));
  content.replaceChildren(frag);
}

function applySplice(s: BlockSplice): number {
  const blocks = blockElements();
  if (s.start > blocks.length || s.start + s.deleteCount > blocks.length) throw new Error('splice out of range');
  const before = blocks[s.start + s.deleteCount] ?? null;
  for (let i = s.start; i < s.start + s.deleteCount; i++) blocks[i].remove();
  const frag = document.createDocumentFragment();
  for (const b of s.insert) frag.appendChild(makeBlock(b));
  content.insertBefore(frag, before);
  if (s.lineDelta !== 0) {
    for (let el = before as HTMLElement | null; el; el = el.nextElementSibling as HTMLElement | null) {
      el.dataset.line = String(Number(el.dataset.line) + s.lineDelta);
      el.dataset.endLine = String(Number(el.dataset.endLine) + s.lineDelta);
    }
  }
  return s.insert.length;
}

// ---------------------------------------------------------------------------------------------------------------
// Toolbar

function renderToolbar(): void {
  if (!info) return;
  toolbar.querySelectorAll<HTMLButtonElement>('[data-mode]').forEach((b) => {
    b.classList.toggle('active', b.dataset.mode === info?.mode);
    b.setAttribute('aria-pressed', String(b.dataset.mode === info?.mode));
  });
  const lock = toolbar.querySelector<HTMLButtonElement>('#mw-lock');
  if (lock) {
    lock.classList.toggle('active', info.locked);
    lock.textContent = info.locked ? 'Locked' : 'Follows editor';
  }
  const title = toolbar.querySelector<HTMLElement>('#mw-title');
  if (title) title.textContent = info.title;
  document.body.dataset.mode = info.mode;
}

toolbar.addEventListener('click', (e) => {
  const target = (e.target as HTMLElement).closest<HTMLElement>('button');
  if (!target) return;
  if (target.dataset.mode === 'github' || target.dataset.mode === 'vscode') post({ type: 'setMode', mode: target.dataset.mode });
  else if (target.id === 'mw-lock') post({ type: 'toggleLock' });
});

// ---------------------------------------------------------------------------------------------------------------
// Source positions, clicks

/** Absolute source line of an element: its block's line plus the nearest relative line inside the block. */
function sourcePosition(el: Element): { line: number; character?: number } | undefined {
  const block = el.closest<HTMLElement>('.mw-block');
  if (!block) return undefined;
  const rel = el.closest<HTMLElement>('[data-rline]');
  const base = Number(block.dataset.line);
  if (rel && block.contains(rel)) {
    const col = rel.dataset.col !== undefined ? Number(rel.dataset.col) : undefined;
    return { line: base + Number(rel.dataset.rline), character: col };
  }
  return { line: base };
}

content.addEventListener('click', (e) => {
  const t = e.target as HTMLElement;
  const run = t.closest<HTMLElement>('.mw-check-run');
  if (run) {
    const pos = sourcePosition(run);
    if (pos) post({ type: 'runCheck', line: pos.line });
    e.preventDefault();
    return;
  }
  const near = t.closest<HTMLElement>('.mw-nearmiss');
  if (near) {
    const pos = sourcePosition(near);
    if (pos) post({ type: 'revealLine', line: pos.line, character: pos.character });
    e.preventDefault();
    return;
  }
  const a = t.closest<HTMLAnchorElement>('a');
  if (a) {
    const href = a.getAttribute('href') ?? '';
    e.preventDefault();
    if (href.startsWith('#')) {
      const id = decodeURIComponent(href.slice(1));
      const dest = document.getElementById(id) ?? document.getElementById(`user-content-${id}`) ?? document.getElementsByName(id)[0];
      dest?.scrollIntoView();
    } else if (href) post({ type: 'openLink', href: a.dataset.href ?? href });
  }
});

content.addEventListener('dblclick', (e) => {
  const pos = sourcePosition(e.target as Element);
  if (pos) post({ type: 'revealLine', line: pos.line, character: pos.character });
});

// ---------------------------------------------------------------------------------------------------------------
// Scroll sync. Positions are read from the live DOM on every event (never a cached line→pixel map), so formulas
// that change height after typesetting or font loading cannot skew the mapping.

function blockTop(el: HTMLElement): number {
  return el.getBoundingClientRect().top + window.scrollY;
}

/** Index of the last block whose top is at or above `y` (page coordinates). */
function blockIndexAtY(blocks: HTMLElement[], y: number): number {
  let lo = 0;
  let hi = blocks.length - 1;
  let ans = 0;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (blockTop(blocks[mid]) <= y) {
      ans = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return ans;
}

function toolbarHeight(): number {
  return toolbar.getBoundingClientRect().height;
}

/** Source line (fractional) shown at the top of the viewport. */
function lineAtTop(): number | undefined {
  const blocks = blockElements();
  if (blocks.length === 0) return undefined;
  const y = window.scrollY + toolbarHeight();
  const el = blocks[blockIndexAtY(blocks, y)];
  const top = blockTop(el);
  const h = Math.max(1, el.getBoundingClientRect().height);
  const line = Number(el.dataset.line);
  const end = Math.max(line + 1, Number(el.dataset.endLine));
  const frac = Math.min(1, Math.max(0, (y - top) / h));
  return line + frac * (end - line);
}

/** Page y of a source line (fractional): interpolated inside its block, or between neighbouring blocks. */
function yOfLine(line: number): number | undefined {
  const blocks = blockElements();
  if (blocks.length === 0) return undefined;
  let lo = 0;
  let hi = blocks.length - 1;
  let idx = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (Number(blocks[mid].dataset.line) <= line) {
      idx = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  if (idx < 0) return 0;
  const el = blocks[idx];
  const start = Number(el.dataset.line);
  const end = Math.max(start + 1, Number(el.dataset.endLine));
  const top = blockTop(el);
  const h = el.getBoundingClientRect().height;
  if (line < end) {
    // Inside the block: use a nested element with a relative line when there is one (lists, quotes).
    let bestTop = top;
    let bestLine = start;
    el.querySelectorAll<HTMLElement>('[data-rline]').forEach((n) => {
      const l = start + Number(n.dataset.rline);
      if (l <= line && l >= bestLine) {
        bestLine = l;
        bestTop = n.getBoundingClientRect().top + window.scrollY;
      }
    });
    const frac = (line - bestLine) / Math.max(1, end - bestLine);
    return bestTop + frac * (top + h - bestTop);
  }
  const next = blocks[idx + 1];
  if (!next) return top + h;
  const nextLine = Number(next.dataset.line);
  const frac = (line - end) / Math.max(1, nextLine - end);
  return top + h + frac * (blockTop(next) - (top + h));
}

function scrollToLine(line: number): void {
  const y = yOfLine(line);
  if (y === undefined) return;
  ignoreScrollUntil = performance.now() + 150;
  window.scrollTo(0, Math.max(0, y - toolbarHeight()));
}

let scrollPending = false;
window.addEventListener('scroll', () => {
  if (performance.now() < ignoreScrollUntil) return;
  editorLine = undefined; // the user scrolls the preview: stop pinning the editor's line
  if (scrollPending) return;
  scrollPending = true;
  requestAnimationFrame(() => {
    scrollPending = false;
    const line = lineAtTop();
    if (line !== undefined) {
      saveState(line);
      post({ type: 'didScroll', line });
    }
  });
});

// Formulas and images change height after fonts load; keep the editor's line at the top when they do.
const resizeObserver = new ResizeObserver(() => {
  if (editorLine !== undefined) scrollToLine(editorLine);
});
resizeObserver.observe(content);

// ---------------------------------------------------------------------------------------------------------------
// Messages

async function probe(id: number): Promise<PreviewProbe> {
  const first = content.querySelector('.mw-nearmiss');
  const imgs = Array.from(content.querySelectorAll('img'));
  await Promise.all(imgs.map((i) => i.decode().catch(() => undefined)));
  return {
    id,
    title: document.title,
    sentinel: (window as unknown as { __mwXss?: unknown }).__mwXss ?? null,
    sentinelElements: document.querySelectorAll('#mw-xss-sentinel').length,
    katexCount: content.querySelectorAll('.katex').length,
    formulaCount: content.querySelectorAll('.katex, .mw-mj').length,
    nearMissCount: content.querySelectorAll('.mw-nearmiss').length,
    checkCards: content.querySelectorAll('.mw-check').length,
    checkSvgs: content.querySelectorAll('.mw-check svg').length,
    checkStatuses: [...content.querySelectorAll('.mw-check-status')].map((e) => e.textContent ?? ''),
    mathjaxCount: content.querySelectorAll('.mw-mj-done mjx-container svg').length,
    pendingFormulas: content.querySelectorAll('.mw-mj:not(.mw-mj-done)').length,
    blockCount: content.children.length,
    scrollTop: window.scrollY,
    cspViolations,
    mode: info?.mode ?? 'github',
    firstNearMissText: first?.textContent ?? '',
    images: imgs.map((i) => ({ src: i.getAttribute('src')?.slice(0, 40) ?? '', naturalWidth: i.naturalWidth })),
    imagesNotShown: Array.from(content.querySelectorAll('.mw-img-blocked'), (e) => e.textContent ?? ''),
  };
}

/** Set when a failed render asked for a full render; cleared by the next good render (so it never loops). */
let resyncAfterError = false;

// Test requests travel on their own channel (src/shared/previewMessages.ts PreviewTestRequest).
window.addEventListener('message', (event: MessageEvent<PreviewTestRequest | { channel?: undefined }>) => {
  const m = event.data;
  if (m.channel === 'test' && m.type === 'probe') void probe(m.id).then((p) => postTest({ channel: 'test', type: 'probeResult', probe: p }));
});

window.addEventListener('message', (event: MessageEvent<ToPreviewMessage & { channel?: string }>) => {
  if (event.data.channel === 'test') return;
  try {
    handle(event.data);
  } catch (e) {
    // Never leave the host waiting: report the error; a failed render or update asks for a full render once.
    post({ type: 'error', message: describe(e) });
    const type = (event.data as { type?: string }).type;
    if ((type === 'render' || type === 'update') && !resyncAfterError) {
      resyncAfterError = true;
      version = -1;
      post({ type: 'resync' });
    }
  }
});

function handle(msg: ToPreviewMessage): void {
  switch (msg.type) {
    case 'render': {
      const anchorLine = msg.line ?? (info?.source === msg.info.source ? lineAtTop() : undefined);
      info = msg.info;
      renderToolbar();
      renderAll(msg.blocks);
      version = msg.version;
      if (anchorLine !== undefined) scrollToLine(anchorLine);
      saveState();
      resyncAfterError = false;
      post({ type: 'rendered', version, blockCount: msg.blocks.length, replaced: msg.blocks.length });
      break;
    }
    case 'update': {
      if (msg.baseVersion !== version) {
        post({ type: 'resync' });
        break;
      }
      const anchor = scrollAnchor();
      let replaced = 0;
      try {
        for (const s of msg.splices) replaced += applySplice(s);
      } catch {
        post({ type: 'resync' });
        break;
      }
      restoreAnchor(anchor);
      version = msg.version;
      post({ type: 'rendered', version, blockCount: content.children.length, replaced });
      break;
    }
    case 'info':
      info = msg.info;
      renderToolbar();
      saveState();
      break;
    case 'typeset': {
      for (const f of msg.formulas) typeset.set(f.key, f.html);
      const anchor = scrollAnchor();
      fillFormulas(content);
      restoreAnchor(anchor);
      break;
    }
    case 'scrollToLine':
      editorLine = msg.line;
      scrollToLine(msg.line);
      post({ type: 'didScrollTo', line: msg.line, scrollTop: window.scrollY });
      break;
  }
}

post({ type: 'ready' });
