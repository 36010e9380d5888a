// Main-thread side of the CLI's MathJax worker (./validateWorker.ts): `validate(formulas, validator)` stores GitHub's
// MathJax verdicts of the formulas the validator has not judged yet in that validator (`prime`), where the lint reads
// them, exactly as if they had been validated here. The worker is started by `start()` before the files are
// read, so MathJax loads in parallel. If the worker cannot start or fails, the formulas are validated in this thread
// (same verdicts, only slower).
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { TexProblem } from '../core/tex/types';
import type { GithubFormula } from '../core/lint/engine';
import type { GithubValidator } from '../core/tex/mathjax';

export type ToValidateWorker = { type: 'validate'; id: number; formulas: GithubFormula[] } | { type: 'close' };
export interface FromValidateWorker {
  id: number;
  problems: TexProblem[][];
  error?: string;
}

/** dist/launch.js next to the bundle (dist/cli.js), or from the compiled sources (out/src/node). */
export function resolveLaunchPath(): string | undefined {
  const candidates = [path.join(__dirname, 'launch.js'), path.join(__dirname, '..', '..', '..', 'dist', 'launch.js')];
  return candidates.find((p) => existsSync(p) && existsSync(path.join(path.dirname(p), 'validateWorker.js')));
}

/** Formulas per turn of either thread. */
const CHUNK = 8;

/**
 * Whether a MathJax worker pays off: MATH_WRITEUP_MATHJAX_WORKER=1 or 0 decides; otherwise only when a core is idle
 * (load average of the last minute at least one below the number of cores). On a busy machine a second thread only
 * adds its own start and a second MathJax load to the CPU time the process competes for.
 */
export function useMathjaxWorker(env: NodeJS.ProcessEnv = process.env, cores = os.availableParallelism(), load = os.loadavg()[0]): boolean {
  const set = env.MATH_WRITEUP_MATHJAX_WORKER;
  if (set === '1') return true;
  if (set === '0') return false;
  return cores >= 2 && load <= cores - 1;
}

export class ValidateClient {
  #worker: Worker | undefined;
  #failed = false;
  /** Whether the worker was given formulas (else it is stopped at once on close: nothing of it is worth waiting for). */
  #used = false;
  #next = 1;
  readonly #pending = new Map<number, { resolve(p: TexProblem[][]): void; reject(e: Error): void }>();

  constructor(private readonly launchPath: string | undefined = resolveLaunchPath()) {}

  /** Start the worker (and its MathJax) now; idempotent. */
  start(): void {
    if (this.#worker || this.#failed) return;
    if (!this.launchPath) {
      this.#failed = true;
      return;
    }
    try {
      const w = new Worker(this.launchPath, { workerData: { bundle: 'validateWorker.js' } });
      w.on('message', (m: FromValidateWorker) => {
        const p = this.#pending.get(m.id);
        if (!p) return;
        this.#pending.delete(m.id);
        if (m.error !== undefined) p.reject(new Error(m.error));
        else p.resolve(m.problems);
      });
      const fail = (e: Error): void => {
        this.#failed = true;
        this.#worker = undefined;
        for (const p of this.#pending.values()) p.reject(e);
        this.#pending.clear();
      };
      w.on('error', fail);
      w.on('exit', (code) => {
        if (this.#pending.size > 0) fail(new Error(`MathJax worker exited (${code})`));
        this.#worker = undefined;
      });
      this.#worker = w;
    } catch {
      this.#failed = true;
    }
  }

  /** Judge the formulas `validator` has no verdict for yet (each distinct formula once), into `validator`. */
  async validate(formulas: readonly GithubFormula[], validator: GithubValidator): Promise<void> {
    const seen = new Set<string>();
    const todo = formulas.filter((g) => {
      const key = (g.display ? 'D' : 'I') + g.tex;
      if (seen.has(key) || validator.verdict(g.tex, g.display) !== undefined) return false;
      seen.add(key);
      return true;
    });
    if (todo.length === 0) return;
    this.start();
    // Both threads take formulas from one queue, a few at a time: the worker (MathJax already loading there) and this
    // thread, which loads its own MathJax when formulas are still waiting. Every verdict is the same function of
    // its formula, whoever computes it.
    const queue = [...todo];
    const viaWorker = async (): Promise<void> => {
      while (this.#worker && queue.length > 0) {
        const chunk = queue.splice(0, CHUNK);
        try {
          const problems = await this.#send(this.#worker, chunk);
          chunk.forEach((g, i) => validator.prime(g.tex, g.display, problems[i]));
        } catch {
          queue.push(...chunk); // this thread takes them
          return;
        }
      }
    };
    const here = async (): Promise<void> => {
      // Let the worker's answers in (macrotasks) between this thread's chunks.
      while (queue.length > 0) {
        for (const g of queue.splice(0, CHUNK)) await validator.validate(g.tex, g.display);
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    };
    await Promise.all([viaWorker(), here()]);
    // formulas the worker gave back after the loop above ended
    await here();
  }

  #send(w: Worker, formulas: GithubFormula[]): Promise<TexProblem[][]> {
    this.#used = true;
    const id = this.#next++;
    return new Promise<TexProblem[][]>((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      w.postMessage({ type: 'validate', id, formulas } satisfies ToValidateWorker);
    });
  }

  /**
   * Let the worker finish (it writes its code cache entry first when it had none) and exit; a worker that was never
   * given formulas (files without math, all --cache hits) is stopped at once instead of finishing its MathJax load.
   */
  close(): void {
    const w = this.#worker;
    this.#worker = undefined;
    this.#failed = true;
    if (!w) return;
    if (this.#used) w.postMessage({ type: 'close' } satisfies ToValidateWorker);
    else void w.terminate();
  }
}
