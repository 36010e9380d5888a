import * as assert from 'node:assert';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { CheckResult } from '../../src/core/check/types';
import { startChecks, type CheckProgress } from '../../src/node/checkRunner';

const root = path.resolve(__dirname, '..', '..', '..');
const bundledWorker = path.join(root, 'dist', 'checkWorker.js');

// ------------------------------------------------------------------------------------------------
// Protocol-level tests with scripted workers: they pin down what the runner does when a worker hangs,
// crashes, runs out of memory or exits, independently of the engine.

/**
 * A scripted worker: announces checks on lines 0 and 5 (or the lines it is given) and behaves per line as
 * `behaviour` says: 'pass', 'hang' (busy loop), 'crash' (throws), 'oom' (allocates forever), 'exit' (exit code 3),
 * 'progress-hang' (reports progress, then busy-loops).
 */
function scriptedWorker(behaviour: Record<number, string>): string {
  return `
const { parentPort, workerData } = require('node:worker_threads');
const behaviour = ${JSON.stringify(behaviour)};
const lines = workerData.lines ?? (workerData.onlyLine !== undefined ? [workerData.onlyLine] : [0, 5]);
const plan = lines.map((line) => ({ line, title: 'check on line ' + line, expectFail: false }));
parentPort.postMessage({ type: 'plan', checks: plan });
for (const { line, title } of plan) {
  parentPort.postMessage({ type: 'start', line });
  const b = behaviour[line] ?? 'pass';
  if (b === 'hang') { for (;;) {} }
  if (b === 'crash') throw new Error('boom on line ' + line);
  if (b === 'oom') { const keep = []; for (;;) keep.push(new Array(1e5).fill({ line })); }
  if (b === 'typed-oom') { const keep = []; for (;;) keep.push(new Float64Array(8e6).fill(1)); }
  if (b === 'exit') process.exit(3);
  if (b === 'progress-hang') {
    parentPort.postMessage({ type: 'progress', line, fraction: 0.25, message: 'sweeping η' });
    for (;;) {}
  }
  parentPort.postMessage({ type: 'progress', line, fraction: 1, message: 'done' });
  parentPort.postMessage({ type: 'result', result: {
    line, title, status: 'pass', message: 'ok ' + workerData.timeLimitMs, values: { seed: workerData.seed ?? null },
    elapsedMs: 1, expectFail: false, seed: workerData.seed ?? 0, problems: [], plots: [] } });
}
parentPort.postMessage({ type: 'done' });
`;
}

const doc = ['```check', 'title: a', '```', '', '', '```check', 'title: b', '```', ''].join('\n');

