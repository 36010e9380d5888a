// The extension host's side of the MathJax typeset worker: started on first use, one request per batch of
// formulas; answers are HTML for the preview's slots (GitHub's refusal text for a refused formula).
import { Worker } from 'node:worker_threads';
import type { FormulaRequest } from '../core/render/mathjaxFormulas';
import { typesetResultsHtml } from '../core/render/mathjaxTypeset';
import type { FromTypesetWorker, ToTypesetWorker } from './typesetProtocol';

export class TypesetWorkerClient {
  #worker: Worker | undefined;
  #next = 1;
  readonly #pending = new Map<number, { resolve(r: { key: string; html: string }[]): void; reject(e: Error): void; formulas: FormulaRequest[] }>();

  constructor(private readonly workerPath: string) {}

  #start(): Worker {
    if (this.#worker) return this.#worker;
    const w = new Worker(this.workerPath);
    w.unref();
    w.on('message', (m: FromTypesetWorker) => {
      const p = this.#pending.get(m.id);
      if (!p) return;
      this.#pending.delete(m.id);
      p.resolve(typesetResultsHtml(p.formulas, m.results));
    });
    const fail = (why: string): void => {
      if (this.#worker !== w) return;
      this.#worker = undefined;
      for (const [id, p] of this.#pending) {
        this.#pending.delete(id);
        p.reject(new Error(why));
      }
    };
    w.on('error', (e) => fail(`the typeset worker crashed: ${e.message}`));
    w.on('exit', (code) => fail(`the typeset worker exited (code ${code})`));
    this.#worker = w;
    return w;
  }

  /** HTML for each formula (the order of the answer is the order of the request). */
  typeset(formulas: FormulaRequest[]): Promise<{ key: string; html: string }[]> {
    if (formulas.length === 0) return Promise.resolve([]);
    const id = this.#next++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject, formulas });
      this.#start().postMessage({ id, formulas } satisfies ToTypesetWorker);
    });
  }

  dispose(): void {
    const w = this.#worker;
    this.#worker = undefined;
    for (const p of this.#pending.values()) p.reject(new Error('the typeset worker was stopped'));
    this.#pending.clear();
    void w?.terminate();
  }
}
