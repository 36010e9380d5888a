// The GitHub Action's entry (src/action/main.ts, run by action.yml through bin/math-writeup-action.js) with the
// environment GitHub provides: INPUT_*, GITHUB_WORKSPACE, GITHUB_STEP_SUMMARY, GITHUB_OUTPUT.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runAction, type Env } from '../../src/action/main';
import { GD_CHECK_LINES } from './cli-fixtures';

const repo = path.resolve(__dirname, '..', '..', '..');

const GD_CHECK = GD_CHECK_LINES.join('\n');

describe('GitHub Action entry (INPUT_*, GITHUB_WORKSPACE, GITHUB_STEP_SUMMARY)', function () {
  this.timeout(120000);
  let ws: string;
  let summary: string;
  let output: string;
  const write = (rel: string, content: string): void => {
    fs.mkdirSync(path.dirname(path.join(ws, rel)), { recursive: true });
    fs.writeFileSync(path.join(ws, rel), content);
  };
  const run = async (inputs: Record<string, string>): Promise<{ code: number; out: string; err: string }> => {
    const env: Env = {
      GITHUB_WORKSPACE: ws,
      GITHUB_STEP_SUMMARY: summary,
      GITHUB_OUTPUT: output,
      ...Object.fromEntries(Object.entries(inputs).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v])),
    };
    let out = '';
    let err = '';
    const code = await runAction(env, { stdout: (s) => (out += s), stderr: (s) => (err += s) });
    return { code, out, err };
  };

  beforeEach(() => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mw-action-'));
    ws = path.join(tmp, 'workspace');
    fs.mkdirSync(path.join(ws, '.git'), { recursive: true });
    summary = path.join(tmp, 'summary.md');
    output = path.join(tmp, 'output.txt');
  });
  afterEach(() => fs.rmSync(path.dirname(ws), { recursive: true, force: true }));

  it('annotates findings and failed checks, writes the step summary and outputs, exits 1', async () => {
    write('hw/hw1.md', '# HW 1\n\nThe adjoint $A^*$ and $v^*$.\n\n' + GD_CHECK + '\n');
    write('hw/hw2.md', '# HW 2\n\n```check\ntitle: wrong | claim\ngiven: x = 2\nclaim: x^2 = 5\n```\n');
    write('clean.md', 'Fine: $x^2$.\n');
    write('.gitignore', 'drafts/\n');
    write('drafts/broken.md', '$$\n\\frac{1}{2\n$$\n');
    const r = await run({ files: 'hw\nclean.md drafts', checks: 'true' });
    assert.equal(r.code, 1, r.err);
    const lines = r.out.trim().split('\n');
    const mw020 = lines.filter((l) => l.includes('title=MW020 '));
    assert.equal(mw020.length, 2, r.out);
    assert.match(mw020[0], /^::error file=hw\/hw1\.md,line=3,endLine=3,col=13,endColumn=\d+,title=MW020 [a-z-]+::GitHub shows this as plain text/);
    assert.ok(lines.some((l) => /^::error file=hw\/hw2\.md,line=3,title=check fail%3A wrong \| claim::/.test(l)), r.out);
    assert.ok(!r.out.includes('drafts/broken.md'), '.gitignore is honoured');
    const md = fs.readFileSync(summary, 'utf8');
    assert.match(md, /^## math-writeup\n\n\*\*Lint:\*\* 3 files, 2 errors, 0 warnings, 0 infos\n/);
    assert.match(md, /\| `hw\/hw1\.md` \| 2 \| 0 \| 0 \| MW020 \|/);
    assert.doesNotMatch(md, /clean\.md/);
    assert.match(md, /\*\*Checks:\*\* 2 checks: 1 passed, 1 failed, 0 could not run/);
    assert.match(md, /\| `hw\/hw1\.md` \| 5 \| GD on σw = y converges iff η < 1\/σ² \| ✅ pass \|/);
    assert.match(md, /\| `hw\/hw2\.md` \| 3 \| wrong \\\| claim \| ❌ fail \|/);
    const out = fs.readFileSync(output, 'utf8');
    assert.match(out, /^errors=2$/m);
    assert.match(out, /^checks-failed=1$/m);
  });

  it('writes SARIF when asked, respects annotations: false and exits 0 on a clean workspace', async () => {
    write('ok.md', 'Fine: $x^2$.\n');
    const r = await run({ 'sarif-file': 'reports/mw.sarif', annotations: 'false' });
    assert.equal(r.code, 0, r.err);
    assert.equal(r.out, '');
    const sarif = JSON.parse(fs.readFileSync(path.join(ws, 'reports/mw.sarif'), 'utf8')) as { version: string; runs: unknown[] };
    assert.equal(sarif.version, '2.1.0');
    assert.match(fs.readFileSync(output, 'utf8'), /^sarif-file=reports\/mw\.sarif$/m);
    assert.match(fs.readFileSync(summary, 'utf8'), /\*\*Lint:\*\* 1 file, 0 errors/);
  });

  it('exits 2 on a missing path and a bad input, with the reason', async () => {
    const r = await run({ files: 'nope.md' });
    assert.equal(r.code, 2);
    assert.match(r.err, /cannot read nope\.md/);
    await assert.rejects(run({ checks: 'maybe' }), /input "checks" must be true or false/);
  });

  it('the real entry (bin/math-writeup-action.js) reads the environment', () => {
    write('a.md', 'Price $ 5 and $ 6.\n');
    const p = spawnSync(process.execPath, [path.join(repo, 'bin/math-writeup-action.js')], {
      env: { PATH: process.env.PATH, GITHUB_WORKSPACE: ws, GITHUB_STEP_SUMMARY: summary, 'INPUT_MAX-WARNINGS': '0' },
      encoding: 'utf8',
    });
    assert.ok(p.status === 0 || p.status === 1, p.stderr);
    assert.match(fs.readFileSync(summary, 'utf8'), /^## math-writeup/);
  });

  it('action.yml passes every input to the entry and runs the package version of package.json', () => {
    const yml = fs.readFileSync(path.join(repo, 'action.yml'), 'utf8');
    const pkg = JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8')) as { version: string; bin: Record<string, string> };
    assert.match(yml, new RegExp(`default: math-writeup@${pkg.version.replace(/\./g, '\\.')}\\n`));
    assert.equal(pkg.bin['math-writeup-action'], './bin/math-writeup-action.js');
    const inputs = [...yml.slice(yml.indexOf('\ninputs:'), yml.indexOf('\noutputs:')).matchAll(/^ {2}([a-z-]+):$/gm)].map((m) => m[1]);
    assert.ok(inputs.length >= 10);
    for (const name of inputs.filter((n) => n !== 'upload-sarif' && n !== 'cli-package')) {
      assert.match(yml, new RegExp(`INPUT_${name.toUpperCase()}: \\$\\{\\{ `), `input ${name} is not passed to the entry`);
    }
    assert.match(yml, /using: composite/);
    assert.match(yml, /npx --yes --package "\$MW_CLI_PACKAGE" math-writeup-action/);
  });
});