describe('check runner (worker protocol)', () => {
  let dir: string;
  const worker = (name: string, behaviour: Record<number, string>): string => {
    const file = path.join(dir, `${name}.js`);
    writeFileSync(file, scriptedWorker(behaviour));
    return file;
  };

  before(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'mw-runner-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('returns the results in document order and forwards progress', async () => {
    const progress: CheckProgress[] = [];
    const run = startChecks(
      { text: doc, timeLimitMs: 1234, seed: 7 },
      { workerPath: worker('ok', {}), onProgress: (p) => progress.push(p) },
    );
    const results = await run.results;
    assert.deepStrictEqual(results.map((r) => [r.line, r.status]), [[0, 'pass'], [5, 'pass']]);
    assert.strictEqual(results[0].message, 'ok 1234', 'time limit passed to the worker');
    assert.deepStrictEqual(results[0].values, { seed: 7 }, 'seed passed to the worker');
    assert.deepStrictEqual(progress, [
      { line: 0, fraction: 1, message: 'done' },
      { line: 5, fraction: 1, message: 'done' },
    ]);
  });

  it('stops a check that exceeds its time limit and still runs the next one', async () => {
    const started = Date.now();
    const run = startChecks({ text: doc, timeLimitMs: 300 }, { workerPath: worker('hang', { 0: 'hang' }), graceMs: 200 });
    const results = await run.results;
    const wall = Date.now() - started;
    assert.strictEqual(results.length, 2);
    assert.strictEqual(results[0].status, 'error');
    assert.match(results[0].message, /time limit of 0\.3 s reached/);
    assert.ok(results[0].elapsedMs >= 300, `stopped after ${results[0].elapsedMs} ms`);
    assert.strictEqual(results[0].title, 'check on line 0');
    assert.deepStrictEqual(results[0].problems[0].range, { start: { line: 0, character: 0 }, end: { line: 0, character: 8 } });
    assert.strictEqual(results[1].status, 'pass', 'the other check ran in a fresh worker');
    assert.ok(wall < 15_000, `took ${wall} ms`);
  });

  it('cancel() stops a running check at once', async () => {
    const run = startChecks(
      { text: doc },
      {
        workerPath: worker('cancel', { 0: 'progress-hang' }),
        // cancel as soon as the check reports that it is running
        onProgress: () => run.cancel(),
      },
    );
    const results = await run.results;
    assert.deepStrictEqual(results.map((r) => [r.line, r.status, r.message]), [
      [0, 'error', 'cancelled'],
      [5, 'error', 'cancelled'],
    ]);
    run.cancel(); // a second cancel is harmless
  });

  it('cancel() before the worker has reported anything resolves without hanging', async () => {
    const run = startChecks({ text: doc, line: 5 }, { workerPath: worker('early', {}) });
    run.cancel();
    const results = await run.results;
    assert.deepStrictEqual(results.map((r) => [r.line, r.status, r.message]), [[5, 'error', 'cancelled']]);
  });

  it('turns a worker crash into an error result and goes on', async () => {
    const results = await startChecks({ text: doc }, { workerPath: worker('crash', { 0: 'crash' }) }).results;
    assert.strictEqual(results[0].status, 'error');
    assert.match(results[0].message, /the check worker crashed: boom on line 0/);
    assert.strictEqual(results[1].status, 'pass');
  });

  it('turns running out of memory into an error result without hurting the caller', async function () {
    this.timeout(60_000);
    const results = await startChecks(
      { text: doc, timeLimitMs: 30_000 },
      { workerPath: worker('oom', { 5: 'oom' }), maxMemoryMb: 48 },
    ).results;
    assert.strictEqual(results[0].status, 'pass');
    assert.strictEqual(results[1].status, 'error');
    assert.match(results[1].message, /out of memory/);
  });

  it('stops a check whose typed arrays (outside the JS heap) exceed the memory limit', async function () {
    this.timeout(60_000);
    const results = await startChecks(
      { text: doc, timeLimitMs: 30_000 },
      { workerPath: worker('typed-oom', { 0: 'typed-oom' }), maxMemoryMb: 256 },
    ).results;
    assert.strictEqual(results[0].status, 'error');
    assert.match(results[0].message, /out of memory/);
    assert.strictEqual(results[1].status, 'pass');
  });

  it('reports a worker that exits in the middle of a check', async () => {
    const results = await startChecks({ text: doc }, { workerPath: worker('exit', { 0: 'exit' }) }).results;
    assert.match(results[0].message, /exited unexpectedly \(exit code 3\)/);
    assert.strictEqual(results[1].status, 'pass');
  });

  it('reports a missing worker script instead of throwing', async () => {
    const results = await startChecks({ text: doc, line: 0 }, { workerPath: path.join(dir, 'nope.js') }).results;
    assert.strictEqual(results.length, 1);
    assert.strictEqual(results[0].status, 'error');
    assert.match(results[0].message, /check worker not found/);
  });
});

// ------------------------------------------------------------------------------------------------
// With the real engine, through the bundled worker (dist/checkWorker.js, built by scripts/build.mjs).

