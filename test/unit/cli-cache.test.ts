// `lint --cache`: unchanged files are not linted again (the rules do not run), changes to the file, the
// configuration or the options are, and a broken cache file is ignored.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../../src/cli/main';
import type { CliIO } from '../../src/cli/io';
import { createRegistry } from '../../src/core/lint/registry';
import type { LintRule } from '../../src/core/lint/types';
import { todoRule } from './lint-test-rules';

describe('math-writeup lint --cache', function () {
  this.timeout(60000);
  let dir: string;
  let runs: string[];
  // no-todo, counting the documents it lints. Offered fixes are verified by linting the fixed text too (TO DO): only
  // the documents themselves count here.
  const counting: LintRule = {
    ...todoRule,
    run(ctx) {
      runs.push(ctx.text);
      todoRule.run(ctx);
    },
  };
  const registry = createRegistry([counting]);
  const linted = (): string[] => [...new Set(runs.filter((t) => !t.includes('TO DO')))];
  const cli = async (argv: string[]): Promise<{ code: number; out: string; err: string }> => {
    let out = '';
    let err = '';
    const io: CliIO = { stdout: (s) => (out += s), stderr: (s) => (err += s), cwd: dir };
    const code = await runCli(argv, io, () => Promise.resolve(''), { registry });
    return { code, out, err };
  };
  const write = (rel: string, text: string): void => fs.writeFileSync(path.join(dir, rel), text);

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mw-cache-'));
    fs.mkdirSync(path.join(dir, '.git'));
    runs = [];
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('a warm run prints the same findings without linting; a changed file is linted again', async () => {
    write('a.md', 'TODO one\n');
    write('b.md', 'TODO two\n');
    const cold = await cli(['lint', '.', '--cache', '--no-mathjax']);
    assert.equal(linted().length, 2);
    assert.ok(fs.existsSync(path.join(dir, '.math-writeup-cache')));
    runs = [];
    const warm = await cli(['lint', '.', '--cache', '--no-mathjax']);
    assert.equal(linted().length, 0, 'nothing linted again');
    assert.deepEqual([warm.code, warm.out, warm.err], [cold.code, cold.out, cold.err]);
    write('b.md', 'TODO two, edited\n');
    const edited = await cli(['lint', '.', '--cache', '--no-mathjax']);
    assert.deepEqual(linted(), ['TODO two, edited\n']);
    assert.match(edited.out, /b\.md:1:1 warning MW901/);
  });

  it('the configuration, the options and --fix invalidate what they change', async () => {
    write('a.md', 'TODO\n');
    await cli(['lint', 'a.md', '--cache', '--no-mathjax']);
    runs = [];
    write('.math-writeup.json', '{ "rules": { "no-todo": "error" } }');
    const strict = await cli(['lint', 'a.md', '--cache', '--no-mathjax']);
    assert.equal(linted().length, 1);
    assert.equal(strict.code, 1);
    runs = [];
    await cli(['lint', 'a.md', '--cache', '--no-mathjax', '--target', 'github']);
    assert.equal(linted().length, 1, 'another target is another key');
    runs = [];
    await cli(['lint', 'a.md', '--cache']);
    assert.equal(linted().length, 1, 'the MathJax pass is part of the key');
    runs = [];
    const fixed = await cli(['lint', 'a.md', '--cache', '--no-mathjax', '--fix']);
    assert.equal(fs.readFileSync(path.join(dir, 'a.md'), 'utf8'), 'TO DO\n');
    assert.equal(fixed.code, 0);
    runs = [];
    const after = await cli(['lint', 'a.md', '--cache', '--no-mathjax']);
    assert.equal(linted().length, 0, 'the fixed text was cached');
    assert.equal(after.out, '');
  });

  it('--cache-location moves the cache; a corrupt cache file is ignored and rewritten', async () => {
    write('a.md', 'TODO\n');
    fs.mkdirSync(path.join(dir, 'tmp'));
    write('tmp/c.json', '{ not json');
    const r = await cli(['lint', 'a.md', '--cache', '--cache-location', 'tmp/c.json', '--no-mathjax']);
    assert.equal(r.code, 0);
    assert.equal(linted().length, 1);
    assert.doesNotThrow(() => JSON.parse(fs.readFileSync(path.join(dir, 'tmp/c.json'), 'utf8')) as unknown);
    assert.equal((await cli(['lint', 'a.md', '--cache-location', 'x'])).code, 2);
  });
});
