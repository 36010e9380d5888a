// Helpers for the integration tests: the extension's API, waiting on events (never sleeping), fresh documents,
// settings, and the harness bridge (webview DOM and screenshots) when running under code-server.
import * as assert from 'assert';
import * as vscode from 'vscode';
import type { DiagnosticsPublished, MathWriteupApi } from '../../../src/vscode/api';

export const EXT_ID = 'math-writeup.math-writeup';

/** VS Code's own timing of our activation, from the extension host's performance marks (when it has them). */
export interface VscodeActivationTimes {
  /** willLoadExtensionCode → didLoadExtensionCode: reading and evaluating dist/extension.js. */
  codeLoadingMs: number;
  /** willActivateExtension → didActivateExtension: activate() and the promise it returns. */
  activateMs: number;
  /**
   * willLoadExtensionCode → didActivateExtension, which also contains VS Code creating the extension context
   * (storage, secrets) beside the code loading. The Running Extensions view shows code loading + activate call.
   */
  totalMs: number;
}

/** The extension's recent log, appended to timeout errors so a failure says what the extension was doing. */
let logTail: ((n: number) => string[]) | undefined;

let apiPromise: Promise<{ api: MathWriteupApi; wallMs: number | undefined; vscodeTimes: VscodeActivationTimes | undefined }> | undefined;

/**
 * VS Code's extension host records performance marks around loading and activating each extension (the Running
 * Extensions view reports the same spans). They are internal: undefined when this VS Code does not expose them.
 */
function vscodeActivationTimes(): VscodeActivationTimes | undefined {
  const perf = (globalThis as { MonacoPerformanceMarks?: { getMarks?: () => { name: string; startTime: number }[] } }).MonacoPerformanceMarks;
  const marks = perf?.getMarks?.();
  if (!marks) return undefined;
  const at = (what: string): number | undefined => marks.find((m) => m.name === `code/extHost/${what}/${EXT_ID}`)?.startTime;
  const wl = at('willLoadExtensionCode');
  const dl = at('didLoadExtensionCode');
  const wa = at('willActivateExtension');
  const da = at('didActivateExtension');
  if (wl === undefined || dl === undefined || wa === undefined || da === undefined) return undefined;
  return { codeLoadingMs: dl - wl, activateMs: da - wa, totalMs: da - wl };
}

/** Activates the extension once; `wallMs` is the activation wall time when this call activated it. */
export function getApi(): Promise<{ api: MathWriteupApi; wallMs: number | undefined; vscodeTimes: VscodeActivationTimes | undefined }> {
  apiPromise ??= (async () => {
    const ext = vscode.extensions.getExtension<MathWriteupApi>(EXT_ID);
    assert.ok(ext, `extension ${EXT_ID} is loaded`);
    const wasActive = ext.isActive;
    const t0 = performance.now();
    const api = await ext.activate();
    logTail = (n) => api.recentLog(n);
    return { api, wallMs: wasActive ? undefined : performance.now() - t0, vscodeTimes: vscodeActivationTimes() };
  })();
  return apiPromise;
}

export function workspaceRoot(): vscode.Uri {
  const f = vscode.workspace.workspaceFolders?.[0];
  assert.ok(f, 'a workspace folder is open');
  return f.uri;
}

/**
 * Resolves with the first event value accepted by `pick`, or rejects after `timeoutMs` (a deadline, not a sleep:
 * the test goes on the moment the event arrives). `already` is checked first so an event that happened before the
 * subscription is not missed.
 */
