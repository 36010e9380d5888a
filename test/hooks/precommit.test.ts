// The pre-commit hooks (.pre-commit-hooks.yaml) with the real `pre-commit` tool (Debian package, installed by
// test/harness/setup-precommit.sh when missing): a snapshot of this working tree is the hook repository, a fresh
// git repository of writeups uses it. A commit with a broken formula is refused with the finding shown; a clean
// one passes (lint and check); the `args: [--fix]` variant rewrites the file.
// Slow (pre-commit installs the hook's environment: npm install + npm pack once): run by `npm run test:hooks`.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { GD_CHECK_LINES } from '../unit/cli-fixtures';

const repo = path.resolve(__dirname, '..', '..', '..');

function env(extra: Record<string, string>): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^npm_/i.test(k) && k !== 'INIT_CWD') out[k] = v;
  return {
    ...out,
    GIT_AUTHOR_NAME: 'Student',
    GIT_AUTHOR_EMAIL: 'student@example.org',
    GIT_COMMITTER_NAME: 'Student',
    GIT_COMMITTER_EMAIL: 'student@example.org',
    NO_COLOR: '1',
    ...extra,
  };
}

describe('pre-commit hooks with the real pre-commit', function () {
  this.timeout(20 * 60 * 1000);
  let tmp: string;
  let e: NodeJS.ProcessEnv;
  let hookRepo: string;
  let rev: string;
  const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, env: e, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  // git sends a hook's output to stderr.
  const commit = (cwd: string, msg: string): { status: number | null; out: string } => {
    const p = spawnSync('git', ['commit', '-m', msg], { cwd, env: e, encoding: 'utf8', maxBuffer: 1 << 24 });
    return { status: p.status, out: p.stdout + p.stderr };
  };

  function writeupRepo(name: string, hooks: string): string {
    const dir = path.join(tmp, name);
    fs.mkdirSync(dir);
    git(dir, 'init', '-q');
    fs.writeFileSync(path.join(dir, '.pre-commit-config.yaml'), `repos:\n  - repo: ${hookRepo}\n    rev: ${rev}\n    hooks:\n${hooks}`);
    execFileSync('pre-commit', ['install'], { cwd: dir, env: e });
    return dir;
  }

  before(() => {
    const setup = execFileSync('bash', [path.join(repo, 'test/harness/setup-precommit.sh')], { encoding: 'utf8' }).trim();
    assert.ok(setup.endsWith('pre-commit'), `setup-precommit.sh printed ${setup}`);
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mw-precommit-'));
    e = env({ PRE_COMMIT_HOME: path.join(tmp, 'pre-commit-home') });
    // The hook repository: this working tree as it is (tracked and new files, not ignored ones), committed.
    hookRepo = path.join(tmp, 'hooks');
    fs.mkdirSync(hookRepo);
    const list = execFileSync('git', ['ls-files', '-co', '--exclude-standard', '-z'], { cwd: repo });
    execFileSync('bash', ['-c', `tar --null -T - -cf - | tar -C "${hookRepo}" -xf -`], { cwd: repo, input: list });
    git(hookRepo, 'init', '-q');
    git(hookRepo, 'add', '-A');
    git(hookRepo, 'commit', '-q', '-m', 'snapshot');
    rev = git(hookRepo, 'rev-parse', 'HEAD').trim();
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('refuses a commit with a broken formula, showing the finding; accepts it once fixed (lint and check)', () => {
    const dir = writeupRepo('course', '      - id: math-writeup-lint\n      - id: math-writeup-check\n');
    fs.writeFileSync(path.join(dir, 'hw.md'), '# HW 1\n\n$$\n\\frac{1}{2\n$$\n');
    git(dir, 'add', '-A');
    const refused = commit(dir, 'hw 1');
    assert.notEqual(refused.status, 0, refused.out);
    assert.match(refused.out, /math-writeup lint \(Markdown math for GitHub\)\.+Failed/);
    assert.match(refused.out, /hw\.md:4:9 error MW053 GitHub shows a MathJax error: Missing close brace/);
    assert.throws(() => git(dir, 'rev-parse', 'HEAD'), 'nothing was committed');

    fs.writeFileSync(
      path.join(dir, 'hw.md'),
      [
        '# HW 1',
        '',
        '$$',
        '\\frac{1}{2}',
        '$$',
        '',
        ...GD_CHECK_LINES,
        '',
      ].join('\n'),
    );
    git(dir, 'add', '-A');
    const ok = commit(dir, 'hw 1');
    assert.equal(ok.status, 0, ok.out);
    assert.match(ok.out, /math-writeup lint \(Markdown math for GitHub\)\.+Passed/);
    assert.match(ok.out, /math-writeup check \(numeric checks\)\.+Passed/);

    // A refuted claim stops the commit too.
    fs.writeFileSync(path.join(dir, 'hw2.md'), '# HW 2\n\n```check\ntitle: wrong\ngiven: x = 2\nclaim: x^2 = 5\n```\n');
    git(dir, 'add', '-A');
    const refuted = commit(dir, 'hw 2');
    assert.notEqual(refuted.status, 0);
    assert.match(refuted.out, /math-writeup check \(numeric checks\)\.+Failed/);
    assert.match(refuted.out, /hw2\.md:3:1 fail wrong/);
  });

  it('args: [--fix] rewrites the file, so the commit stops for review and then passes', () => {
    const dir = writeupRepo('fixing', '      - id: math-writeup-lint\n        args: [--fix]\n');
    const text = '# Notes\n\nThe adjoint $A^*$ and the dual $v^*$ are defined below.\n';
    fs.writeFileSync(path.join(dir, 'notes.md'), text);
    git(dir, 'add', '-A');
    const first = commit(dir, 'notes');
    assert.notEqual(first.status, 0, first.out);
    assert.match(first.out, /files were modified by this hook/);
    const fixed = fs.readFileSync(path.join(dir, 'notes.md'), 'utf8');
    assert.notEqual(fixed, text);
    assert.doesNotMatch(fixed, /\^\*/);
    git(dir, 'add', '-A');
    const second = commit(dir, 'notes');
    assert.equal(second.status, 0, second.out);
  });
});
