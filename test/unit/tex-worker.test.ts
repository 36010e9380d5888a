// The GitHub-MathJax worker: verdicts computed off the calling thread arrive in batches, feed the cache the lint
// rules read (MW053), and a failing worker rejects instead of hanging.
import * as assert from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { GithubTexValidator, resolveTexWorkerPath } from '../../src/node/texValidator';
import { lintText, unvalidatedGithubFormulas } from '../../src/core/lint/engine';
import { peekGithubProblems, primeGithubProblems } from '../../src/core/tex/mathjax';

describe('GitHub MathJax worker', function () {
  this.timeout(60000);
  const workerPath = resolveTexWorkerPath();
  before(function () {
    if (!fs.existsSync(workerPath)) throw new Error(`${workerPath} is missing: run node scripts/build.mjs`);
  });

  it('validates in a worker thread and primes the verdicts MW053 reads', async () => {
    const text = 'ok $\\frac{a}{b}$, broken $\\frac{1}{2$ and red $\\foo x$.\n';
    const formulas = unvalidatedGithubFormulas(text);
    assert.deepStrictEqual(formulas.map((f) => f.tex), ['\\frac{a}{b}', '\\frac{1}{2', '\\foo x']);
    assert.ok(!lintText(text).some((f) => f.ruleId === 'MW053'), 'no verdict before validation');
    const v = new GithubTexValidator(workerPath);
    const batches: number[] = [];
    const n = await v.validate(formulas, (rs) => {
      batches.push(rs.length);
      for (const r of rs) primeGithubProblems(r.tex, r.display, r.problems);
    });
    v.dispose();
    assert.strictEqual(n, 3);
    assert.strictEqual(batches.reduce((a, b) => a + b, 0), 3);
    assert.deepStrictEqual(peekGithubProblems('\\frac{a}{b}', false), []);
    const mw053 = lintText(text).filter((f) => f.ruleId === 'MW053');
    assert.deepStrictEqual(mw053.map((f) => f.message.replace(/:.*/, '')), ["GitHub's MathJax", "GitHub's MathJax"]);
    assert.deepStrictEqual(unvalidatedGithubFormulas(text), [], 'everything is cached now');
  });

  it('stops early when cancelled between batches', async () => {
    const formulas = Array.from({ length: 200 }, (_, i) => ({ tex: `x_{${i}} + \\alpha^{${i}}`, display: false }));
    const v = new GithubTexValidator(workerPath);
    let seen = 0;
    const n = await v.validate(formulas, (rs) => (seen += rs.length), () => seen >= 25);
    v.dispose();
    assert.ok(n < 200 && n >= 25, `validated ${n} of 200 before stopping`);
  });

  it('rejects with a message when the worker crashes', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mw-texw-'));
    const bad = path.join(dir, 'crash.js');
    fs.writeFileSync(bad, "require('node:worker_threads').parentPort.on('message', () => { throw new Error('boom'); });");
    const v = new GithubTexValidator(bad);
    await assert.rejects(v.validate([{ tex: 'x', display: false }], () => undefined), /MathJax worker crashed: boom/);
    v.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
