// Pathological inputs: lint and `fixAll` must finish. Each case runs in a worker thread that is terminated at a hard
// limit, so a runaway regular expression or loop fails its test instead of hanging the suite. The limit is generous
// (this is not a performance test, see `npm run bench`): only a hang or a blow-up reaches it.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';

const HARD_LIMIT_MS = 30000;
const engine = path.resolve(__dirname, '../../src/core/lint/engine.js');
const edits = path.resolve(__dirname, '../../src/core/lint/edits.js');

const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { lintText } = require(workerData.engine);
const { fixAll } = require(workerData.edits);
const findings = lintText(workerData.text);
const bad = findings.filter((f) => !(f.start >= 0 && f.start <= f.end && f.end <= workerData.text.length) || /failed on this document|could not scan/.test(f.message));
const fixed = fixAll(workerData.text, (t) => lintText(t));
parentPort.postMessage({ findings: findings.length, bad: bad.map((f) => f.ruleId + ' ' + f.message), fixed: typeof fixed.text });
`;

/** Lint and fix `text` in a worker; rejects when the worker runs past `limit` (and terminates it). */
function lintInWorker(text: string, limit = HARD_LIMIT_MS, script = WORKER): Promise<{ findings: number; bad: string[]; fixed: string }> {
  return new Promise((resolve, reject) => {
    const w = new Worker(script, { eval: true, workerData: { text, engine, edits } });
    const timer = setTimeout(() => {
      void w.terminate();
      reject(new Error(`still running after ${limit} ms: terminated`));
    }, limit);
    w.once('message', (m: { findings: number; bad: string[]; fixed: string }) => {
      clearTimeout(timer);
      void w.terminate();
      resolve(m);
    });
    w.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });
}

describe('pathological inputs finish (hard time limit, worker thread)', function () {
  this.timeout(HARD_LIMIT_MS + 10000);
  const cases: [string, string][] = [
    ['100,000 dollars', '$'.repeat(100000)],
    ['dollar-letter pairs', '$a'.repeat(50000)],
    ['emphasis nested 10,000 deep', '*'.repeat(10000) + 'a' + '*'.repeat(10000)],
    ['10,000 open brackets', '['.repeat(10000)],
    ['10,000 backslashes before a dollar', '\\'.repeat(10000) + '$x$'],
    ['20,000 lines of display delimiters', '$$\n'.repeat(20000)],
    ['10,000 blockquote levels', '>'.repeat(10000) + ' $x$'],
    // markdown-it 14.1.0's linkify trimmed trailing `*` with /\*+$/: quadratic on this (GHSA-38c4-r59v-3vqw).
    ['a link followed by 70,000 stars (markdown-it linkify ReDoS)', `http://example.com/${'*'.repeat(70000)}a`],
    ['many unclosed `$$` between paragraphs', 'Text\n\n$$x\n\n'.repeat(3000)],
  ];
  for (const [label, text] of cases) {
    it(label, async () => {
      const r = await lintInWorker(text);
      assert.deepEqual(r.bad, []);
      assert.equal(r.fixed, 'string');
    });
  }

  it('the limit is enforced: a worker that never ends is terminated and the test fails', async () => {
    await assert.rejects(lintInWorker('', 300, 'for (;;) {}'), /still running after 300 ms: terminated/);
  });
});
