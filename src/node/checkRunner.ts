// Runs the ```check blocks of a document off the calling thread, in a worker (dist/checkWorker.js).
//
// Guarantees to the caller (CLI, VS Code CodeLens): the returned promise always resolves — never rejects, never
// hangs — with one result per check, in document order:
// - a check running longer than its time limit plus a grace period is stopped by terminating the worker
//   ('error', "time limit of … reached");
// - cancel() terminates the worker at once (running and not yet started checks: 'error', "cancelled");
// - a worker crash or a worker running out of memory (resourceLimits) becomes an 'error' result for the check that
//   was running; the remaining checks then run in a fresh worker.
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { CheckResult } from '../core/check/types';
import { LineIndex } from '../core/text';
import { plannedErrorResult, type CheckWorkerData, type PlannedCheck, type WorkerToRunner } from './checkProtocol';

export interface RunChecksRequest {
  /** The whole Markdown document. */
  text: string;
  /** Run only the check whose opening fence is on this 0-based line. */
  line?: number;
  /** Time limit per check in ms (default 10 000). */
  timeLimitMs?: number;
  /** Override every block's seed. */
  seed?: number;
}

export interface CheckProgress {
  /** 0-based line of the check's opening fence. */
  line: number;
  /** In [0, 1]. */
  fraction: number;
  message: string;
}

export interface StartChecksOptions {
  onProgress?(p: CheckProgress): void;
  /** Path of the worker script; by default `checkWorker.js` next to the running bundle. */
  workerPath?: string;
  /**
   * Memory a check may use, in MB (default 2048): the worker's JS heap limit (resourceLimits), and the growth of
   * the process's resident memory while the check runs (matrices live in typed arrays outside the JS heap).
   */
  maxMemoryMb?: number;
  /** Extra time granted after the time limit before the worker is terminated; default 20% of it, 0.5–3 s. */
  graceMs?: number;
}

export interface CheckRunHandle {
  results: Promise<CheckResult[]>;
  cancel(): void;
}

export const DEFAULT_TIME_LIMIT_MS = 10_000;
const DEFAULT_MAX_MEMORY_MB = 2048;
/** Time a worker may take to start and find the checks of a document. */
const STARTUP_LIMIT_MS = 15_000;
/** How often the resident memory of the process is sampled while a check runs. */
const MEMORY_POLL_MS = 100;

/** Where the worker script is: an explicit path, else next to this bundle (dist/ or out/src/node/). */
export function resolveCheckWorkerPath(explicit?: string): string {
  if (explicit) return path.resolve(explicit);
  const candidates = [
    path.join(__dirname, 'checkWorker.js'),
    // running from tsc output (out/src/node) while the bundle exists
    path.join(__dirname, '..', '..', '..', 'dist', 'checkWorker.js'),
  ];
  return candidates.find((p) => existsSync(p)) ?? candidates[0];
}

function seconds(ms: number): string {
  const s = ms / 1000;
  return `${Number.isInteger(s) ? s : s.toFixed(1)} s`;
}

