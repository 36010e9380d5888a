// The incremental preview renderer must produce exactly what a fresh full render produces, after any edit, and
// its splices must turn the previous block list into the new one (what the webview does with them).
import * as assert from 'node:assert';
import fc from 'fast-check';
import { DocumentRenderer, type BlockSplice, type RenderedBlock } from '../../src/core/render/document';

function applySplice(blocks: RenderedBlock[], s: BlockSplice): RenderedBlock[] {
  const before = blocks.slice(0, s.start);
  const after = blocks.slice(s.start + s.deleteCount).map((b) => ({ ...b, line: b.line + s.lineDelta, endLine: b.endLine + s.lineDelta }));
  return [...before, ...s.insert, ...after];
}

function fresh(text: string, mode: 'github' | 'vscode'): RenderedBlock[] {
  return new DocumentRenderer({ mode }).update(text).blocks;
}

/** Keys of documents with document-wide state carry the render version (`@line v version`): compare without it. */
function stripPos(key: string): string {
  return key.replace(/@\d+v\d+$/, '');
}

function assertSame(actual: RenderedBlock[], expected: RenderedBlock[], context: string): void {
  assert.deepStrictEqual(
    actual.map((b) => [b.line, b.endLine, stripPos(b.key), b.html]),
    expected.map((b) => [b.line, b.endLine, stripPos(b.key), b.html]),
    context,
  );
}

function runs(defaultRuns: number): number {
  return Number(process.env.MW_FC_RUNS ?? defaultRuns);
}

/** A property's hard time limit: generous per run (a run renders a few small documents), never reached on a slow machine. */
function propertyLimitMs(defaultRuns: number): number {
  return 30_000 + 100 * runs(defaultRuns);
}

/**
 * Property runs and time limit: `MW_FC_RUNS=5000` widens the search (`MW_FC_SEED`, read by fc-replay.ts, replays one).
 * fast-check stops the property at the limit and fails it (a hang is a failure, not a pass).
 */
function fcParams(defaultRuns: number): fc.Parameters<unknown> {
  return {
    numRuns: runs(defaultRuns),
    interruptAfterTimeLimit: propertyLimitMs(defaultRuns),
    markInterruptAsFailure: true,
  };
}

/** Renders `before`, then `after` incrementally, and compares with a full render of `after`. */
function assertIncremental(before: string, after: string, mode: 'github' | 'vscode'): RenderedBlock[] {
  const r = new DocumentRenderer({ mode });
  r.update(before);
  const blocks = r.update(after).blocks;
  assertSame(blocks, fresh(after, mode), `incremental render differs for:\n${after}`);
  return blocks;
}

const FRAGMENTS = [
  '# Heading $x$',
  'Plain paragraph with $a+b$ and $c_1$.',
  'Text，$a$ near miss',
  'A $w^*$ and $v^*$ pair',
  '$$\n\\int_0^1 f\\,dx\n$$',
  '$$x^2$$',
  '- item $y$\n- item two',
  '1. first\n2. second $z$',
  '  indented continuation',
  '    indented code $q$',
  '```\ncode $not math$\n```',
  '```',
  '```math\n\\frac{1}{2}\n```',
  '```check\ntitle: T\nclaim: \\eta < 1\n```',
  '| a | b |\n|---|---|\n| $x$ | 2 |',
  '|---|---|',
  '> quote $q$\n> more',
  '===',
  '---',
  '<div>\n*raw* $m$\n</div>',
  'lazy line',
  '',
  '',
];

