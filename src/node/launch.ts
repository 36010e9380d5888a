// dist/launch.js: loads the CLI's bundles through V8's code cache (./codeCache.ts). bin/math-writeup.js calls
// `launch('cli.js')`; the CLI's MathJax worker thread starts this file with `workerData.bundle` naming its bundle,
// whose `startWorker(save)` gets the function that writes that bundle's cache entry once it has done its work.
import path from 'node:path';
import { isMainThread, workerData } from 'node:worker_threads';
import { requireCached } from './codeCache';

/** The exports of dist/<bundle> (loaded once per thread by Node's usual rules for the same file). */
export function launch<T = unknown>(bundle: string): T {
  return requireCached<T>(path.join(__dirname, bundle)).exports;
}

const data = workerData as { bundle?: unknown } | null | undefined;
if (!isMainThread && typeof data?.bundle === 'string' && /^[\w.-]+\.js$/.test(data.bundle)) {
  const loaded = requireCached<{ startWorker(save: () => void): void }>(path.join(__dirname, data.bundle), undefined, false);
  loaded.exports.startWorker(loaded.save);
}
