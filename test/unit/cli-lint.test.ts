import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../../src/cli/main';
import type { CliIO } from '../../src/cli/io';
import type { Registry } from '../../src/core/lint/registry';
import { MAX_FILE_BYTES } from '../../src/node/files';
import { createRegistry } from '../../src/core/lint/registry';
import { dollarSpaceRule, todoRule } from './lint-test-rules';

interface Run {
  code: number;
  out: string;
  err: string;
}

// MW901 no-todo (warning, fixable TODO → TO DO) and MW902 dollar-space (error, target vscode).
const registry = createRegistry([todoRule, dollarSpaceRule]);

async function cli(argv: string[], cwd: string, opts: { stdin?: string; registry?: Registry } = {}): Promise<Run> {
  let out = '';
  let err = '';
  const io: CliIO = { stdout: (s) => (out += s), stderr: (s) => (err += s), cwd };
  const stdin = () => Promise.resolve(opts.stdin ?? '');
  const code = await runCli(argv, io, stdin, { registry: opts.registry ?? registry });
  return { code, out, err };
}

describe('math-writeup CLI', function () {
  this.timeout(120000);
  let dir: string;
  const write = (rel: string, content: string | Buffer): string => {
    const p = path.join(dir, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, content);
    return p;
  };
  const read = (rel: string): string => fs.readFileSync(path.join(dir, rel), 'utf8');

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mw-cli-'));
    fs.mkdirSync(path.join(dir, '.git')); // keeps config lookup inside the temp dir
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  describe('lint', () => {
    it('prints path:line:col severity RULE message (1-based), a summary on stderr, exit 1 on an error finding', async () => {
      write('a.md', 'Intro TODO\n\nsum $ x$\n');
      const r = await cli(['lint', 'a.md', '--target=both'], dir);
      assert.equal(r.code, 1);
      assert.equal(r.out, 'a.md:1:7 warning MW901 TODO left in the text\na.md:3:5 error MW902 space after $\n');
      assert.equal(r.err, 'math-writeup: 1 file, 1 error, 1 warning, 0 infos (1 fixable with --fix)\n');
    });

    it('exits 0 with warnings only, and --target github drops the VS Code rule', async () => {
      write('a.md', 'TODO $ x$\n');
      const r = await cli(['lint', '--target', 'github', 'a.md'], dir);
      assert.equal(r.code, 0);
      assert.equal(r.out, 'a.md:1:1 warning MW901 TODO left in the text\n');
      const clean = await cli(['lint', write('b.md', 'nothing here\n')], dir);
      assert.equal(clean.code, 0);
      assert.equal(clean.out, '');
    });

    it('prints JSON with 0-based ranges and a summary', async () => {
      write('a.md', 'x\n  TODO\n');
      const r = await cli(['lint', '--format', 'json', 'a.md'], dir);
      assert.equal(r.code, 0);
      const json = JSON.parse(r.out);
      assert.equal(json.files.length, 1);
      assert.equal(json.files[0].file, 'a.md');
      const f = json.files[0].findings[0];
      assert.equal(f.ruleId, 'MW901');
      assert.deepEqual(f.range, { start: { line: 1, character: 2 }, end: { line: 1, character: 6 } });
      assert.deepEqual([f.start, f.end], [4, 8]);
      assert.deepEqual(json.summary, { files: 1, errors: 0, warnings: 1, infos: 0, fixable: 1, fixed: 0, problems: 0 });
    });

    it('--fix rewrites atomically, keeps mode and BOM, reports the fixes, then lints the result', async () => {
      const p = write('doc.md', '\ufeffTODO and TODO\n$ x$\n');
      fs.chmodSync(p, 0o640);
      const inode = fs.statSync(p).ino;
      const r = await cli(['lint', '--fix', 'doc.md'], dir);
      assert.equal(read('doc.md'), '\ufeffTO DO and TO DO\n$ x$\n');
      assert.equal(fs.statSync(p).mode & 0o777, 0o640);
      assert.notEqual(fs.statSync(p).ino, inode, 'replaced by rename, not rewritten in place');
      assert.deepEqual(fs.readdirSync(dir).sort(), ['.git', 'doc.md'], 'no temporary file left behind');
      assert.match(r.err, /^doc\.md: fixed 2 problems \(MW901 ×2\)$/m);
      assert.equal(r.out, 'doc.md:2:1 error MW902 space after $\n');
      assert.equal(r.code, 1);
      // a second --fix has nothing to do and does not touch the file
      const fixedInode = fs.statSync(p).ino;
      const again = await cli(['lint', '--fix', 'doc.md'], dir);
      assert.doesNotMatch(again.err, /fixed/);
      assert.equal(fs.statSync(p).ino, fixedInode);
    });

    it('--fix reports several rules and stays silent for files without fixable findings', async () => {
      write('a.md', 'TODO\n');
      write('b.md', 'clean\n');
      const r = await cli(['lint', '--fix', '--format', 'json', 'a.md', 'b.md'], dir);
      const json = JSON.parse(r.out);
      assert.deepEqual(json.files.map((f: { fixed?: unknown }) => f.fixed), [{ count: 1, byRule: { MW901: 1 } }, undefined]);
      assert.equal(read('b.md'), 'clean\n');
      assert.equal(r.code, 0);
    });

    it('uses the nearest .math-writeup.json, stopping at the repository root', async () => {
      fs.rmSync(path.join(dir, '.git'), { recursive: true });
      write('.math-writeup.json', JSON.stringify({ rules: { 'no-todo': 'error' } })); // above the repo: ignored
      write('repo/.git/HEAD', 'ref: x\n');
      write('repo/.math-writeup.json', JSON.stringify({ rules: { MW902: 'off' } }));
      write('repo/docs/a.md', 'TODO $ x$\n');
      const r = await cli(['lint', 'repo/docs/a.md'], dir);
      assert.equal(r.out, `${path.join('repo', 'docs', 'a.md')}:1:1 warning MW901 TODO left in the text\n`);
      assert.equal(r.code, 0);
      // CLI flags override the file: --config replaces it
      write('strict.json', JSON.stringify({ target: 'vscode' }));
      const s = await cli(['lint', '--config', 'strict.json', 'repo/docs/a.md'], dir);
      assert.match(s.out, /error MW902/);
      assert.doesNotMatch(s.out, /MW901/);
    });

    it('reports configuration errors with file:line:col and exit 2', async () => {
      write('bad.json', '{\n  "rules": {\n    "MW901": "warn"\n    "MW902": "off"\n  }\n}\n');
      write('a.md', 'x\n');
      const r = await cli(['lint', '--config', 'bad.json', 'a.md'], dir);
      assert.equal(r.code, 2);
      assert.equal(r.err, 'math-writeup: bad.json:4:5: invalid JSON: expected "," between entries\n');
      write('unknown.json', '{\n  "rules": { "MW901": "off", "no-tod": "off" }\n}\n');
      const u = await cli(['lint', '--config', 'unknown.json', 'a.md'], dir);
      assert.equal(u.code, 2);
      assert.equal(u.err, 'math-writeup: unknown.json:2:30: unknown rule "no-tod" (did you mean "no-todo"?); rules are named by id (e.g. MW001) or alias\n');
      write('.math-writeup.json', '{"rules": {"MW901": "loud"}}');
      const f = await cli(['lint', 'a.md'], dir);
      assert.equal(f.code, 2);
      assert.match(f.err, /\.math-writeup\.json:1:12: rule "MW901": severity must be one of/);
    });

    it('expands directories (Markdown only, skipping node_modules and dot-dirs) and quoted globs', async () => {
      write('docs/a.md', 'TODO\n');
      write('docs/sub/b.markdown', 'TODO\n');
      write('docs/sub/c.txt', 'TODO\n');
      write('docs/node_modules/d.md', 'TODO\n');
      write('docs/.hidden/e.md', 'TODO\n');
      const r = await cli(['lint', 'docs'], dir);
      assert.deepEqual(r.out.trim().split('\n').map((l) => l.split(':')[0]), [path.join('docs', 'a.md'), path.join('docs', 'sub', 'b.markdown')]);
      const g = await cli(['lint', 'docs/**/*.{md,txt}'], dir);
      assert.deepEqual(g.out.trim().split('\n').map((l) => l.split(':')[0]), [path.join('docs', 'a.md'), path.join('docs', 'sub', 'c.txt')]);
      const none = await cli(['lint', 'docs/*.tex'], dir);
      assert.equal(none.code, 2);
      assert.match(none.err, /^math-writeup: no files match docs\/\*\.tex$/m);
    });

    it('a missing file is a one-line error with exit 2, and the other files are still linted', async () => {
      write('ok.md', 'TODO\n');
      const r = await cli(['lint', 'missing.md', 'ok.md'], dir);
      assert.equal(r.code, 2);
      assert.match(r.err, /^math-writeup: cannot read missing\.md: no such file or directory$/m);
      assert.equal(r.out, 'ok.md:1:1 warning MW901 TODO left in the text\n');
    });

    it('skips binary and invalid UTF-8 files with one line each (exit 2)', async () => {
      write('bin.md', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01]));
      write('latin1.md', Buffer.concat([Buffer.from('ok line\ncaf'), Buffer.from([0xe9]), Buffer.from(' TODO\n')]));
      write('good.md', 'TODO\n');
      const r = await cli(['lint', 'bin.md', 'latin1.md', 'good.md'], dir);
      assert.equal(r.code, 2);
      const errLines = r.err.trim().split('\n');
      assert.deepEqual(errLines.slice(0, 2), [
        'math-writeup: bin.md: skipped, binary file (NUL byte at byte 4)',
        'math-writeup: latin1.md: skipped, not valid UTF-8 (byte 11, line 2)',
      ]);
      assert.equal(r.out, 'good.md:1:1 warning MW901 TODO left in the text\n');
      assert.doesNotMatch(r.err, /at .*\.js:\d+/, 'no stack trace');
    });

    it('refuses a file over the size limit without reading it', async () => {
      const p = path.join(dir, 'huge.md');
      fs.closeSync(fs.openSync(p, 'w'));
      fs.truncateSync(p, MAX_FILE_BYTES + 1); // sparse: no 50 MB actually written
      try {
        const r = await cli(['lint', 'huge.md'], dir);
        assert.equal(r.code, 2);
        assert.match(r.err, /^math-writeup: huge\.md: refused, 52428801 bytes is over the 50 MB limit for one document$/m);
      } finally {
        fs.rmSync(p, { force: true });
      }
    });

    it('lints a directory of 10,000 files', async () => {
      const many = path.join(dir, 'many');
      fs.mkdirSync(many);
      for (let i = 0; i < 10000; i++) fs.writeFileSync(path.join(many, `f${String(i).padStart(5, '0')}.md`), i % 1000 === 0 ? 'TODO\n' : `note ${i}\n`);
      const r = await cli(['lint', 'many', '--format', 'json'], dir);
      assert.equal(r.code, 0);
      const json = JSON.parse(r.out);
      assert.equal(json.summary.files, 10000);
      assert.equal(json.summary.warnings, 10);
      assert.equal(json.files[0].file, path.join('many', 'f00000.md'));
      assert.match(r.err, /10000 files, 0 errors, 10 warnings/);
    });

    it('rejects unknown options and missing arguments with a usage hint (exit 2)', async () => {
      const r = await cli(['lint', '--formt', 'json', 'a.md'], dir);
      assert.equal(r.code, 2);
      assert.equal(r.err, 'math-writeup: unknown option --formt for "lint" (did you mean --format?); run "math-writeup lint --help" for usage\n');
      assert.match((await cli(['lint', '--format', 'xml', 'a.md'], dir)).err, /--format must be one of text, json, sarif, github, not "xml"/);
      assert.match((await cli(['lint'], dir)).err, /lint needs at least one file/);
      assert.equal((await cli(['lint', '--target'], dir)).code, 2);
      const u = await cli(['frobnicate'], dir);
      assert.equal(u.code, 2);
      assert.match(u.err, /unknown command "frobnicate"/);
    });

    it('turns an internal failure into one line, with the stack only under --debug', async () => {
      write('a.md', 'x\n');
      const broken: Registry = { ...registry, list: () => { throw new Error('synthetic failure'); } };
      const r = await cli(['lint', 'a.md'], dir, { registry: broken });
      assert.equal(r.code, 2);
      assert.equal(r.err, 'math-writeup: synthetic failure (run with --debug for details)\n');
      for (const argv of [['lint', 'a.md', '--debug'], ['--debug', 'lint', 'a.md']]) {
        const d = await cli(argv, dir, { registry: broken });
        assert.equal(d.code, 2);
        assert.match(d.err, /^math-writeup: synthetic failure\nError: synthetic failure\n\s+at /);
      }
    });
  });

  describe('scan', () => {
    it('prints GitHub math and near misses as JSON with 0-based ranges', async () => {
      write('m.md', 'Let $x+y$ be\n\n$$\na^2\n$$\n');
      const r = await cli(['scan', 'm.md', '--format', 'json'], dir);
      assert.equal(r.code, 0);
      const json = JSON.parse(r.out);
      assert.equal(json.file, 'm.md');
      assert.deepEqual(json.math[0], {
        display: false, delimited: '$x+y$', tex: 'x+y', range: { start: { line: 0, character: 4 }, end: { line: 0, character: 9 } },
      });
      assert.equal(json.math[1].display, true);
      assert.deepEqual(json.nearMisses, []);
    });

    it('reads standard input for "-" and reports near misses', async () => {
      const r = await cli(['scan', '-', '--format=json'], dir, { stdin: '\ufeffprice $ x$ here' });
      assert.equal(r.code, 0);
      const json = JSON.parse(r.out);
      assert.equal(json.file, '-');
      assert.deepEqual(json.math, []);
      for (const n of json.nearMisses) {
        assert.equal(typeof n.rule, 'string');
        assert.equal(typeof n.message, 'string');
        assert.equal(n.range.start.line, 0);
      }
    });

    it('text format, and errors for bad input', async () => {
      write('m.md', 'a $b$\n');
      const r = await cli(['scan', 'm.md'], dir);
      assert.equal(r.out, 'm.md:1:3 inline $b$\n');
      assert.equal((await cli(['scan'], dir)).code, 2);
      const missing = await cli(['scan', 'nope.md'], dir);
      assert.equal(missing.code, 2);
      assert.equal(missing.err, 'math-writeup: cannot read nope.md: no such file or directory\n');
    });
  });

  it('--version and --help', async () => {
    const v = await cli(['--version'], dir);
    assert.equal(v.code, 0);
    assert.equal(v.out.trim(), JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../package.json'), 'utf8')).version);
    const h = await cli(['--help'], dir);
    assert.match(h.out, /Usage: math-writeup <command>/);
    assert.match((await cli(['lint', '--help'], dir)).out, /--fix/);
    assert.equal((await cli([], dir)).code, 2);
  });
});