describe('preview renderer: incremental updates', () => {
  it('equals a full render after arbitrary line edits (both modes)', function () {
    this.timeout(propertyLimitMs(150) + 10_000);
    const doc = fc.array(fc.constantFrom(...FRAGMENTS), { minLength: 1, maxLength: 14 });
    const edit = fc.record({
      at: fc.nat(),
      del: fc.nat({ max: 3 }),
      ins: fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 3 }),
    });
    fc.assert(
      fc.property(doc, fc.array(edit, { minLength: 1, maxLength: 4 }), fc.constantFrom('github' as const, 'vscode' as const), (parts, edits, mode) => {
        let lines = parts.join('\n\n').split('\n');
        const r = new DocumentRenderer({ mode });
        let shown = r.update(lines.join('\n')).blocks;
        for (const e of edits) {
          const at = e.at % (lines.length + 1);
          const insLines = e.ins.length > 0 ? e.ins.join('\n').split('\n') : [];
          lines = [...lines.slice(0, at), ...insLines, ...lines.slice(at + e.del)];
          const text = lines.join('\n');
          const u = r.update(text);
          const expected = fresh(text, mode);
          assertSame(u.blocks, expected, `incremental render differs for:\n${text}`);
          assert.ok(u.splice, 'an update after the first has a splice');
          shown = applySplice(shown, u.splice);
          assertSame(shown, expected, `splice does not reproduce the new blocks for:\n${text}`);
        }
      }),
      fcParams(150),
    );
  });

  it('equals a full render after character edits inside formulas and delimiters', function () {
    this.timeout(propertyLimitMs(200) + 10_000);
    const base = 'Intro $a+b$ text.\n\n$$\nx^2\n$$\n\n- item $c$\n\n```\ncode\n```\n\nEnd $d$.';
    fc.assert(
      fc.property(fc.nat(), fc.nat({ max: 4 }), fc.constantFrom('$', '`', '*', '\n', '\n\n', 'x', '```\n', '\\{', ' '), (pos, del, ins) => {
        const at = pos % (base.length + 1);
        const text = base.slice(0, at) + ins + base.slice(at + del);
        const r = new DocumentRenderer({ mode: 'github' });
        r.update(base);
        assertSame(r.update(text).blocks, fresh(text, 'github'), `after editing at ${at}:\n${text}`);
      }),
      fcParams(200),
    );
  });

  it('a `$$` inside an HTML block does not open a formula for VS Code (regression found by the property above)', () => {
    // `</div>` interrupts the paragraph and starts an HTML block, so VS Code's formula starts at the second `$$`
    // and runs across the blank line: a window ending there would miss that comparison.
    const before = '<div>\n*raw* $m$\n</div>\n\\int_0^1 f\\,dx\n$$\n\n$$\n# Heading $x$\n\\int_0^1 f\\,dx\n$$\n\n# Heading $x$';
    const after = before.slice('<div>\n'.length);
    const r = new DocumentRenderer({ mode: 'github' });
    r.update(before);
    assertSame(r.update(after).blocks, fresh(after, 'github'), 'after deleting the first line');
  });

  it('a `$$` line after a heading keeps its explanation when a later line changes (regression, seed -814091005)', () => {
    // The window re-parse started at the setext heading `$$ … ===`: without the `# Heading` line before it, the
    // near-miss scanner explained the `$$` by the wrong cause. Windows now start and end at blank lines.
    const head = '<div>\n*raw* $m$\n</div>\n\n# Heading $x$\n\n# Heading $x$\n\n> quote $q$\n# Heading $x$\n$$\n\\int_0^1 f\\,dx\n$$\n$$x^2$$\n===\n\n';
    const blocks = assertIncremental(`${head}# Heading $x$\n\n# Heading $x$`, `${head}\n# Heading $x$`, 'github');
    assert.match(blocks[5].html, /follows a line of text without a blank line/);
  });

  it('a ```check fence right under a heading renders as in a full render after edits around it', () => {
    const before = '# Result $x$\n```check\ntitle: T\nclaim: \\eta < 1\n```\n\nText $y$.\n\nMore $z$.';
    for (const after of [before.replace('More $z$.', 'More $z$ and $w$.'), before.replace('Text $y$.', '> quote $q$'), before.replace('\n\nText', '\nText')]) {
      for (const mode of ['github', 'vscode'] as const) assertIncremental(before, after, mode);
    }
  });

  it('deleting the blank line before a link reference definition turns it into text everywhere', () => {
    const before = 'See [the notes][n] with $x$.\n\nMiddle $y$.\n\nEnd $z$.\n\n[n]: https://example.com';
    const after = before.replace('End $z$.\n\n', 'End $z$.\n');
    const blocks = assertIncremental(before, after, 'github');
    assert.doesNotMatch(blocks[0].html, /href=/, 'the reference is no longer defined');
  });

  it('a link reference defined inside a quote, typed later, re-renders the link above it', () => {
    const before = 'See [the notes][n] with $x$.\n\nMiddle $y$.\n\n> quoted\n';
    const after = 'See [the notes][n] with $x$.\n\nMiddle $y$.\n\n> [n]: https://example.com\n';
    const r = new DocumentRenderer({ mode: 'github' });
    r.update(before);
    const u = r.update(after);
    assertSame(u.blocks, fresh(after, 'github'), 'after defining the reference');
    assert.match(u.blocks[0].html, /href="https:\/\/example.com"/);
  });

  it('an unclosed fence typed in the middle swallows the rest, and closing it restores it', () => {
    const base = 'A $x$\n\nB $y$\n\nC $z$\n\nD $w$';
    const r = new DocumentRenderer({ mode: 'github' });
    r.update(base);
    const opened = base.replace('B $y$', '```\nB $y$');
    const u1 = r.update(opened);
    assert.strictEqual(u1.blocks.length, 2, 'the fence runs to the end of the document');
    assert.match(u1.blocks[1].html, /<pre><code>B \$y\$/);
    assert.doesNotMatch(u1.blocks[1].html, /katex/);
    const closed = opened.replace('C $z$', '```\n\nC $z$');
    const u2 = r.update(closed);
    assertSame(u2.blocks, fresh(closed, 'github'), 'after closing');
    assert.match(u2.blocks[u2.blocks.length - 1].html, /katex/, 'formulas after the closed fence render again');
  });
});