export function startChecks(req: RunChecksRequest, opts: StartChecksOptions = {}): CheckRunHandle {
  const limitMs = req.timeLimitMs !== undefined && req.timeLimitMs > 0 ? req.timeLimitMs : DEFAULT_TIME_LIMIT_MS;
  const graceMs = opts.graceMs ?? Math.min(3000, Math.max(500, limitMs * 0.2));
  const maxMemoryMb = opts.maxMemoryMb ?? DEFAULT_MAX_MEMORY_MB;
  const workerPath = resolveCheckWorkerPath(opts.workerPath);
  let lineIndex: LineIndex | undefined;

  let plan: PlannedCheck[] | undefined;
  const results = new Map<number, CheckResult>();
  let current: { line: number; started: number } | undefined;
  let worker: Worker | undefined;
  let timer: NodeJS.Timeout | undefined;
  let memoryPoll: NodeJS.Timeout | undefined;
  let settled = false;
  let resolvePromise!: (r: CheckResult[]) => void;
  const promise = new Promise<CheckResult[]>((resolve) => {
    resolvePromise = resolve;
  });

  const planned = (line: number): PlannedCheck =>
    plan?.find((c) => c.line === line) ?? { line, title: '', expectFail: false, seed: req.seed ?? 0 };

  const errorResult = (check: PlannedCheck, message: string, elapsedMs: number): CheckResult => {
    lineIndex ??= new LineIndex(req.text);
    const seed = Number.isFinite(check.seed) ? check.seed : (req.seed ?? 0);
    return plannedErrorResult(lineIndex, { ...check, seed }, message, elapsedMs);
  };

  const outOfMemory = `out of memory: the check needed more than the ${maxMemoryMb} MB allowed`;
  const clearTimer = (): void => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (memoryPoll) clearInterval(memoryPoll);
    memoryPoll = undefined;
  };
  /** Stops the check when the process grows by more than the memory limit while it runs. */
  const watchMemory = (): void => {
    const baseline = process.memoryUsage.rss();
    memoryPoll = setInterval(() => {
      if (process.memoryUsage.rss() - baseline > maxMemoryMb * 1024 * 1024) fail(outOfMemory);
    }, MEMORY_POLL_MS);
  };
  const arm = (ms: number, onExpiry: () => void): void => {
    clearTimer();
    timer = setTimeout(onExpiry, ms);
  };

  const stopWorker = (): void => {
    const w = worker;
    worker = undefined;
    if (w) {
      w.removeAllListeners();
      // Swallow late events of a terminated worker (an 'error' without a listener would be thrown).
      w.on('error', () => undefined);
      void w.terminate().catch(() => undefined);
    }
  };

  const remaining = (): number[] => (plan ?? []).map((c) => c.line).filter((l) => !results.has(l));

  const finish = (): void => {
    if (settled) return;
    settled = true;
    clearTimer();
    stopWorker();
    const ordered = (plan ?? []).map((c) => results.get(c.line)).filter((r): r is CheckResult => r !== undefined);
    resolvePromise(ordered);
  };

  /** The worker can no longer be used: blame the running check (or the next one), then go on with the rest. */
  const fail = (reason: string): void => {
    if (settled) return;
    clearTimer();
    stopWorker();
    if (!plan) {
      // Nothing is known about the document's checks: one result says what went wrong.
      plan = [{ line: req.line ?? 0, title: '', expectFail: false, seed: req.seed ?? 0 }];
    }
    const victim = current?.line ?? remaining()[0];
    if (victim !== undefined) {
      const elapsed = current ? Date.now() - current.started : 0;
      results.set(victim, errorResult(planned(victim), reason, elapsed));
    }
    current = undefined;
    const rest = remaining();
    if (rest.length === 0) finish();
    else spawn({ text: req.text, lines: rest, timeLimitMs: limitMs, seed: req.seed });
  };

  const onMessage = (msg: WorkerToRunner): void => {
    if (settled) return;
    switch (msg.type) {
      case 'plan':
        plan ??= msg.checks;
        if (plan.length === 0) finish();
        else clearTimer();
        break;
      case 'start':
        current = { line: msg.line, started: Date.now() };
        arm(limitMs + graceMs, () =>
          fail(`time limit of ${seconds(limitMs)} reached; the check was stopped`),
        );
        watchMemory();
        break;
      case 'progress':
        if (opts.onProgress) {
          try {
            opts.onProgress({ line: msg.line, fraction: msg.fraction, message: msg.message });
          } catch {
            // a failing progress listener must not break the run
          }
        }
        break;
      case 'result':
        clearTimer();
        results.set(msg.result.line, msg.result);
        current = undefined;
        break;
      case 'done':
        current = undefined;
        if (remaining().length === 0) finish();
        else fail('the check worker stopped before running this check');
        break;
    }
  };

  function spawn(data: CheckWorkerData): void {
    if (!existsSync(workerPath)) {
      fail(`check worker not found at ${workerPath} (build it with \`npm run build\`)`);
      return;
    }
    let w: Worker;
    try {
      w = new Worker(workerPath, {
        workerData: data,
        resourceLimits: { maxOldGenerationSizeMb: maxMemoryMb },
        stdout: false,
        stderr: false,
      });
    } catch (e) {
      fail(`could not start the check worker: ${e instanceof Error ? e.message : String(e)}`);
      return;
    }
    worker = w;
    w.on('message', (msg: WorkerToRunner) => {
      if (worker === w) onMessage(msg);
    });
    // An 'error' can arrive before the messages the worker posted just before it died (its plan, its results):
    // remember the reason and decide on 'exit', after those messages have been delivered.
    let crash: string | undefined;
    w.on('error', (err: Error & { code?: string }) => {
      if (worker !== w) return;
      crash = err.code === 'ERR_WORKER_OUT_OF_MEMORY' || /allocation failed|out of memory/i.test(err.message)
        ? outOfMemory
        : `the check worker crashed: ${err.message}`;
    });
    w.on('exit', (code) => {
      if (worker !== w) return;
      setImmediate(() => {
        if (worker === w) fail(crash ?? `the check worker exited unexpectedly (exit code ${code})`);
      });
    });
    arm(STARTUP_LIMIT_MS + limitMs, () => fail('the check worker did not start in time'));
  }

  const cancel = (): void => {
    if (settled) return;
    stopWorker();
    if (!plan) plan = req.line !== undefined ? [{ line: req.line, title: '', expectFail: false, seed: req.seed ?? 0 }] : [];
    const now = Date.now();
    for (const line of remaining()) {
      const elapsed = current && current.line === line ? now - current.started : 0;
      results.set(line, errorResult(planned(line), 'cancelled', elapsed));
    }
    finish();
  };

  spawn({ text: req.text, onlyLine: req.line, timeLimitMs: limitMs, seed: req.seed });
  return { results: promise, cancel };
}
