// Worker thread that validates formulas with MathJax configured like GitHub, off the extension host's thread.
// Results are sent back in batches so the host can use them (and re-lint) as they arrive.
import { parentPort } from 'node:worker_threads';
import { validateGithub } from '../core/tex/mathjax';
import type { FromTexWorker, ToTexWorker } from './texProtocol';

const BATCH = 25;
const cancelled = new Set<number>();
let queue: Promise<void> = Promise.resolve();

function post(m: FromTexWorker): void {
  parentPort?.postMessage(m);
}

async function validate(id: number, formulas: { tex: string; display: boolean }[]): Promise<void> {
  let batch: { tex: string; display: boolean; problems: Awaited<ReturnType<typeof validateGithub>> }[] = [];
  let n = 0;
  for (const f of formulas) {
    if (cancelled.has(id)) break;
    batch.push({ ...f, problems: await validateGithub(f.tex, f.display) });
    n++;
    if (batch.length >= BATCH) {
      post({ type: 'batch', id, results: batch });
      batch = [];
      // Let a cancel message in between batches.
      await new Promise<void>((r) => setImmediate(r));
    }
  }
  if (batch.length) post({ type: 'batch', id, results: batch });
  cancelled.delete(id);
  post({ type: 'done', id, validated: n });
}

parentPort?.on('message', (m: ToTexWorker) => {
  if (m.type === 'cancel') {
    cancelled.add(m.id);
    return;
  }
  queue = queue
    .then(() => validate(m.id, m.formulas))
    .catch((e: unknown) => post({ type: 'failed', id: m.id, message: e instanceof Error ? e.message : String(e) }));
});