describe('preview renderer: caches', () => {
  const doc = Array.from({ length: 40 }, (_, i) => `Paragraph ${i} with $x_{${i}}$ and $y^{${i}}$.`).join('\n\n');

  it('re-renders only the edited block and typesets only the edited formula', () => {
    const r = new DocumentRenderer({ mode: 'github' });
    const first = r.update(doc);
    assert.strictEqual(first.stats.renderedBlocks, 40);
    const missesBefore = r.katexCache.stats.misses;
    const edited = doc.replace('$x_{17}$', '$x_{17}+1$');
    const u = r.update(edited);
    assert.strictEqual(u.stats.fullParse, false, 'a one-formula edit re-parses a window, not the document');
    assert.ok(u.stats.parsedLines < 10, `parsed ${u.stats.parsedLines} lines`);
    assert.strictEqual(u.stats.renderedBlocks, 1);
    assert.strictEqual(r.katexCache.stats.misses - missesBefore, 1, 'only the new formula is typeset');
    assert.ok(u.splice);
    assert.strictEqual(u.splice.deleteCount, 1);
    assert.strictEqual(u.splice.insert.length, 1);
    assert.strictEqual(u.splice.start, 17);
    assert.strictEqual(u.splice.lineDelta, 0);
  });

  it('an unchanged document yields an empty splice', () => {
    const r = new DocumentRenderer({ mode: 'vscode' });
    r.update(doc);
    const u = r.update(doc);
    assert.deepStrictEqual(u.splice, { start: 40, deleteCount: 0, insert: [], lineDelta: 0 });
    assert.strictEqual(u.stats.renderedBlocks, 0);
  });

  it('inserting lines shifts later blocks without re-rendering them', () => {
    const r = new DocumentRenderer({ mode: 'github' });
    r.update(doc);
    const edited = doc.replace('Paragraph 3 ', 'New paragraph $n$.\n\nParagraph 3 ');
    const u = r.update(edited);
    assert.ok(u.splice);
    assert.strictEqual(u.splice.lineDelta, 2);
    assert.strictEqual(u.splice.insert.length, 1, 'only the new paragraph is sent');
    assert.strictEqual(u.stats.renderedBlocks, 1);
    assert.strictEqual(u.blocks[3].line, 6);
    assert.strictEqual(u.blocks[4].line, 8, 'paragraph 3 moved down by two lines');
  });

  it('a check result changes the key of its card only', () => {
    const text = 'Intro $x$\n\n```check\ntitle: T\nclaim: \\eta < 1\n```\n\nOutro';
    const r = new DocumentRenderer({ mode: 'github' });
    const a = r.update(text);
    r.setCheckResult('title: T\nclaim: \\eta < 1\n', {
      line: 2, title: 'T', status: 'pass', message: 'empirical boundary 1.0000; claimed 1.0000', values: {}, elapsedMs: 12,
      expectFail: false, seed: 7, problems: [],
      plots: [{ title: 'P', xLabel: 'eta', yLabel: 'T', logX: false, logY: true, series: [{ name: 's', x: [1, 2, 3], y: [1, 10, 100] }] }],
    });
    const b = r.update(text);
    assert.ok(b.splice);
    assert.strictEqual(b.splice.start, 1);
    assert.strictEqual(b.splice.deleteCount, 1);
    assert.notStrictEqual(a.blocks[1].key, b.blocks[1].key);
    assert.match(b.blocks[1].html, /mw-check-pass/);
    assert.match(b.blocks[1].html, /<svg/);
    assert.match(b.blocks[1].html, /empirical boundary 1\.0000/);
  });

  it('link reference definitions and footnotes are resolved document-wide', () => {
    const text = 'See [the docs][d] and a note[^1].\n\n[d]: https://example.com/docs\n\n[^1]: The note $x$.';
    const r = new DocumentRenderer({ mode: 'github' });
    r.update(text);
    const edited = text.replace('https://example.com/docs', 'https://example.org/new');
    const u = r.update(edited);
    assert.match(u.blocks[0].html, /href="https:\/\/example\.org\/new"/);
    assertSame(u.blocks, fresh(edited, 'github'), 'after changing a reference definition');
  });
});
