// The lint worker: the extension host's lints run in a worker thread; fast findings first, GitHub's MathJax
// verdicts (MW053) afterwards, older versions of a document superseded, and a crashing worker reported.
import * as assert from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LintWorkerClient, resolveLintWorkerPath, SupersededError } from '../../src/node/lintClient';
import { lintText } from '../../src/core/lint/engine';
import type { Finding } from '../../src/core/types';

describe('lint worker', function () {
  this.timeout(60000);
  const workerPath = resolveLintWorkerPath();
  before(function () {
    if (!fs.existsSync(workerPath)) throw new Error(`${workerPath} is missing: run node scripts/build.mjs`);
  });

  it('answers with the same findings as linting in-process, then adds MathJax verdicts', async () => {
    const text = '其中$x$ is $\\frac{1}{2$ and $\\foo y$.\n';
    const client = new LintWorkerClient(workerPath);
    let full: Finding[] | undefined;
    const gotFull = new Promise<void>((resolve) => {
      void client.lint('doc', text, {}, (f) => {
        full = f;
        resolve();
      }).then((fast) => {
        assert.deepStrictEqual(fast.findings.map((f) => f.ruleId), lintText(text).filter((f) => f.ruleId !== 'MW053').map((f) => f.ruleId));
        assert.ok(fast.lintMs >= 0);
      });
    });
    await gotFull;
    client.dispose();
    assert.ok(full);
    const mw053 = full!.filter((f) => f.ruleId === 'MW053');
    assert.strictEqual(mw053.length, 2, JSON.stringify(full!.map((f) => f.ruleId)));
    assert.ok(full!.some((f) => f.ruleId === 'MW001'), 'the fast findings are part of the complete answer');
  });

  it('supersedes a queued older version of the same document', async () => {
    const big = 'x $a_1$ and $b_2$.\n\n'.repeat(3000);
    const client = new LintWorkerClient(workerPath);
    const first = client.lint('same', big, {});
    const second = client.lint('same', big + 'more $c$\n', {});
    const secondRejected = assert.rejects(second, SupersededError); // replaced by the third while waiting
    const third = client.lint('same', big + 'even more $d$\n', {});
    await first; // already being linted when the others arrived
    await secondRejected;
    const last = await third;
    assert.ok(Array.isArray(last.findings));
    client.dispose();
  });

  it('rejects pending requests when the worker crashes', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mw-lintw-'));
    const bad = path.join(dir, 'crash.js');
    fs.writeFileSync(bad, "require('node:worker_threads').parentPort.on('message', () => { throw new Error('boom'); });");
    const client = new LintWorkerClient(bad);
    await assert.rejects(client.lint('k', 'text', {}), /lint worker crashed: boom/);
    client.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe('lint worker: findings sent as deltas', function () {
  this.timeout(120000);
  const workerPath = resolveLintWorkerPath();

  it('after an edit, carries only the findings near it, and the host rebuilds exactly a full lint', async () => {
    const section = (i: number): string =>
      `## Part ${i}\n\nThe step $\\eta < 1/\\sigma^2$ and $w^* $ then $v^*$ here.\n\nSet $\\{ x \\}$ and cost $5 to $6 today.\n\n`;
    let text = Array.from({ length: 120 }, (_, i) => section(i)).join('');
    const client = new LintWorkerClient(workerPath);
    try {
      const first = await client.lint('doc', text, {});
      assert.deepStrictEqual(first.findings, lintText(text).filter((f) => f.ruleId !== 'MW053'));
      assert.strictEqual(first.carried, first.findings.length, 'the first answer is complete');
      const edits: ((t: string) => string)[] = [
        (t) => t.replace('## Part 60\n\nThe step', '## Part 60\n\nThe longer step'), // a finding's message text moves
        (t) => t.replace('## Part 10\n\n', '## Part 10\n\nNew line with $x$ fine.\n\nAnother $ y $ bad.\n\n'), // lines added
        (t) => t.replace('Set $\\{ x \\}$ and cost $5 to $6 today.\n\n## Part 31', '## Part 31'), // findings removed
        (t) => `${t}Tail $a$b$.\n`,
        (t) => `Head $ z $ first.\n\n${t}`, // everything below moves
      ];
      for (const edit of edits) {
        text = edit(text);
        const answer = await client.lint('doc', text, {});
        const expected = lintText(text).filter((f) => f.ruleId !== 'MW053');
        assert.deepStrictEqual(answer.findings, expected);
        assert.ok(answer.carried < expected.length / 10, `carried ${answer.carried} of ${expected.length} findings`);
      }
      // A forgotten document starts again from a complete answer.
      client.forget('doc');
      const again = await client.lint('doc', text, {});
      assert.strictEqual(again.carried, again.findings.length);
    } finally {
      client.dispose();
    }
  });
});
