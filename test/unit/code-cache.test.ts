// The CLI's start-up path: V8's code cache for the bundles (src/node/codeCache.ts) and GitHub's MathJax in a worker
// thread (src/node/validateClient.ts). Neither may change a result: the same findings with the cache empty, filled,
// damaged, from another build, or unwritable, and with the MathJax worker on, off, or broken.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { codeCacheDir, requireCached } from '../../src/node/codeCache';
import { useMathjaxWorker, ValidateClient } from '../../src/node/validateClient';
import { GithubValidator } from '../../src/core/tex/mathjax';

const repo = path.resolve(__dirname, '..', '..', '..');
const bin = path.join(repo, 'bin', 'math-writeup.js');

/** A document with findings of the MathJax pass (MW053: TeX error, undefined macro) and of the fast rules. */
const DOC = [
  '# Notes',
  '',
  'The step $\\eta \\le 1/L$ and $\\frac{a}{b$ and $\\foo x$.',
  '',
  '$$',
  '\\begin{aligned} f(x) &= \\tfrac12 x^\\top A x \\\\ g &= \\nabla f \\end{aligned}',
  '$$',
  '',
  'A price of $5 and $x_1$, $\\unknownmacro{y}$, $\\mathbb{R}^n$.',
  '',
].join('\n');

