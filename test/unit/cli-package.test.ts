// The npm package as a user gets it: `npm pack` in the repository (prepack bundles the CLI), then
// `npm install ./math-writeup-<v>.tgz` in an empty folder outside the repository, offline and with an empty npm
// cache (so nothing can be fetched), then `npx math-writeup lint|scan|check|render` there.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { GD_CHECK_LINES } from './cli-fixtures';

const repo = path.resolve(__dirname, '..', '..', '..');

/** The environment without npm's per-run variables (set when the tests run under `npm test`). */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^npm_/i.test(k)) env[k] = v;
  return { ...env, NO_COLOR: '1', ...extra };
}

/** Pack the repository into `dest`; returns the tarball's path. */
export function packCli(dest: string): string {
  const out = execFileSync('npm', ['pack', '--json', '--pack-destination', dest], {
    cwd: repo,
    env: cleanEnv(),
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const info = JSON.parse(out.slice(out.indexOf('['))) as { filename: string }[];
  return path.join(dest, info[0].filename);
}

/** Install a packed tarball into `dir` (created with an empty package.json) without any network or cache. */
export function installTarball(tgz: string, dir: string): void {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'package.json'), '{ "name": "writeups", "private": true }\n');
  execFileSync('npm', ['install', '--save-dev', '--offline', '--no-audit', '--no-fund', '--cache', path.join(dir, '.npm-cache'), tgz], {
    cwd: dir,
    env: cleanEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

describe('npm package of the CLI (npm pack, install into an empty folder, npx math-writeup)', function () {
  this.timeout(300000);
  let tmp: string;
  let proj: string;
  let tgz: string;
  const npx = (args: string[], input?: string) =>
    spawnSync('npx', ['--offline', 'math-writeup', ...args], {
      cwd: proj,
      env: cleanEnv({ npm_config_cache: path.join(proj, '.npm-cache') }),
      encoding: 'utf8',
      input,
    });

  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mw-pack-'));
    tgz = packCli(tmp);
    proj = path.join(tmp, 'writeups');
    installTarball(tgz, proj);
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('contains only runtime files, has no dependencies and stays small', () => {
    const listing = execFileSync('tar', ['-tzf', tgz], { encoding: 'utf8' }).trim().split('\n').sort();
    for (const f of listing) {
      assert.match(f, /^package\/(package\.json|README\.md|LICENSE|bin\/|lib\/|dist\/|media\/preview\.css|schemas\/)/, f);
      assert.doesNotMatch(f, /\.(map|ts)$|node_modules|\/src\//, f);
    }
    for (const needed of ['package/bin/math-writeup.js', 'package/dist/cli.js', 'package/dist/checkWorker.js', 'package/dist/katex/katex.min.css', 'package/schemas/math-writeup.schema.json', 'package/lib/markdownlint.js']) {
      assert.ok(listing.includes(needed), `${needed} missing from the package`);
    }
    const manifest = JSON.parse(fs.readFileSync(path.join(proj, 'node_modules/math-writeup/package.json'), 'utf8')) as {
      dependencies?: object;
    };
    assert.equal(manifest.dependencies, undefined);
    assert.ok(fs.statSync(tgz).size < 2 * 1024 * 1024, `tarball is ${fs.statSync(tgz).size} bytes`);
    assert.ok(path.relative(repo, proj).startsWith('..'), 'install folder is outside the repository');
  });

  it('npx math-writeup lint reports a broken formula with file:line:col and exits 1; a clean file exits 0', () => {
    fs.writeFileSync(path.join(proj, 'hw.md'), '# HW\n\n$$\n\\frac{1}{2\n$$\n');
    fs.writeFileSync(path.join(proj, 'ok.md'), '# OK\n\nEuler: $e^{i\\pi} + 1 = 0$.\n');
    const bad = npx(['lint', 'hw.md']);
    assert.equal(bad.status, 1, bad.stderr);
    assert.match(bad.stdout, /^hw\.md:4:\d+ error MW053 GitHub shows a MathJax error: Missing close brace/m);
    const ok = npx(['lint', 'ok.md']);
    assert.equal(ok.status, 0, ok.stderr + ok.stdout);
    assert.equal(ok.stdout, '');
  });

  it('npx math-writeup scan, check and render work from the installed package', () => {
    fs.writeFileSync(
      path.join(proj, 'gd.md'),
      [
        '# GD',
        '',
        ...GD_CHECK_LINES,
        '',
      ].join('\n'),
    );
    const check = npx(['check', 'gd.md']);
    assert.equal(check.status, 0, check.stderr + check.stdout);
    assert.match(check.stdout, /^gd\.md:3:1 pass GD on σw = y converges/m);
    const scan = npx(['scan', '-'], 'Mass $m$ and $$E=mc^2$$\n');
    assert.equal(scan.status, 0, scan.stderr);
    assert.match(scan.stdout, /E=mc\^2/);
    const render = npx(['render', 'gd.md', '-o', 'gd.html']);
    assert.equal(render.status, 0, render.stderr);
    const html = fs.readFileSync(path.join(proj, 'gd.html'), 'utf8');
    assert.match(html, /<html/);
    assert.match(html, /data:font\/woff2;base64,/);
    const version = npx(['--version']);
    assert.equal(version.stdout.trim(), (JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8')) as { version: string }).version);
  });

  it("the README's commands: pre-push hook line, npm install -g, CI formats, standard input", () => {
    const course = path.join(proj, 'course');
    fs.mkdirSync(course);
    fs.writeFileSync(path.join(course, 'hw1.md'), '# HW 1\n\nEuler: $e^{i\\pi} + 1 = 0$.\n\n```check\ntitle: square\ngiven: x = 3\nclaim: x^2 = 9\n```\n');
    const sh = (line: string) =>
      spawnSync('bash', ['-c', line], { cwd: course, env: cleanEnv({ PATH: `${path.join(proj, 'node_modules/.bin')}:${process.env.PATH ?? ''}` }), encoding: 'utf8' });
    const prePush = sh('npx math-writeup lint . && npx math-writeup check .');
    assert.equal(prePush.status, 0, prePush.stderr);
    assert.match(prePush.stderr, /1 check in 1 file: 1 passed/);
    const sarif = sh('npx math-writeup lint . --format sarif > math-writeup.sarif');
    assert.equal(sarif.status, 0, sarif.stderr);
    assert.equal((JSON.parse(fs.readFileSync(path.join(course, 'math-writeup.sarif'), 'utf8')) as { version: string }).version, '2.1.0');
    assert.equal(sh('npx math-writeup lint . --format github').status, 0);
    const junit = sh('npx math-writeup check . --format junit > checks.xml');
    assert.equal(junit.status, 0, junit.stderr);
    assert.match(fs.readFileSync(path.join(course, 'checks.xml'), 'utf8'), /<testcase name="square"/);
    assert.equal(sh('npx math-writeup lint . --max-warnings 0 --quiet').status, 0);
    const stdin = sh('npx math-writeup lint - --stdin-filename hw1.md < hw1.md');
    assert.equal(stdin.status, 0, stdin.stderr);
    // npm install -g (into a private prefix here): `math-writeup` on the PATH.
    const prefix = path.join(tmp, 'global');
    execFileSync('npm', ['install', '-g', '--prefix', prefix, '--offline', '--no-audit', '--no-fund', '--cache', path.join(tmp, '.npm-cache'), tgz], {
      env: cleanEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const global = spawnSync('bash', ['-c', 'math-writeup lint .'], {
      cwd: course,
      env: cleanEnv({ PATH: `${path.join(prefix, 'bin')}:${process.env.PATH ?? ''}` }),
      encoding: 'utf8',
    });
    assert.equal(global.status, 0, global.stderr);
    assert.match(global.stderr, /math-writeup: 1 file, 0 errors/);
  });

  it('markdownlint-cli2 loads the installed math-writeup/markdownlint custom rule', () => {
    const docs = path.join(proj, 'mdl');
    fs.mkdirSync(docs);
    fs.writeFileSync(path.join(proj, '.markdownlint-cli2.jsonc'), '{ "config": { "default": false, "math-writeup": true }, "customRules": ["math-writeup/markdownlint"] }\n');
    fs.writeFileSync(path.join(docs, 'n.md'), '# N\n\nThe adjoint $A^*$ and $v^*$.\n');
    const cli2 = path.join(repo, 'node_modules', 'markdownlint-cli2', 'markdownlint-cli2-bin.mjs');
    const r = spawnSync(process.execPath, [cli2, 'mdl/n.md'], { cwd: proj, encoding: 'utf8', env: cleanEnv() });
    assert.equal(r.status, 1, r.stdout + r.stderr);
    assert.match(r.stderr, /mdl\/n\.md:3:13 error math-writeup\/github-math .*\[MW020 /);
  });
});
