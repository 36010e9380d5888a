// Host side of the lint worker: one lazily started worker thread; `lint` resolves with the fast findings and calls
// `onMathjax` later if GitHub's MathJax adds findings. A crashed worker rejects the pending requests and is
// started again on the next request.
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { LintConfig } from '../core/lint/types';
import type { Finding } from '../core/types';
import type { FromLintWorker, ToLintWorker } from './lintProtocol';
import type { IncrementalLintStats } from '../core/lint/incremental';

/** A request was dropped because a newer version of the same document was sent meanwhile. */
export class SupersededError extends Error {
  constructor() {
    super('superseded by a newer version of the document');
    this.name = 'SupersededError';
  }
}

export function resolveLintWorkerPath(explicit?: string): string {
  if (explicit) return path.resolve(explicit);
  const candidates = [path.join(__dirname, 'lintWorker.js'), path.join(__dirname, '..', '..', '..', 'dist', 'lintWorker.js')];
  return candidates.find((p) => existsSync(p)) ?? candidates[0];
}

/** The fast answer to a lint request: findings, time in the worker, and what the incremental linter re-linted. */
export interface LintAnswer {
  findings: Finding[];
  lintMs: number;
  /** Time the request waited in the worker before its lint started. */
  queuedMs: number;
  stats: IncrementalLintStats;
}

interface Pending {
  resolve(r: LintAnswer): void;
  reject(e: Error): void;
  onMathjax?: (findings: Finding[]) => void;
  answered: boolean;
  key: string;
}

export class LintWorkerClient {
  #worker: Worker | undefined;
  #next = 1;
  readonly #pending = new Map<number, Pending>();
  /** Per document: the request the worker is linting now (fast answer not yet received). */
  readonly #inflight = new Map<string, number>();
  /** Per document: the newest request waiting for the one in flight (older waiting ones are superseded). */
  readonly #waiting = new Map<string, ToLintWorker>();

  constructor(private readonly workerPath = resolveLintWorkerPath()) {}

  #start(): Worker {
    if (this.#worker) return this.#worker;
    const w = new Worker(this.workerPath, { resourceLimits: { maxOldGenerationSizeMb: 1024 } });
    w.unref();
    w.on('message', (m: FromLintWorker) => {
      const p = this.#pending.get(m.id);
      if (!p) return;
      if (m.type === 'superseded' || m.type === 'failed' || m.phase === 'fast') this.#sendNext(p.key, m.id);
      if (m.type === 'superseded') {
        this.#pending.delete(m.id);
        p.reject(new SupersededError());
        return;
      }
      if (m.type === 'failed') {
        this.#pending.delete(m.id);
        if (!p.answered) p.reject(new Error(m.message));
        return;
      }
      if (m.phase === 'fast') {
        p.answered = true;
        p.resolve({ findings: m.findings, lintMs: m.lintMs, queuedMs: m.queuedMs, stats: m.stats });
        if (!p.onMathjax) this.#pending.delete(m.id);
      } else {
        this.#pending.delete(m.id);
        p.onMathjax?.(m.findings);
      }
    });
    const fail = (why: string): void => {
      if (this.#worker !== w) return;
      this.#worker = undefined;
      this.#inflight.clear();
      this.#waiting.clear();
      for (const [id, p] of this.#pending) {
        this.#pending.delete(id);
        if (!p.answered) p.reject(new Error(why));
      }
    };
    w.on('error', (e) => fail(`the lint worker crashed: ${e.message}`));
    w.on('exit', (code) => fail(`the lint worker exited (code ${code})`));
    this.#worker = w;
    return w;
  }

  /** The request `done` of document `key` got its fast answer: send the newest waiting one, if any. */
  #sendNext(key: string, done: number): void {
    if (this.#inflight.get(key) !== done) return;
    this.#inflight.delete(key);
    const next = this.#waiting.get(key);
    if (!next || !this.#worker) return;
    this.#waiting.delete(key);
    this.#inflight.set(key, next.id);
    this.#worker.postMessage(next);
  }

  /**
   * Lint `text` (document `key`). Resolves with the fast findings; `onMathjax` receives the complete findings if
   * GitHub's MathJax pass adds any (not called when a newer request for the same key arrived meanwhile). While the
   * worker lints a document, only the newest further request for it waits; older waiting ones reject with
   * SupersededError, so the worker never lints a version nobody will look at.
   */
  lint(key: string, text: string, config: Partial<LintConfig>, onMathjax?: (findings: Finding[]) => void): Promise<LintAnswer> {
    const w = this.#start();
    const id = this.#next++;
    for (const [old, p] of this.#pending) if (p.key === key && p.answered) this.#pending.delete(old);
    const req: ToLintWorker = { type: 'lint', id, key, text, config, mathjax: onMathjax !== undefined };
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject, onMathjax, answered: false, key });
      if (this.#inflight.has(key)) {
        const older = this.#waiting.get(key);
        if (older) {
          const p = this.#pending.get(older.id);
          this.#pending.delete(older.id);
          p?.reject(new SupersededError());
        }
        this.#waiting.set(key, req);
      } else {
        this.#inflight.set(key, id);
        w.postMessage(req);
      }
    });
  }

  dispose(): void {
    const w = this.#worker;
    this.#worker = undefined;
    this.#inflight.clear();
    this.#waiting.clear();
    for (const [id, p] of this.#pending) {
      this.#pending.delete(id);
      if (!p.answered) p.reject(new Error('the lint worker was stopped'));
    }
    void w?.terminate();
  }
}
