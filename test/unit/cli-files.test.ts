// Which files the CLI lints (.gitignore, "ignores", --ignore-pattern, --no-ignore) and configuration files people
// can write (JSONC: comments and trailing commas; errors with line and column; $schema).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../../src/cli/main';
import type { CliIO } from '../../src/cli/io';
import { createRegistry } from '../../src/core/lint/registry';
import { parseConfigDocument, ConfigFileError } from '../../src/node/configFile';
import { IgnoreFilter } from '../../src/node/ignoreFilter';
import { dollarSpaceRule, todoRule } from './lint-test-rules';

const registry = createRegistry([todoRule, dollarSpaceRule]);

async function cli(argv: string[], cwd: string): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIO = { stdout: (s) => (out += s), stderr: (s) => (err += s), cwd };
  const code = await runCli(argv, io, () => Promise.resolve(''), { registry });
  return { code, out, err };
}

const files = (out: string): string[] =>
  [...new Set(out.trim().split('\n').filter(Boolean).map((l) => l.split(':')[0].split(path.sep).join('/')))].sort();

describe('CLI file selection and configuration files', function () {
  this.timeout(60000);
  let dir: string;
  const write = (rel: string, content: string): void => {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), content);
  };
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mw-files-'));
    fs.mkdirSync(path.join(dir, '.git'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('directory arguments honour .gitignore files (nested ones, negations, ignored directories)', async () => {
    write('.gitignore', 'build/\n*.draft.md\n!keep.draft.md\n');
    write('docs/.gitignore', 'private.md\n');
    for (const f of ['a.md', 'build/b.md', 'x.draft.md', 'keep.draft.md', 'docs/c.md', 'docs/private.md', 'docs/sub/private.md']) {
      write(f, 'TODO\n');
    }
    const r = await cli(['lint', '.'], dir);
    assert.deepEqual(files(r.out), ['a.md', 'docs/c.md', 'keep.draft.md']);
    const all = await cli(['lint', '.', '--no-ignore'], dir);
    assert.equal(files(all.out).length, 7);
    // From a subdirectory the repository's root .gitignore still applies.
    const sub = await cli(['lint', '.'], path.join(dir, 'build'));
    assert.equal(sub.out, '');
  });

  it('"ignores" in the configuration (relative to its folder) and --ignore-pattern (relative to the working directory)', async () => {
    write('.math-writeup.json', '{ "ignores": ["test/fixtures/**", "/notes.md"] }\n');
    for (const f of ['a.md', 'notes.md', 'test/fixtures/bad.md', 'test/ok.md', 'sub/notes.md']) write(f, 'TODO\n');
    const r = await cli(['lint', '.'], dir);
    assert.deepEqual(files(r.out), ['a.md', 'sub/notes.md', 'test/ok.md']);
    const p = await cli(['lint', '.', '--ignore-pattern', 'test/', '--ignore-pattern=a.md'], dir);
    assert.deepEqual(files(p.out), ['sub/notes.md']);
    // A file named on the command line and excluded is left out with a note (hooks pass every staged file).
    const named = await cli(['lint', 'test/fixtures/bad.md'], dir);
    assert.equal(named.out, '');
    assert.equal(named.code, 0);
    assert.match(named.err, /test\/fixtures\/bad\.md: left out \(ignored by "ignores" of the configuration; use --no-ignore to lint it\)/);
    const forced = await cli(['lint', 'test/fixtures/bad.md', '--no-ignore'], dir);
    assert.deepEqual(files(forced.out), ['test/fixtures/bad.md']);
  });

  it('check leaves out the same files (.gitignore, "ignores", --ignore-pattern; --no-ignore runs all)', async () => {
    write('.gitignore', 'drafts/\n');
    write('.math-writeup.json', '{ "ignores": ["old/**"] }\n');
    const block = '```check\ntitle: square\ngiven: x = 3\nclaim: x^2 = 9\n```\n';
    for (const f of ['hw.md', 'drafts/d.md', 'old/o.md', 'extra/e.md']) write(f, block);
    const checked = (out: string): string[] => files(out.split('\n').filter((l) => / pass /.test(l)).join('\n'));
    const r = await cli(['check', '.', '--ignore-pattern', 'extra/'], dir);
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(checked(r.out), ['hw.md']);
    const all = await cli(['check', '.', '--no-ignore'], dir);
    assert.deepEqual(checked(all.out), ['drafts/d.md', 'extra/e.md', 'hw.md', 'old/o.md']);
  });

  it('IgnoreFilter says why a file is left out', async () => {
    write('.gitignore', 'out/\n');
    const f = new IgnoreFilter(dir, ['*.tmp.md']);
    assert.equal(await f.reason('out/x.md'), '.gitignore');
    assert.equal(await f.reason('a.tmp.md'), '--ignore-pattern');
    assert.equal(await f.reason('a.md', { dir: path.join(dir, 'sub'), patterns: ['a.md'] }), undefined);
    assert.equal(await f.reason('sub/a.md', { dir: path.join(dir, 'sub'), patterns: ['a.md'] }), '"ignores" of the configuration');
  });

  it('configuration files accept comments, trailing commas and $schema', async () => {
    write(
      '.math-writeup.json',
      '// course settings\n{\n  "$schema": "https://example.org/schema.json",\n  /* block */ "rules": { "no-todo": "error", },\n  "ignores": ["x.md",],\n}\n',
    );
    write('a.md', 'TODO\n');
    const r = await cli(['lint', 'a.md'], dir);
    assert.equal(r.out, 'a.md:1:1 error MW901 TODO left in the text\n');
    assert.equal(r.code, 1);
  });

  it('configuration errors give line and column', () => {
    const err = (text: string): string => {
      try {
        parseConfigDocument(text, registry, 'c.json');
      } catch (e) {
        assert.ok(e instanceof ConfigFileError);
        return e.message;
      }
      return 'no error';
    };
    assert.equal(err('{\n  "rules": { "no-todo": "error" }\n  "target": "github"\n}'), 'math-writeup: c.json:3:3: invalid JSON: expected "," between entries');
    assert.equal(err('{ /* open\n'), 'math-writeup: c.json:1:3: invalid JSON: comment not closed (missing */)');
    assert.equal(err('{\n  "ignores": "a.md"\n}'), 'math-writeup: c.json:2:3: "ignores" must be a list of file patterns, e.g. ["test/fixtures/**"]');
    assert.equal(err('{\n  // x\n  "rules": {\n    "MW901": "loud"\n  }\n}').startsWith('math-writeup: c.json:4:5: rule "MW901": severity must be one of'), true);
    assert.equal(err('{ "colour": 1 }'), 'math-writeup: c.json:1:3: unknown setting "colour"; known settings are "target", "rules" and "ignores"');
    assert.equal(err(''), 'math-writeup: c.json:1:1: invalid JSON: expected a value');
  });
});
