// A long writeup: diagnostics arrive, typing is not blocked by a running check, and the latency from the last
// keystroke to fresh diagnostics is measured and printed (a measurement, not an assertion).
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import type { DiagnosticsPublished, MathWriteupApi } from '../../../src/vscode/api';
import { closeAll, diagnosticsFor, EXT_ID, freshDoc, getApi, median, waitFor } from './helpers';

/** A deterministic writeup of at least `lines` lines from the shared corpus generator. */
function generatedWriteup(lines: number): string {
  const ext = vscode.extensions.getExtension(EXT_ID);
  assert.ok(ext);
  const gen = path.resolve(ext.extensionPath, '..', 'shared', 'bench', 'gen-math-doc.mjs');
  assert.ok(fs.existsSync(gen), `the corpus generator ${gen} (shared/ next to the repository) exists`);
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mw-gen-')), 'doc.md');
  const r = spawnSync(process.execPath, [gen, '--bytes', String(lines * 85), '--out', out], { encoding: 'utf8' });
  assert.strictEqual(r.status, 0, r.stderr);
  const text = fs.readFileSync(out, 'utf8');
  assert.ok(text.split('\n').length >= lines, `generated ${text.split('\n').length} lines`);
  return text;
}

/** A check that keeps the worker busy for seconds (the spectrum of a 600×600 Gram matrix). */
const SLOW_CHECK = [
  '',
  '```check',
  'title: Spectrum of a random Gram matrix',
  'given: A \\sim \\mathcal{N}(0,1)^{600\\times 600}',
  'let: H = A^\\top A + I',
  'claim: \\lambda_{\\min}(H) > 0',
  '```',
  '',
].join('\n');

suite('Responsiveness on a 5,000-line writeup', () => {
  let api: MathWriteupApi;
  suiteSetup(async () => {
    api = (await getApi()).api;
  });
  teardown(closeAll);

  test('diagnostics arrive; keystroke → fresh diagnostics latency is measured', async function () {
    this.timeout(120000);
    const { doc, editor } = await freshDoc('huge', generatedWriteup(5000));
    const first = await diagnosticsFor(api, doc, 60000);
    console.log(`[measure] ${doc.lineCount} lines: ${first.length} diagnostics on open`);
    const latencies: number[] = [];
    const lintTimes: number[] = [];
    const editTimes: number[] = [];
    const sinceChange: number[] = [];
    const linted: number[] = [];
    const carried: number[] = [];
    const phases: NonNullable<DiagnosticsPublished['phases']>[] = [];
    for (let i = 0; i < 12; i++) {
      const line = 100 + i * 300;
      const t0 = performance.now();
      assert.ok(await editor.edit((b) => b.insert(doc.lineAt(line).range.end, ' x')));
      editTimes.push(performance.now() - t0);
      const version = doc.version;
      const e = await waitFor(api.onDidPublishDiagnostics, (ev) => (ev.uri.toString() === doc.uri.toString() && ev.version >= version ? ev : undefined), `diagnostics v${version}`, 30000);
      latencies.push(performance.now() - t0);
      lintTimes.push(e.lintMs);
      // Measured by the extension: from the moment it received the edit to the published diagnostics.
      assert.equal(typeof e.sinceChangeMs, 'number', 'the publish event carries the keystroke → diagnostics time');
      sinceChange.push(e.sinceChangeMs ?? NaN);
      linted.push(e.lintedLines ?? NaN);
      carried.push(e.carriedFindings ?? NaN);
      if (e.phases) phases.push(e.phases);
    }
    const debounce = vscode.workspace.getConfiguration('mathWriteup').get<number>('lint.debounceMs');
    console.log(
      `[measure] ${doc.lineCount}-line writeup: last keystroke → fresh diagnostics median ${median(latencies).toFixed(0)} ms, ` +
        `max ${Math.max(...latencies).toFixed(0)} ms (debounce ${debounce} ms + lint median ${median(lintTimes).toFixed(0)} ms, ` +
        `max ${Math.max(...lintTimes).toFixed(0)} ms; the edit itself took median ${median(editTimes).toFixed(0)} ms to apply; ${latencies.length} samples)`,
    );
    console.log(
      `[measure] ${doc.lineCount}-line writeup, in the extension host: edit received → fresh diagnostics median ` +
        `${median(sinceChange).toFixed(0)} ms, max ${Math.max(...sinceChange).toFixed(0)} ms (debounce ${debounce} ms included); ` +
        `the incremental linter re-linted median ${median(linted).toFixed(0)} of ${doc.lineCount} lines, and the worker's answer ` +
        `carried median ${median(carried).toFixed(0)} of ${first.length} findings`,
    );
    if (phases.length > 0) {
      const m = (k: keyof (typeof phases)[number]): string => median(phases.map((p) => p[k])).toFixed(0);
      console.log(
        `[measure] where it went (medians): debounce timer + event loop ${m('waitMs')} ms, configuration ${m('prepareMs')} ms, ` +
          `lint worker round trip ${m('workerMs')} ms (of which waiting in the worker ${m('queuedMs')} ms, max ${Math.max(...phases.map((p) => p.queuedMs)).toFixed(0)} ms, linting ${median(lintTimes).toFixed(0)} ms), setting ${first.length}-odd diagnostics ${m('publishMs')} ms`,
      );
    }
    // Only the touched part of the document is linted again (the whole document would be thousands of lines).
    assert.ok(median(linted) < doc.lineCount / 4, `re-linted median ${median(linted)} lines`);
    // Only the findings near the edit cross from the worker (a delta), not all of them on every keystroke.
    assert.ok(median(carried) < first.length / 10, `carried median ${median(carried)} of ${first.length} findings`);
  });

  test('typing is not blocked by a running check', async function () {
    this.timeout(120000);
    const { doc, editor } = await freshDoc('busy', generatedWriteup(5000) + SLOW_CHECK);
    await diagnosticsFor(api, doc, 60000);
    const fence = doc.getText().split('\n').lastIndexOf('```check');
    const started = waitFor(api.onDidStartChecks, (e) => (e.uri.toString() === doc.uri.toString() ? e : undefined), 'check started');
    const run = vscode.commands.executeCommand<unknown>('mathWriteup.runCheck', doc.uri.toString(), fence);
    await started;
    const before = doc.version;
    // subscribed before the edit, so the publication cannot be missed
    const published = waitFor(api.onDidPublishDiagnostics, (e) => (e.uri.toString() === doc.uri.toString() && e.version > before ? e : undefined), 'diagnostics after the edit', 30000);
    const t0 = performance.now();
    assert.ok(await editor.edit((b) => b.insert(doc.lineAt(10).range.end, ' typed while checking')));
    await diagnosticsFor(api, doc, 30000);
    const ms = performance.now() - t0;
    const inHost = (await published).sinceChangeMs;
    const stillRunning = api.isChecking(doc.uri);
    console.log(
      `[measure] keystroke → fresh diagnostics while a check runs: ${ms.toFixed(0)} ms including the edit's round trip, ` +
        `${inHost === undefined ? 'n/a' : inHost.toFixed(0)} ms from the edit reaching the extension host (check still running: ${stillRunning})`,
    );
    assert.ok(stillRunning, 'the check was still running when the new diagnostics arrived');
    await vscode.commands.executeCommand('mathWriteup.cancelChecks', doc.uri.toString());
    assert.strictEqual(await run, undefined, 'a cancelled run yields no verdict');
    assert.strictEqual(api.isChecking(doc.uri), false);
  });
});