const gdDoc = [
  '# Scalar GD',
  '',
  '```check',
  'title: Scalar GD converges iff η < 1/σ²',
  'given: \\sigma = 2, y = 1, w_0 = 0',
  'iterate: w_{t+1} = w_t + 2\\eta\\sigma(y - \\sigma w_t)',
  'sweep: \\eta \\in [0.01, 0.5]',
  'claim: \\text{converges} \\iff \\eta < \\frac{1}{\\sigma^2}',
  'plot: |w_t - y/\\sigma|',
  '```',
  '',
  '```check',
  // Non-linear and noisy, so neither the spectral analysis nor the compiled scalar step can shortcut it: the
  // interpreter runs 5·10⁶ steps × 8 runs × the sweep (over a minute), far past any time limit used here.
  'title: a check that takes far too long',
  'given: w_0 = 0.5, \\xi_t \\sim \\mathcal{N}(0, 1)',
  'iterate: w_{t+1} = \\sin(w_t) + 0.1 \\xi_t',
  'steps: 5000000',
  'sweep: \\eta \\in [0.01, 0.2]',
  'claim: \\text{bounded}',
  '```',
  '',
].join('\n');

describe('check runner (bundled worker and engine)', function () {
  this.timeout(60_000);

  before(function () {
    if (!existsSync(path.join(root, 'src', 'core', 'check', 'index.ts'))) {
      throw new Error('the check engine (src/core/check/index.ts) is missing');
    }
    execFileSync(process.execPath, [path.join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: 'pipe' });
    assert.ok(existsSync(bundledWorker), 'dist/checkWorker.js was built');
  });

  it('passes a correct check', async () => {
    const progress: CheckProgress[] = [];
    const run = startChecks({ text: gdDoc, line: 2 }, { workerPath: bundledWorker, onProgress: (p) => progress.push(p) });
    const results: CheckResult[] = await run.results;
    assert.strictEqual(results.length, 1);
    assert.strictEqual(results[0].line, 2);
    assert.strictEqual(results[0].status, 'pass', results[0].message);
    assert.strictEqual(results[0].title, 'Scalar GD converges iff η < 1/σ²');
    assert.ok(progress.every((p) => p.line === 2 && p.fraction >= 0 && p.fraction <= 1));
  });

  it('ends a check that runs too long with a time-limit error', async () => {
    const started = Date.now();
    const results = await startChecks({ text: gdDoc, line: 11, timeLimitMs: 500 }, { workerPath: bundledWorker }).results;
    assert.strictEqual(results.length, 1);
    assert.strictEqual(results[0].status, 'error');
    assert.match(results[0].message, /time limit/);
    assert.ok(Date.now() - started < 20_000);
  });

  it('cancels a long check', async () => {
    let cancelledAt = 0;
    const run = startChecks(
      { text: gdDoc, line: 11, timeLimitMs: 30_000 },
      {
        workerPath: bundledWorker,
        onProgress: () => {
          cancelledAt ||= Date.now();
          run.cancel();
        },
      },
    );
    const results = await run.results;
    assert.deepStrictEqual(results.map((r) => [r.line, r.status, r.message]), [[11, 'error', 'cancelled']]);
    assert.ok(cancelledAt > 0, 'progress was reported before the cancel');
  });

  it('runs every check of a document in order', async () => {
    const results = await startChecks({ text: gdDoc, timeLimitMs: 500 }, { workerPath: bundledWorker }).results;
    assert.deepStrictEqual(results.map((r) => r.line), [2, 11]);
    assert.strictEqual(results[0].status, 'pass');
    assert.strictEqual(results[1].status, 'error');
  });

  it('says so when no check starts on the requested line', async () => {
    const results = await startChecks({ text: gdDoc, line: 4 }, { workerPath: bundledWorker }).results;
    assert.strictEqual(results.length, 1);
    assert.strictEqual(results[0].status, 'error');
    assert.match(results[0].message, /no ```check block starts on line 5/);
  });
});
