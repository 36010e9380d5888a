// The CLI's MathJax worker thread (dist/validateWorker.js, started through dist/launch.js): GitHub's MathJax verdicts
// for lists of formulas, so that MathJax loads on the second core while the CLI's main thread reads, parses and
// lints. Each request gets one answer with the verdicts in request order; "close" ends the thread (after writing
// its code cache entry when it had none).
import { parentPort } from 'node:worker_threads';
import { GithubValidator } from '../core/tex/mathjax';
import type { FromValidateWorker, ToValidateWorker } from './validateClient';

export function startWorker(saveCodeCache: () => void = () => undefined): void {
  const port = parentPort;
  if (!port) return;
  // Start loading MathJax now: the first request is still being prepared by the main thread.
  const validator = new GithubValidator();
  const warm = validator.validate('x', false).catch(() => undefined);
  let queue: Promise<unknown> = warm;
  port.on('message', (m: ToValidateWorker) => {
    if (m.type === 'close') {
      void queue.then(() => {
        saveCodeCache();
        port.close();
      });
      return;
    }
    queue = queue.then(async () => {
      const answer: FromValidateWorker = { id: m.id, problems: [] };
      try {
        for (const f of m.formulas) answer.problems.push(await validator.validate(f.tex, f.display));
      } catch (e) {
        answer.problems = [];
        answer.error = e instanceof Error ? e.message : String(e);
      }
      port.postMessage(answer);
    });
  });
}
