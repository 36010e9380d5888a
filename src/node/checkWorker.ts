// Worker thread that runs ```check blocks with the engine (bundled to dist/checkWorker.js).
// Started by startChecks() in checkRunner.ts; speaks the protocol in checkProtocol.ts:
// plan → (start → progress* → result)* → done. The runner enforces the hard time limit and the memory limit
// from outside, so this file only has to run checks and report; an engine exception becomes an 'error' result
// for that check and the worker goes on with the next one.
import { parentPort, workerData } from 'node:worker_threads';
import { DEFAULT_SEED } from '../core/check/engine';
import { parseCheck, runCheckFence } from '../core/check/index';
import type { CheckResult } from '../core/check/types';
import { findCheckFences } from '../core/scan/fences';
import type { FenceBlock } from '../core/scan/types';
import { LineIndex } from '../core/text';
import { plannedErrorResult, type CheckWorkerData, type PlannedCheck, type WorkerToRunner } from './checkProtocol';

/** Minimum interval between two progress messages of one check (the engine may report far more often). */
const PROGRESS_INTERVAL_MS = 50;

function post(msg: WorkerToRunner): void {
  if (!parentPort) return;
  try {
    parentPort.postMessage(msg);
  } catch {
    // A value the structured clone cannot carry (a function, a symbol): send a JSON copy instead.
    parentPort.postMessage(JSON.parse(JSON.stringify(msg)) as WorkerToRunner);
  }
}

/** `key: value` of the first line with that key in a check block (title and expect are single-line keys). */
function keyValue(content: string, key: string): string | undefined {
  for (const raw of content.split(/\r\n|\r|\n/)) {
    const m = /^\s*([A-Za-z]+)\s*:(.*)$/.exec(raw);
    if (m && m[1].toLowerCase() === key) return m[2].trim();
  }
  return undefined;
}

function planOf(fence: FenceBlock, lines: LineIndex, seedOverride: number | undefined): PlannedCheck {
  const { check } = parseCheck(fence, lines);
  if (check) return { line: fence.line, title: check.title, expectFail: check.expectFail, seed: seedOverride ?? check.seed };
  // A block with errors: the engine reports them when it runs; the plan only needs a name for it.
  return {
    line: fence.line,
    title: keyValue(fence.content, 'title') ?? '',
    expectFail: (keyValue(fence.content, 'expect') ?? '').toLowerCase() === 'fail',
    seed: seedOverride ?? DEFAULT_SEED,
  };
}

function main(): void {
  const data = workerData as CheckWorkerData;
  const lines = new LineIndex(data.text);
  const fences = findCheckFences(data.text, lines);
  const byLine = new Map(fences.map((f) => [f.line, f]));

  let todo: number[];
  if (data.lines) todo = data.lines.filter((l) => byLine.has(l));
  else if (data.onlyLine !== undefined) todo = [data.onlyLine];
  else todo = fences.map((f) => f.line);

  const plan = todo.map((l) => {
    const fence = byLine.get(l);
    return fence ? planOf(fence, lines, data.seed) : { line: l, title: '', expectFail: false, seed: data.seed ?? DEFAULT_SEED };
  });
  post({ type: 'plan', checks: plan });

  for (const check of plan) {
    post({ type: 'start', line: check.line });
    const fence = byLine.get(check.line);
    if (!fence) {
      post({
        type: 'result',
        result: plannedErrorResult(lines, check, `no \`\`\`check block starts on line ${check.line + 1}`, 0),
      });
      continue;
    }
    let lastProgress = 0;
    const started = Date.now();
    let result: CheckResult;
    try {
      result = runCheckFence(fence, lines, {
        timeLimitMs: data.timeLimitMs,
        seed: data.seed,
        onProgress: (fraction, message) => {
          const now = Date.now();
          if (now - lastProgress < PROGRESS_INTERVAL_MS && fraction < 1) return;
          lastProgress = now;
          post({ type: 'progress', line: check.line, fraction, message });
        },
      });
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      result = plannedErrorResult(lines, check, `internal error in the check engine: ${why}`, Date.now() - started);
    }
    post({ type: 'result', result });
  }
  post({ type: 'done' });
}

if (parentPort) main();