export function waitFor<E, R>(
  event: vscode.Event<E>,
  pick: (e: E) => R | undefined,
  label: string,
  timeoutMs = 20000,
  already?: () => R | undefined,
): Promise<R> {
  return new Promise<R>((resolve, reject) => {
    let done = false;
    const finish = (fn: () => void) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      sub.dispose();
      fn();
    };
    const sub = event((e) => {
      try {
        const r = pick(e);
        if (r !== undefined) finish(() => resolve(r));
      } catch (err) {
        finish(() => reject(err));
      }
    });
    const timer = setTimeout(() => {
      const tail = logTail?.(40) ?? [];
      const context = tail.length > 0 ? `\n  the extension's log before the timeout:\n    ${tail.join('\n    ')}` : '';
      finish(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${label}${context}`)));
    }, timeoutMs);
    if (already) {
      const r = already();
      if (r !== undefined) finish(() => resolve(r));
    }
  });
}

/** Waits until the extension published diagnostics for the document's current version; returns ours. */
export async function diagnosticsFor(api: MathWriteupApi, doc: vscode.TextDocument, timeoutMs = 20000): Promise<vscode.Diagnostic[]> {
  const ours = () => vscode.languages.getDiagnostics(doc.uri).filter((d) => d.source === 'math-writeup');
  await waitFor<DiagnosticsPublished, true>(
    api.onDidPublishDiagnostics,
    (e) => (e.uri.toString() === doc.uri.toString() && e.version === doc.version ? true : undefined),
    `diagnostics of ${vscode.workspace.asRelativePath(doc.uri)} v${doc.version}`,
    timeoutMs,
    () => (api.publishedVersion(doc.uri) === doc.version ? true : undefined),
  );
  return ours();
}

/** Waits until VS Code's diagnostics for `uri` satisfy `ok` (onDidChangeDiagnostics, not polling). */
export function diagnosticsWhere(uri: vscode.Uri, ok: (d: vscode.Diagnostic[]) => boolean, label: string, timeoutMs = 20000): Promise<vscode.Diagnostic[]> {
  const get = () => vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'math-writeup');
  return waitFor(
    vscode.languages.onDidChangeDiagnostics,
    (e) => (e.uris.some((u) => u.toString() === uri.toString()) && ok(get()) ? get() : undefined),
    label,
    timeoutMs,
    () => (ok(get()) ? get() : undefined),
  );
}

let counter = 0;
/** Writes `content` to a new file of the workspace (a fresh copy per test) and opens it in an editor. */
export async function freshDoc(name: string, content: string): Promise<{ doc: vscode.TextDocument; editor: vscode.TextEditor }> {
  const base = name.replace(/\.md$/, '');
  const uri = vscode.Uri.joinPath(workspaceRoot(), 'scratch', `${base}-${++counter}.md`);
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(content));
  const doc = await vscode.workspace.openTextDocument(uri);
  const editor = await vscode.window.showTextDocument(doc, { preview: false });
  return { doc, editor };
}

export async function fixture(name: string): Promise<string> {
  const bytes = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(workspaceRoot(), name));
  return new TextDecoder().decode(bytes);
}

export async function setSetting(key: string, value: unknown, section = 'mathWriteup'): Promise<void> {
  await vscode.workspace.getConfiguration(section).update(key, value, vscode.ConfigurationTarget.Workspace);
}

export function summary(diags: readonly vscode.Diagnostic[]): string[] {
  return diags
    .map((d) => `${typeof d.code === 'object' ? d.code.value : d.code}@${d.range.start.line}:${d.range.start.character}`)
    .sort();
}

export const harness = process.env.VSCODE_TEST_HARNESS_URL;

async function bridge<T>(pathAndQuery: string): Promise<T> {
  const r = await fetch(`${harness}${pathAndQuery}`);
  const body = (await r.json()) as T & { error?: string };
  if (!r.ok) throw new Error(`harness ${pathAndQuery}: ${body.error ?? r.status}`);
  return body;
}

/** textContent of the first element matching `selector` in any frame of the workbench page (webviews included). */
export async function frameText(selector: string, timeoutMs = 10000): Promise<string> {
  const r = await bridge<{ text: string }>(`/frame-text?selector=${encodeURIComponent(selector)}&timeoutMs=${timeoutMs}`);
  return r.text;
}

export async function frameCount(selector: string, min = 0, timeoutMs = 10000): Promise<number> {
  const r = await bridge<{ count: number }>(`/frame-count?selector=${encodeURIComponent(selector)}&min=${min}&timeoutMs=${timeoutMs}`);
  return r.count;
}

/** Saves a screenshot of the whole workbench as <artifacts>/<name>.png; returns the file (undefined without harness). */
export async function screenshot(name: string): Promise<string | undefined> {
  if (!harness) return undefined;
  const r = await bridge<{ file: string }>(`/screenshot?name=${encodeURIComponent(name)}`);
  console.log(`screenshot: ${r.file}`);
  return r.file;
}

/** Closes every editor (so each test starts from a clean layout). */
export async function closeAll(): Promise<void> {
  await vscode.workspace.saveAll(false); // a dirty editor would ask "Save changes?" and block the run
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** A real mouse click (through the harness) on the first element matching `selector` in any frame. */
export async function frameClick(selector: string, timeoutMs = 10000): Promise<void> {
  await bridge<{ frameUrl: string }>(`/frame-click?selector=${encodeURIComponent(selector)}&timeoutMs=${timeoutMs}`);
}

/** The CodeLenses VS Code shows for `doc` (resolved), with their titles and commands. */
export async function codeLenses(doc: vscode.TextDocument): Promise<vscode.CodeLens[]> {
  return (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri, 100)) ?? [];
}
