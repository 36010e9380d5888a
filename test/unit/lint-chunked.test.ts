// `lint` and `lint --fix` of a file run chunk by chunk (src/core/lint/chunked.ts) so that a large writeup never parses
// whole: the findings, their fixes and what --fix writes must be exactly those of a whole-document lint. And GitHub's
// MathJax verdicts come from a validator object the caller passes in: a lint's findings never depend on what ran
// before it or on how many verdicts the validator's cache holds.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { lintText, lintTextAsync } from '../../src/core/lint/engine';
import { documentChunks, FILE_TUNING, lintInChunks, lintInChunksAsync } from '../../src/core/lint/chunked';
import { fixAll } from '../../src/core/lint/edits';
import { IncrementalLinter } from '../../src/core/lint/incremental';
import { LiveLinter } from '../../src/core/lint/live';
import { mergeConfigs } from '../../src/core/lint/config';
import { defaultRegistry } from '../../src/core/lint/registry';
import { GithubValidator } from '../../src/core/tex/mathjax';
import { runCli } from '../../src/cli/main';
import type { CliIO } from '../../src/cli/io';
import type { Finding } from '../../src/core/types';

/** Cut at every safe place: the strongest test of the cuts. */
const EVERYWHERE = { minLines: 1, maxLines: 1e9, cutMask: 0 };

// Blocks a cut could change: constructs that carry state across blank lines (unclosed `$$` and fences, HTML blocks,
// comments with directives, loose lists, reference definitions and footnotes — document-wide, linted whole), fixable
// findings, and plain paragraphs between.
const BLOCKS = [
  'Plain text with $x^2$ and $w^*$ then $v^*$.',
  'A formula $ w $ with spaces, and a$b$ glued one.',
  '$$\na = b\n\nc = d\n$$',
  '$$ x $$',
  '$$\nunclosed display',
  '$$ open display line',
  '```\ncode $x$\n\nmore $y$\n```',
  '```\nunclosed fence $x$',
  '~~~math\nx^2\n~~~',
  '<!--\ncomment $x$\n\nstill comment $y$\n-->',
  '<!-- unclosed comment $z$',
  '<!-- math-writeup-disable MW001 -->',
  '<!-- math-writeup-enable MW001 -->',
  '<!-- math-writeup-disable-next-line -->\nText $ x $ here.',
  '<pre>\n$x$\n\n$y$\n</pre>',
  '<div>\n$x$ in html\n</div>',
  '<script>\nlet a = "$x$";\n\nlet b = 1;',
  '- item $x$\n\n  continued $ y $\n\n- next $\\{a\\}$',
  '1. one $a$\n\n2. two $ b $',
  '> quote $x$\n>\n> more $ y $',
  '    indented $x$\n\n    still code $y$',
  '| a | b |\n|---|---|\n| $x$ | $\\|y\\|$ |',
  '[ref]: https://example.com "title $x$"',
  'See [the doc][ref] and $\\operatorname{Tr}(A)$.',
  'A note[^1] with $x$.\n\n[^1]: footnote $ y $',
  '\\[ a +\nb \\]',
  'Line one\nLine two $\\operatorname{Tr}(A)$ and $\\{x\\}$ and $\\bm{v}$.',
  '中文$x$文字',
  '',
];

const docs = fc.array(fc.constantFrom(...BLOCKS), { minLength: 1, maxLength: 30 }).map((b) => b.join('\n\n') + '\n');

/** A long writeup of many chunks (no document-wide state), with fixable findings in every part. */
function longWriteup(paragraphs: number): string {
  const parts: string[] = [];
  for (let i = 0; i < paragraphs; i++) {
    const k = i % 9;
    if (k === 0) parts.push(`## Part ${i}\n\nThe loss $L_${i}(w) = \\|Xw - y\\|^2$ and a$b_${i}$ glued.`);
    else if (k === 1) parts.push(`$$\n\\sum_{k=1}^{${i}} k\n\n= \\frac{n(n+1)}{2}\n$$`);
    else if (k === 2) parts.push(`- item $ x_${i} $\n\n  continued $\\{a_${i}\\}$`);
    else if (k === 3) parts.push('```\ncode $x$\n\nmore\n```');
    else if (k === 4) parts.push(`Use $\\operatorname{Tr}(A_${i})$ and $\\bm{v}$ here.`);
    else if (k === 5) parts.push('<!--\nnote $x$\n\nmore\n-->');
    else if (k === 6) parts.push(`Price $5 and then $y_${i}$.`);
    else parts.push(`Plain paragraph ${i} with $x^${i % 7}$.`);
  }
  return parts.join('\n\n') + '\n';
}

