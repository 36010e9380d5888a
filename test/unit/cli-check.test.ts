import * as assert from 'node:assert';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { jsonSafe, runCheckCommand, slugify, type CheckCommandDeps } from '../../src/cli/check';
import type { CliIO } from '../../src/cli/io';

const root = path.resolve(__dirname, '..', '..', '..');

interface FakeIO extends CliIO {
  out: string;
  err: string;
}

function fakeIo(cwd: string): FakeIO {
  const io: FakeIO = {
    out: '',
    err: '',
    cwd,
    stdout: (s) => {
      io.out += s;
    },
    stderr: (s) => {
      io.err += s;
    },
  };
  return io;
}

// A scripted worker speaking the runner protocol: each ```check block says what its result should be with
// `fake-status:`, `fake-message:` and `fake-plot: yes`, so the CLI is tested independently of the engine.
const SCRIPTED_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const lines = workerData.text.split('\\n');
const checks = [];
for (let i = 0; i < lines.length; i++) {
  if (lines[i].trim() !== '\`\`\`check') continue;
  const c = { line: i, keys: {} };
  for (let j = i + 1; j < lines.length && !lines[j].startsWith('\`\`\`'); j++) {
    const m = /^([a-z-]+):\\s*(.*)$/.exec(lines[j]);
    if (m) c.keys[m[1]] = m[2];
  }
  checks.push(c);
}
const todo = workerData.lines ? checks.filter((c) => workerData.lines.includes(c.line)) : checks;
parentPort.postMessage({ type: 'plan', checks: todo.map((c) => ({ line: c.line, title: c.keys.title ?? '', expectFail: c.keys.expect === 'fail' })) });
for (const c of todo) {
  parentPort.postMessage({ type: 'start', line: c.line });
  if (c.keys['fake-status'] === 'hang') for (;;) {}
  const status = c.keys['fake-status'] ?? 'pass';
  const plots = c.keys['fake-plot'] === 'yes'
    ? [{ title: '', xLabel: 't', yLabel: 'loss', logX: false, logY: true,
         series: [{ name: 'loss', x: [0, 1, 2], y: [1, 0.1, 0.01] }] }]
    : [];
  const problems = status === 'error'
    ? [{ message: 'unknown symbol \\\\gamma: add it to given', range: { start: { line: c.line + 2, character: 7 }, end: { line: c.line + 2, character: 13 } } }]
    : [];
  parentPort.postMessage({ type: 'result', result: {
    line: c.line, title: c.keys.title ?? '', status, message: c.keys['fake-message'] ?? 'ok',
    values: { limit: 0.25, rho: NaN, big: Infinity, seed: workerData.seed ?? null, limitMs: workerData.timeLimitMs },
    elapsedMs: 412, expectFail: c.keys.expect === 'fail', seed: 1, problems, plots } });
}
parentPort.postMessage({ type: 'done' });
`;

const PASSING = [
  '# Homework 2',
  '',
  '```check',
  'title: GD stability',
  'fake-message: empirical boundary η = 0.2500; claimed 1/σ² = 0.2500',
  'fake-plot: yes',
  '```',
  '',
].join('\n');

const FAILING = [
  '```check',
  'title: Momentum best step',
  'fake-status: fail',
  'fake-message: η = 0.0026 needs 26000 iterations; the best needs 132',
  '```',
  '',
  '```check',
  'title: Typo',
  'fake-status: error',
  'fake-message: unknown symbol \\gamma',
  '```',
].join('\n');

