// Host side of the GitHub-MathJax worker: one lazily started worker thread, requests with cancellation, results
// handed to a callback batch by batch. A crashed worker fails the running request and is restarted on the next one.
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { TexProblem } from '../core/tex/types';
import type { FromTexWorker, TexFormula, ToTexWorker } from './texProtocol';

export function resolveTexWorkerPath(explicit?: string): string {
  if (explicit) return path.resolve(explicit);
  const candidates = [path.join(__dirname, 'texWorker.js'), path.join(__dirname, '..', '..', '..', 'dist', 'texWorker.js')];
  return candidates.find((p) => existsSync(p)) ?? candidates[0];
}

interface Request {
  onBatch(results: { tex: string; display: boolean; problems: TexProblem[] }[]): void;
  resolve(validated: number): void;
  reject(e: Error): void;
}

export class GithubTexValidator {
  #worker: Worker | undefined;
  #next = 1;
  readonly #requests = new Map<number, Request>();

  constructor(private readonly workerPath = resolveTexWorkerPath()) {}

  #start(): Worker {
    if (this.#worker) return this.#worker;
    const w = new Worker(this.workerPath, { resourceLimits: { maxOldGenerationSizeMb: 512 } });
    w.unref();
    w.on('message', (m: FromTexWorker) => {
      const r = this.#requests.get(m.id);
      if (!r) return;
      if (m.type === 'batch') r.onBatch(m.results);
      else if (m.type === 'done') {
        this.#requests.delete(m.id);
        r.resolve(m.validated);
      } else {
        this.#requests.delete(m.id);
        r.reject(new Error(m.message));
      }
    });
    const fail = (why: string): void => {
      if (this.#worker !== w) return;
      this.#worker = undefined;
      for (const [id, r] of this.#requests) {
        this.#requests.delete(id);
        r.reject(new Error(why));
      }
    };
    w.on('error', (e) => fail(`the MathJax worker crashed: ${e.message}`));
    w.on('exit', (code) => fail(`the MathJax worker exited (code ${code})`));
    this.#worker = w;
    return w;
  }

  /** Validate `formulas`; `onBatch` receives results as they come. `isCancelled` is polled between batches. */
  validate(
    formulas: TexFormula[],
    onBatch: (results: { tex: string; display: boolean; problems: TexProblem[] }[]) => void,
    isCancelled: () => boolean = () => false,
  ): Promise<number> {
    if (formulas.length === 0) return Promise.resolve(0);
    const w = this.#start();
    const id = this.#next++;
    return new Promise<number>((resolve, reject) => {
      this.#requests.set(id, {
        onBatch: (results) => {
          onBatch(results);
          if (isCancelled()) w.postMessage({ type: 'cancel', id } satisfies ToTexWorker);
        },
        resolve,
        reject,
      });
      w.postMessage({ type: 'validate', id, formulas } satisfies ToTexWorker);
    });
  }

  dispose(): void {
    const w = this.#worker;
    this.#worker = undefined;
    for (const [id, r] of this.#requests) {
      this.#requests.delete(id);
      r.resolve(0);
    }
    void w?.terminate();
  }
}
