// Host side of the lint worker: one lazily started worker thread; `lint` resolves with the fast findings and calls
// `onMathjax` later if GitHub's MathJax adds findings. A crashed worker rejects the pending requests and is
// started again on the next request.
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { LintConfig } from '../core/lint/types';
import type { Finding } from '../core/types';
import { applyFindingsDelta, carriedFindings } from '../core/lint/findingsDelta';
import type { FromLintWorker, LintRequest, ToLintWorker } from './lintProtocol';
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
  /** Findings the worker's message carried: all of them, or only the changed ones of a delta. */
  carried: number;
}

interface Pending {
  resolve(r: LintAnswer): void;
  reject(e: Error): void;
  onMathjax?: (findings: Finding[]) => void;
  answered: boolean;
  key: string;
  req: LintRequest;
}

export class LintWorkerClient {
  #worker: Worker | undefined;
  #next = 1;
  readonly #pending = new Map<number, Pending>();
  /** Per document: the request the worker is linting now (fast answer not yet received). */
  readonly #inflight = new Map<string, number>();
  /** Per document: the newest request waiting for the one in flight (older waiting ones are superseded). */
  readonly #waiting = new Map<string, LintRequest>();
  /** Per request key: the findings of the worker's last message and its `seq` (the base of the next delta). */
  readonly #bases = new Map<string, { seq: number; findings: Finding[] }>();

  constructor(private readonly workerPath = resolveLintWorkerPath()) {}

  #start(): Worker {
    if (this.#worker) return this.#worker;
    const w = new Worker(this.workerPath, { resourceLimits: { maxOldGenerationSizeMb: 1024 } });
    w.unref();
    this.#bases.clear();
    w.on('message', (m: FromLintWorker) => {
      if (this.#worker !== w) return;
      // Every findings message moves the base, also one whose request nobody waits for any more.
      const findings = m.type === 'findings' ? this.#receive(m) : undefined;
      const p = this.#pending.get(m.id);
      if (!p) return;
      if (m.type === 'findings' && !findings) {
        // The delta was made for findings this side no longer has (the document was forgotten meanwhile): ask for
        // the findings in full. Only the fast answer is asked again; a lost MathJax answer comes with the next edit.
        if (m.phase === 'fast') {
          w.postMessage({ type: 'forget', key: p.key } satisfies ToLintWorker);
          w.postMessage(p.req);
        } else {
          this.#pending.delete(m.id);
        }
        return;
      }
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
        const carried = 'findings' in m ? m.findings.length : carriedFindings(m.delta);
        p.resolve({ findings: findings ?? [], lintMs: m.lintMs, queuedMs: m.queuedMs, stats: m.stats, carried });
        if (!p.onMathjax) this.#pending.delete(m.id);
      } else {
        this.#pending.delete(m.id);
        if (findings) p.onMathjax?.(findings);
      }
    });
    const fail = (why: string): void => {
      if (this.#worker === w) this.#forget(why);
    };
    w.on('error', (e) => fail(`the lint worker crashed: ${e.message}`));
    w.on('exit', (code) => fail(`the lint worker exited (code ${code})`));
    this.#worker = w;
    return w;
  }

  /** The findings a message carries, in full or applied to the base; undefined when the base is not the delta's. */
  #receive(m: Extract<FromLintWorker, { type: 'findings' }>): Finding[] | undefined {
    let findings: Finding[];
    if ('findings' in m) {
      findings = m.findings;
    } else {
      const base = this.#bases.get(m.key);
      if (!base || base.seq !== m.baseSeq) {
        this.#bases.delete(m.key);
        return undefined;
      }
      findings = applyFindingsDelta(base.findings, m.delta);
    }
    this.#bases.set(m.key, { seq: m.seq, findings });
    return findings;
  }

  /** The document `key` was closed: both sides drop what they kept for it (its linter, the last findings). */
  forget(key: string): void {
    for (const k of [key, `${key}#direct`]) {
      if (!this.#bases.delete(k)) continue;
      this.#worker?.postMessage({ type: 'forget', key: k } satisfies ToLintWorker);
    }
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
    const req: LintRequest = { type: 'lint', id, key, text, config, mathjax: onMathjax !== undefined };
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject, onMathjax, answered: false, key, req });
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

  /** Drops the worker and everything it was doing; requests still unanswered fail with `why`. */
  #forget(why: string): void {
    this.#worker = undefined;
    this.#inflight.clear();
    this.#waiting.clear();
    this.#bases.clear();
    for (const [id, p] of this.#pending) {
      this.#pending.delete(id);
      if (!p.answered) p.reject(new Error(why));
    }
  }

  dispose(): void {
    const w = this.#worker;
    this.#forget('the lint worker was stopped');
    void w?.terminate();
  }
}