describe('chunked lint (lint and --fix of large files)', function () {
  this.timeout(300000);

  it('gives the whole-document findings and fixes for documents of blocks reaching across blank lines', () => {
    fc.assert(
      fc.property(docs, (text) => {
        assert.deepEqual(lintInChunks(text, undefined, { tuning: EVERYWHERE }), lintText(text), JSON.stringify(text));
      }),
      { numRuns: 250 },
    );
  });

  it('--fix applies the same fixes as with the whole-document lint', () => {
    fc.assert(
      fc.property(docs, (text) => {
        const whole = fixAll(text, (t) => lintText(t));
        const chunked = fixAll(text, (t) => lintInChunks(t, undefined, { tuning: EVERYWHERE }));
        assert.equal(chunked.text, whole.text);
        assert.deepEqual(chunked.applied, whole.applied);
      }),
      { numRuns: 40 },
    );
  });

  it('really cuts a long writeup with the file tuning, and still equals the whole lint', () => {
    const text = longWriteup(3000);
    let chunks = 0;
    for (const c of documentChunks(text, FILE_TUNING)) {
      assert.equal(c.from === 0 || text[c.from - 1] === '\n', true);
      chunks++;
    }
    assert.ok(chunks > 3, `${chunks} chunks`);
    const findings = lintInChunks(text, undefined);
    assert.ok(findings.length > 1000 && findings.some((f) => f.fixes.length > 0));
    assert.deepEqual(findings, lintText(text));
  });

  it('with GitHub\'s MathJax: the same findings as lintTextAsync', async () => {
    const validator = new GithubValidator();
    const text = longWriteup(120) + '\nBad $\\undefinedChunkedOne{x}$ and $\\frac{a}$.\n';
    const chunked = await lintInChunksAsync(text, undefined, { validator, tuning: EVERYWHERE });
    assert.ok(chunked.some((f) => f.ruleId === 'MW053'));
    assert.deepEqual(chunked, await lintTextAsync(text, undefined, { validator: new GithubValidator() }));
  });

  it('the CLI\'s lint --fix writes what a whole-document fix writes', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mw-chunked-'));
    try {
      const text = longWriteup(1200);
      fs.writeFileSync(path.join(dir, 'w.md'), text);
      let out = '';
      const io: CliIO = { stdout: (s) => (out += s), stderr: () => undefined, cwd: dir };
      await runCli(['lint', 'w.md', '--no-mathjax', '--format', 'json'], io, () => Promise.resolve(''));
      const reported = (JSON.parse(out) as { files: { findings: Finding[] }[] }).files[0].findings;
      assert.deepEqual(reported, JSON.parse(JSON.stringify(lintText(text))));
      await runCli(['lint', 'w.md', '--no-mathjax', '--fix'], { ...io, stdout: () => undefined }, () => Promise.resolve(''));
      assert.equal(fs.readFileSync(path.join(dir, 'w.md'), 'utf8'), fixAll(text, (t) => lintText(t)).text);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('GitHub MathJax verdicts are passed in (no process-wide state)', function () {
  this.timeout(120000);
  const bad = Array.from({ length: 12 }, (_, i) => `\\undefinedVerdict${String.fromCharCode(65 + i)}{x}`);
  const text = bad.map((tex, i) => `Paragraph ${i} with $${tex}$ in it.`).join('\n\n') + '\n';
  const mw053 = (fs: readonly Finding[]): number => fs.filter((f) => f.ruleId === 'MW053').length;

  it('lintText gives the same findings before and after MathJax has run', async () => {
    const before = lintText(text);
    const validator = new GithubValidator();
    const full = await lintTextAsync(text, undefined, { validator });
    assert.equal(mw053(full), bad.length);
    assert.deepEqual(lintText(text), before, 'a later lintText is not changed by the MathJax pass');
    assert.equal(mw053(before), 0);
    assert.deepEqual(new IncrementalLinter().lint(text).findings, before);
    // Given the validator, the synchronous lint reads its verdicts.
    assert.deepEqual(lintText(text, undefined, { verdicts: validator }), full);
  });

  it('a validator cache smaller than the document never drops an MW053 finding', async () => {
    const tiny = (): GithubValidator => new GithubValidator({ cacheSize: 1, svgCacheSize: 1 });
    const want = await lintTextAsync(text, undefined, { validator: new GithubValidator() });
    assert.equal(mw053(want), bad.length);
    assert.deepEqual(await lintTextAsync(text, undefined, { validator: tiny() }), want);
    assert.deepEqual(await lintInChunksAsync(text, undefined, { validator: tiny(), tuning: EVERYWHERE }), want);
    // The editors' path: incremental lint, then the background MathJax pass.
    const live = new LiveLinter(tiny());
    const config = mergeConfigs(defaultRegistry());
    const republished = await new Promise<Finding[]>((resolve) => {
      live.lint(text, 1, config, { republish: resolve, idleMs: 0 });
    });
    assert.deepEqual(republished, want);
  });
});