describe('CLI start-up: V8 code cache and the MathJax worker', function () {
  this.timeout(120000);
  let tmp: string;
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mw-codecache-'));
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  describe('codeCacheDir', () => {
    it('follows MATH_WRITEUP_CODE_CACHE, then the platform’s user cache directory', () => {
      assert.equal(codeCacheDir({ MATH_WRITEUP_CODE_CACHE: 'off' }, 'linux', '/home/u'), undefined);
      assert.equal(codeCacheDir({ MATH_WRITEUP_CODE_CACHE: '0' }, 'linux', '/home/u'), undefined);
      assert.equal(codeCacheDir({ MATH_WRITEUP_CODE_CACHE: '/x/y' }, 'linux', '/home/u'), path.resolve('/x/y'));
      assert.equal(codeCacheDir({}, 'linux', '/home/u'), path.join('/home/u', '.cache', 'math-writeup', 'v8'));
      assert.equal(codeCacheDir({ XDG_CACHE_HOME: '/c' }, 'linux', '/home/u'), path.join('/c', 'math-writeup', 'v8'));
      // a relative XDG_CACHE_HOME is invalid by the XDG specification: ignored
      assert.equal(codeCacheDir({ XDG_CACHE_HOME: 'c' }, 'linux', '/home/u'), path.join('/home/u', '.cache', 'math-writeup', 'v8'));
      assert.equal(codeCacheDir({}, 'darwin', '/Users/u'), path.join('/Users/u', 'Library', 'Caches', 'math-writeup', 'v8'));
      assert.equal(codeCacheDir({ LOCALAPPDATA: 'C:\\L' }, 'win32', 'C:\\u'), path.join('C:\\L', 'math-writeup', 'v8'));
      assert.equal(codeCacheDir({}, 'linux', ''), undefined);
    });
  });

  describe('requireCached', () => {
    const writeBundle = (name: string, body: string): string => {
      const f = path.join(tmp, name);
      fs.writeFileSync(f, body);
      return f;
    };
    const BUNDLE = `'use strict';
const path = require('node:path');
function square(x) { return x * x; }
exports.answer = [1, 2, 3].map(square).reduce((a, b) => a + b, 0);
exports.where = path.basename(__dirname) + '/' + path.basename(__filename);
exports.same = module.exports === exports;`;

    it('misses, writes one entry, then hits with the same exports', () => {
      const cache = path.join(tmp, 'cache');
      const file = writeBundle('b.js', BUNDLE);
      const first = requireCached<{ answer: number; where: string; same: boolean }>(file, cache, false);
      assert.equal(first.state, 'miss');
      assert.deepEqual({ ...first.exports }, { answer: 14, where: `${path.basename(tmp)}/b.js`, same: true });
      assert.equal(fs.existsSync(cache), false, 'nothing written before save()');
      first.save();
      const entries = fs.readdirSync(cache);
      assert.equal(entries.length, 1);
      assert.match(entries[0], /^b-[0-9a-f]{40}\.bin$/);
      const second = requireCached<{ answer: number }>(file, cache, false);
      assert.equal(second.state, 'hit');
      assert.equal(second.exports.answer, 14);
    });

    it('ignores a damaged, truncated or foreign entry and replaces it', () => {
      const cache = path.join(tmp, 'cache');
      const file = writeBundle('b.js', BUNDLE);
      requireCached(file, cache, false).save();
      const entry = path.join(cache, fs.readdirSync(cache)[0]);
      const good = fs.readFileSync(entry);
      const damaged = Buffer.from(good);
      damaged[damaged.length - 10] ^= 0xff;
      for (const bad of [damaged, good.subarray(0, good.length >> 1), Buffer.from('not a cache'), Buffer.alloc(0)]) {
        fs.writeFileSync(entry, bad);
        const r = requireCached<{ answer: number }>(file, cache, false);
        assert.equal(r.state, 'miss');
        assert.equal(r.exports.answer, 14);
        r.save();
        assert.equal(requireCached(file, cache, false).state, 'hit', 'replaced by a good entry');
      }
    });

    it('does not use the entry of another text; V8 refusing an intact entry is a fresh compile', () => {
      const cache = path.join(tmp, 'cache');
      const a = writeBundle('b.js', BUNDLE);
      requireCached(a, cache, false).save();
      const [entryA] = fs.readdirSync(cache);
      // a new build of the same file (same length even): another key
      fs.writeFileSync(a, BUNDLE.replace('x * x', 'x + x'));
      const rebuilt = requireCached<{ answer: number }>(a, cache, false);
      assert.equal(rebuilt.state, 'miss');
      assert.equal(rebuilt.exports.answer, 12);
      rebuilt.save();
      // an intact entry (header and digest right) holding another script's code, under this text's name
      const entryB = fs.readdirSync(cache).find((e) => e !== entryA) as string;
      const other = writeBundle('c.js', 'exports.answer = "other";');
      requireCached(other, cache, false).save();
      const entryC = fs.readdirSync(cache).find((e) => e.startsWith('c-')) as string;
      fs.copyFileSync(path.join(cache, entryC), path.join(cache, entryB));
      // in a new process: this one's V8 keeps the compiled text in memory and would not look at the entry
      const child = spawnSync(process.execPath, ['-e', `const r = require(${JSON.stringify(path.join(repo, 'out/src/node/codeCache.js'))})
        .requireCached(${JSON.stringify(a)}, ${JSON.stringify(cache)}, false); console.log(r.state, r.exports.answer);`], { encoding: 'utf8' });
      assert.equal(child.stdout.trim(), 'rejected 12', child.stderr);
    });

    it('runs when the cache directory cannot be created or written', () => {
      const blocker = path.join(tmp, 'a-file');
      fs.writeFileSync(blocker, 'x');
      const file = writeBundle('b.js', BUNDLE);
      const r = requireCached<{ answer: number }>(file, path.join(blocker, 'cache'), false);
      assert.equal(r.state, 'miss');
      assert.doesNotThrow(() => r.save());
      assert.equal(r.exports.answer, 14);
      const off = requireCached<{ answer: number }>(file, undefined, false);
      assert.equal(off.exports.answer, 14);
    });
  });

  describe('the math-writeup process', () => {
    const lint = (env: Record<string, string>, ...extra: string[]) => {
      fs.writeFileSync(path.join(tmp, 'doc.md'), DOC);
      const r = spawnSync(process.execPath, [bin, 'lint', '--format', 'json', ...extra, 'doc.md'], {
        cwd: tmp,
        encoding: 'utf8',
        env: { ...process.env, NO_COLOR: '1', ...env },
      });
      return { code: r.status, out: r.stdout, err: r.stderr };
    };

    it('gives the same findings with the code cache empty, filled, damaged, unwritable or off', () => {
      const cache = path.join(tmp, 'v8');
      const base = lint({ MATH_WRITEUP_CODE_CACHE: 'off', MATH_WRITEUP_MATHJAX_WORKER: '0' });
      assert.equal(base.code, 1, base.err);
      const findings = JSON.parse(base.out) as { files: { findings: { ruleId: string }[] }[] };
      const rules = findings.files[0].findings.map((f) => f.ruleId);
      assert.ok(rules.includes('MW053'), `the MathJax pass reports: ${rules.join(' ')}`);
      const first = lint({ MATH_WRITEUP_CODE_CACHE: cache });
      assert.deepEqual(first, base);
      const entries = fs.readdirSync(cache).sort();
      assert.ok(entries.some((e) => /^cli-[0-9a-f]{40}\.bin$/.test(e)), entries.join(' '));
      assert.deepEqual(lint({ MATH_WRITEUP_CODE_CACHE: cache }), base);
      for (const e of entries) {
        const f = path.join(cache, e);
        const b = fs.readFileSync(f);
        b[b.length >> 1] ^= 0x5a;
        fs.writeFileSync(f, b);
      }
      assert.deepEqual(lint({ MATH_WRITEUP_CODE_CACHE: cache }), base);
      const blocker = path.join(tmp, 'file');
      fs.writeFileSync(blocker, '');
      assert.deepEqual(lint({ MATH_WRITEUP_CODE_CACHE: path.join(blocker, 'v8') }), base);
      assert.deepEqual(lint({ MATH_WRITEUP_CODE_CACHE: cache, MATH_WRITEUP_MATHJAX_WORKER: '1' }), base);
      assert.deepEqual(lint({ MATH_WRITEUP_CODE_CACHE: cache, MATH_WRITEUP_MATHJAX_WORKER: '1' }, '--fix'), {
        ...lint({ MATH_WRITEUP_CODE_CACHE: 'off', MATH_WRITEUP_MATHJAX_WORKER: '0' }, '--fix'),
      });
      assert.equal(fs.readdirSync(tmp).filter((e) => e.endsWith('.tmp')).length, 0);
    });
  });

  describe('MathJax worker', () => {
    it('is used when a core is idle, or as MATH_WRITEUP_MATHJAX_WORKER says', () => {
      assert.equal(useMathjaxWorker({}, 2, 0.3), true);
      assert.equal(useMathjaxWorker({}, 2, 1.5), false);
      assert.equal(useMathjaxWorker({}, 1, 0), false);
      assert.equal(useMathjaxWorker({ MATH_WRITEUP_MATHJAX_WORKER: '1' }, 1, 9), true);
      assert.equal(useMathjaxWorker({ MATH_WRITEUP_MATHJAX_WORKER: '0' }, 8, 0), false);
    });

    const formulas = [
      { tex: '\\frac{a}{b', display: false },
      { tex: '\\foo x + \\bar y', display: false },
      { tex: '\\begin{aligned} a &= b \\\\ c &= d \\end{aligned}', display: true },
      ...Array.from({ length: 20 }, (_, i) => ({ tex: `x_{${i}} + \\alpha^{${i}} \\nofunc{${i}}`, display: i % 2 === 0 })),
    ];

    it('gives the verdicts this thread gives, also when the worker is missing or dies', async () => {
      const dying = path.join(tmp, 'dies.js');
      fs.writeFileSync(dying, 'process.exit(3);');
      for (const [tag, client] of [
        ['worker', new ValidateClient()],
        ['missing', new ValidateClient(path.join(tmp, 'nowhere.js'))],
        ['dies', new ValidateClient(dying)],
      ] as const) {
        const validator = new GithubValidator();
        client.start();
        await client.validate(formulas, validator);
        client.close();
        const got = formulas.map((g) => validator.verdict(g.tex, g.display));
        assert.ok(got.every((p) => p !== undefined), tag);
        const fresh = new GithubValidator();
        const expected = await Promise.all(formulas.map((g) => fresh.validate(g.tex, g.display)));
        assert.deepEqual(got, expected, tag);
        assert.ok(expected.filter((p) => p.length > 0).length >= 20, tag);
      }
    });
  });
});
