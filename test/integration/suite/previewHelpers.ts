// Shared by the preview integration tests: the preview test API, waiting for renders, keeping screenshots.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { PreviewTestApi } from '../../../src/vscode/preview/index';
import type { PreviewRenderedEvent } from '../../../src/vscode/preview/panel';
import { EXT_ID, getApi, screenshot, waitFor } from './helpers';

export async function previewApi(): Promise<PreviewTestApi> {
  const { api } = await getApi();
  const preview = (api as unknown as { preview?: PreviewTestApi }).preview;
  assert.ok(preview, 'the extension API exposes the preview test API as `preview`');
  return preview;
}

/** Waits for the webview to apply a render of `doc` that satisfies `ok`. */
export function rendered(
  preview: PreviewTestApi,
  doc: vscode.TextDocument,
  ok: (e: PreviewRenderedEvent) => boolean,
  label: string,
  timeoutMs = 30000,
): Promise<PreviewRenderedEvent> {
  return waitFor(preview.onDidRender, (e) => (e.source === doc.uri.toString() && ok(e) ? e : undefined), label, timeoutMs);
}

/** Keeps a harness screenshot as a test artifact and as the README image media/screenshots/<name>.png. */
export async function keepScreenshot(name: string): Promise<void> {
  const file = await screenshot(name);
  if (!file) return;
  const ext = vscode.extensions.getExtension(EXT_ID);
  assert.ok(ext);
  const dir = path.join(ext.extensionPath, 'media', 'screenshots');
  fs.mkdirSync(dir, { recursive: true });
  fs.copyFileSync(file, path.join(dir, `${name}.png`));
}


/**
 * GitHub mode typesets in a worker and fills the page's slots when MathJax's answer arrives: probes the page
 * until no formula waits any more (a deadline, not a sleep) and returns that probe.
 */
export async function typesetSettled(preview: PreviewTestApi, timeoutMs = 30000): Promise<import('../../../src/shared/previewMessages').PreviewProbe> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const p = await preview.probe();
    if (p.pendingFormulas === 0) return p;
    if (Date.now() > deadline) throw new Error(`${p.pendingFormulas} formulas still wait for MathJax after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