describe('math-writeup check (CLI)', () => {
  let dir: string;
  let deps: CheckCommandDeps;

  before(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'mw-cli-check-'));
    const workerPath = path.join(dir, 'worker.js');
    writeFileSync(workerPath, SCRIPTED_WORKER);
    deps = { workerPath };
    writeFileSync(path.join(dir, 'ok.md'), PASSING);
    mkdirSync(path.join(dir, 'hw', 'node_modules'), { recursive: true });
    mkdirSync(path.join(dir, 'hw', '.git'), { recursive: true });
    writeFileSync(path.join(dir, 'hw', 'a.md'), PASSING);
    writeFileSync(path.join(dir, 'hw', 'b.md'), FAILING);
    writeFileSync(path.join(dir, 'hw', 'notes.txt'), FAILING);
    writeFileSync(path.join(dir, 'hw', 'node_modules', 'x.md'), FAILING);
    writeFileSync(path.join(dir, 'hw', '.git', 'y.md'), FAILING);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('prints one line per check and exits 0 when all pass', async () => {
    const io = fakeIo(dir);
    const code = await runCheckCommand(['ok.md'], io, deps);
    assert.strictEqual(code, 0, io.err);
    assert.strictEqual(
      io.out,
      'ok.md:3:1 pass GD stability — empirical boundary η = 0.2500; claimed 1/σ² = 0.2500 (0.4 s)\n',
    );
    assert.match(io.err, /1 check in 1 file: 1 passed, 0 failed, 0 errors/);
  });

  it('reports failures and errors with their problems and exits 1', async () => {
    const io = fakeIo(dir);
    const code = await runCheckCommand([path.join('hw', 'b.md')], io, deps);
    assert.strictEqual(code, 1);
    const file = path.join('hw', 'b.md');
    assert.deepStrictEqual(io.out.split('\n'), [
      `${file}:1:1 fail Momentum best step — η = 0.0026 needs 26000 iterations; the best needs 132 (0.4 s)`,
      `${file}:7:1 error Typo — unknown symbol \\gamma (0.4 s)`,
      `${file}:9:8 error unknown symbol \\gamma: add it to given`,
      '',
    ]);
  });

  it('walks directories for Markdown files, skipping node_modules and .git', async () => {
    const io = fakeIo(dir);
    const code = await runCheckCommand(['hw'], io, deps);
    assert.strictEqual(code, 1);
    const files = [...new Set(io.out.trim().split('\n').map((l) => l.split(':')[0]))];
    assert.deepStrictEqual(files, [path.join('hw', 'a.md'), path.join('hw', 'b.md')]);
    assert.match(io.err, /3 checks in 2 files: 1 passed, 1 failed, 1 error/);
  });

  it('writes the JSON shape of the issue: one object for one file', async () => {
    const io = fakeIo(dir);
    const code = await runCheckCommand(['ok.md', '--format', 'json', '--seed', '42', '--time-limit', '2.5'], io, deps);
    assert.strictEqual(code, 0);
    const parsed = JSON.parse(io.out) as unknown;
    assert.deepStrictEqual(parsed, {
      file: 'ok.md',
      checks: [
        {
          line: 2,
          title: 'GD stability',
          status: 'pass',
          message: 'empirical boundary η = 0.2500; claimed 1/σ² = 0.2500',
          values: { limit: 0.25, rho: 'NaN', big: 'Infinity', seed: 42, limitMs: 2500 },
          elapsedMs: 412,
          expectFail: false,
          seed: 1,
          problems: [],
        },
      ],
    });
  });

  it('writes an array of objects for several files or a directory', async () => {
    const io = fakeIo(dir);
    await runCheckCommand(['hw', '--format=json'], io, deps);
    const parsed = JSON.parse(io.out) as { file: string; checks: { line: number; status: string }[] }[];
    assert.ok(Array.isArray(parsed));
    assert.deepStrictEqual(
      parsed.map((f) => [f.file, f.checks.map((c) => `${c.line}:${c.status}`)]),
      [
        [path.join('hw', 'a.md'), ['2:pass']],
        [path.join('hw', 'b.md'), ['0:fail', '6:error']],
      ],
    );
  });

  it('writes one SVG per plot with a slug of the title, creating the directory', async () => {
    const io = fakeIo(dir);
    const code = await runCheckCommand(['ok.md', path.join('hw', 'a.md'), '--plots', 'figures/out'], io, deps);
    assert.strictEqual(code, 0, io.err);
    const written = readdirSync(path.join(dir, 'figures', 'out')).sort();
    assert.deepStrictEqual(written, ['gd-stability-2.svg', 'gd-stability.svg'], 'no temp files left, no overwrite');
    const svg = readFileSync(path.join(dir, 'figures', 'out', 'gd-stability.svg'), 'utf8');
    assert.ok(svg.startsWith('<svg') && svg.trimEnd().endsWith('</svg>'));
    assert.ok(svg.includes('>GD stability</text>'), 'the check title is the plot title');
    assert.match(io.err, /2 plots written to figures[/\\]out/);
  });

  it('exits 2 with one line for a missing file, after checking the others', async () => {
    const io = fakeIo(dir);
    const code = await runCheckCommand(['missing.md', 'ok.md'], io, deps);
    assert.strictEqual(code, 2);
    assert.match(io.err, /^math-writeup: cannot read missing\.md: no such file or directory$/m);
    assert.match(io.out, /ok\.md:3:1 pass/);
    assert.ok(!io.err.includes('    at '), 'no stack trace');
  });

  it('exits 2 on usage errors', async () => {
    for (const args of [
      [],
      ['ok.md', '--frobnicate'],
      ['ok.md', '--format', 'xml'],
      ['ok.md', '--time-limit', '-1'],
      ['ok.md', '--time-limit', 'soon'],
      ['ok.md', '--seed', '1.5'],
      ['ok.md', '--plots'],
    ]) {
      const io = fakeIo(dir);
      const code = await runCheckCommand(args, io, deps);
      assert.strictEqual(code, 2, args.join(' '));
      assert.strictEqual(io.err.split('\n').filter(Boolean).length, 1, io.err);
      assert.match(io.err, /^math-writeup: /);
      assert.strictEqual(io.out, '');
    }
  });

  it('prints help', async () => {
    const io = fakeIo(dir);
    assert.strictEqual(await runCheckCommand(['--help'], io, deps), 0);
    assert.match(io.out, /--plots DIR/);
  });

  it('stops a runaway check at --time-limit and reports an error', async () => {
    writeFileSync(path.join(dir, 'slow.md'), ['```check', 'title: forever', 'fake-status: hang', '```', ''].join('\n'));
    const io = fakeIo(dir);
    const code = await runCheckCommand(['slow.md', '--time-limit', '0.3'], io, deps);
    assert.strictEqual(code, 1);
    assert.match(io.out, /^slow\.md:1:1 error forever — time limit of 0\.3 s reached/);
  });

  it('says so when there are no checks', async () => {
    writeFileSync(path.join(dir, 'plain.md'), '# nothing to check\n');
    const io = fakeIo(dir);
    assert.strictEqual(await runCheckCommand(['plain.md'], io, deps), 0);
    assert.strictEqual(io.out, '');
    assert.match(io.err, /no checks found in 1 file/);
  });

  it('slugs titles for file names', () => {
    assert.strictEqual(slugify('GD stability', 'x'), 'gd-stability');
    assert.strictEqual(slugify('Scalar GD converges iff η < 1/σ²', 'x'), 'scalar-gd-converges-iff-eta-lt-1-over-sigma2');
    assert.strictEqual(slugify('Régularisation café', 'x'), 'regularisation-cafe');
    assert.strictEqual(slugify('../../etc/passwd', 'x'), 'over-over-etc-over-passwd');
    assert.strictEqual(slugify('∑∫', 'check-line-3'), 'sum-int');
    assert.strictEqual(slugify('…', 'check-line-3'), 'check-line-3');
  });

  it('makes engine values JSON-safe', () => {
    assert.deepStrictEqual(jsonSafe({ a: new Float64Array([1, NaN]), b: -Infinity, f: () => 1, n: 10n }), {
      a: [1, 'NaN'],
      b: '-Infinity',
      n: '10',
    });
  });
});

// ------------------------------------------------------------------------------------------------
// End to end with the real engine and the bundled worker.

describe('math-writeup check (CLI, real engine)', function () {
  this.timeout(60_000);
  let dir: string;

  before(function () {
    if (!existsSync(path.join(root, 'src', 'core', 'check', 'index.ts'))) {
      throw new Error('the check engine (src/core/check/index.ts) is missing');
    }
    execFileSync(process.execPath, [path.join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: 'pipe' });
    dir = mkdtempSync(path.join(os.tmpdir(), 'mw-cli-check-e2e-'));
  });
  after(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('passes the scalar GD example and writes its plot', async () => {
    writeFileSync(
      path.join(dir, 'gd.md'),
      [
        '```check',
        'title: GD stability',
        'given: \\sigma = 2, y = 1, w_0 = 0',
        'iterate: w_{t+1} = w_t + 2\\eta\\sigma(y - \\sigma w_t)',
        'sweep: \\eta \\in [0.01, 0.5]',
        'claim: \\text{converges} \\iff \\eta < \\frac{1}{\\sigma^2}',
        'plot: |w_t - y/\\sigma|',
        '```',
        '',
      ].join('\n'),
    );
    const io = fakeIo(dir);
    const code = await runCheckCommand(['gd.md', '--format', 'json', '--plots', 'figs'], io, {
      workerPath: path.join(root, 'dist', 'checkWorker.js'),
    });
    const parsed = JSON.parse(io.out) as { checks: { status: string; message: string }[] };
    assert.strictEqual(parsed.checks[0].status, 'pass', parsed.checks[0].message);
    assert.strictEqual(code, 0, io.err);
    // several plots per check: named after the check and the plot (the `plot:` line gives |w_t - y/σ|)
    const written = readdirSync(path.join(dir, 'figs'));
    assert.ok(written.includes('gd-stability-w-t-y-over-sigma.svg'), written.join(', '));
    assert.ok(written.every((f) => /^gd-stability-[a-z0-9-]+\.svg$/.test(f)), written.join(', '));
    const svg = readFileSync(path.join(dir, 'figs', 'gd-stability-w-t-y-over-sigma.svg'), 'utf8');
    assert.ok(svg.includes('GD stability — |w_t - y/σ|'), 'title names the check and the plot');
    assert.ok(!svg.includes('NaN'));
  });
});
