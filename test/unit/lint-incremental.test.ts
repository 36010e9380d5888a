// The incremental linter must give exactly the findings of a full lint, for every text and after any edit; and an
// edit inside a long writeup must re-lint only the chunk it touches.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { lintText } from '../../src/core/lint/engine';
import { chunkStarts, IncrementalLinter, wholeDocumentReason } from '../../src/core/lint/incremental';
import { GithubValidator } from '../../src/core/tex/mathjax';

const root = path.resolve(__dirname, '..', '..', '..');
const read = (p: string): string => readFileSync(path.join(root, p), 'utf8');

/** Cut at every safe place: the strongest test of the cut rules. */
const EVERYWHERE = { minLines: 1, maxLines: 1e9, cutMask: 0 };

// Blocks that stress the cut rules: constructs that carry state across blank lines, and plain paragraphs between.
const BLOCKS = [
  'Plain text with $x^2$ and $w^*$ then $v^*$.',
  'A formula $ w $ with spaces, and a$b$ glued one.',
  '$$\na = b\n\nc = d\n$$',
  '$$\n\\begin{aligned}\nx &= 1 \\\\\ny &= 2\n\\end{aligned}\n$$',
  '$$ x $$',
  '```\ncode $x$\n\nmore $y$\n```',
  '~~~math\nx^2\n~~~',
  '```check\ntitle: t\ngiven: a = 1\nclaim: a = 1\n```',
  '<!--\ncomment $x$\n\nstill comment $y$\n-->',
  '<!-- math-writeup-disable MW001 -->',
  '<!-- math-writeup-enable MW001 -->',
  '<!-- math-writeup-disable-next-line -->\nText $ x $ here.',
  '<pre>\n$x$\n\n$y$\n</pre>',
  '<div>\n$x$ in html\n</div>',
  '- item $x$\n\n  continued $ y $\n\n- next $\\{a\\}$',
  '1. one $a$\n\n2. two $ b $',
  '> quote $x$\n>\n> more $ y $',
  '    indented $x$\n\n    still code $y$',
  '| a | b |\n|---|---|\n| $x$ | $\\|y\\|$ |',
  '\\[ a +\nb \\]',
  '\\[ a\n\nb \\]',
  'Text\n\\(x^2\\) inline.',
  '# Heading $x$',
  'Setext $x$\n===',
  '$$\nunclosed display',
  '```\nunclosed fence $x$',
  'Line one\nLine two $\\operatorname{Tr}(A)$ and $\\{x\\}$.',
  '中文$x$文字',
  '<div>\n```\n</div>',
  '- item\n  ```\n  code',
  '$$ $',
  '',
];

function lintBoth(text: string, linter: IncrementalLinter): void {
  const want = lintText(text);
  const got = linter.lint(text).findings;
  assert.deepEqual(got, want, `incremental findings differ for:\n${JSON.stringify(text)}`);
}

describe('incremental lint', function () {
  this.timeout(120000);

  it('gives the full lint\'s findings on the project\'s own documents, cut at every safe place', function () {
    for (const p of ['test/fixtures/rules/pitfalls.md', 'samples/github-pitfalls.md', 'samples/gd-step-size.md', 'docs/checks.md']) {
      const text = read(p);
      const linter = new IncrementalLinter({ tuning: EVERYWHERE });
      const r = linter.lint(text);
      assert.deepEqual(r.findings, lintText(text), p);
      if (!wholeDocumentReason(text)) assert.ok(r.stats.chunks > 1, `${p} was not cut (${r.stats.chunks} chunk)`);
    }
  });

  it('gives the full lint\'s findings on random documents of tricky blocks (every safe cut)', function () {
    const doc = fc.array(fc.tuple(fc.constantFrom(...BLOCKS), fc.constantFrom('\n\n', '\n', '\n\n\n', '\r\n\r\n')), { minLength: 1, maxLength: 24 })
      .map((parts) => parts.map(([b, sep]) => b + sep).join(''));
    fc.assert(
      fc.property(doc, (text) => {
        lintBoth(text, new IncrementalLinter({ tuning: EVERYWHERE }));
      }),
      { numRuns: Number(process.env.MW_PROPERTY_RUNS ?? 150), seed: Number(process.env.MW_PROPERTY_SEED ?? 7) },
    );
  });

  it('stays equal to the full lint through random edits of one document', function () {
    const base = BLOCKS.join('\n\n') + '\n';
    const edit = fc.record({
      at: fc.nat(),
      del: fc.nat({ max: 12 }),
      ins: fc.constantFrom('', '\n', '\n\n', '$', '$$', '```', '<!--', '-->', ' x', '- ', '    ', '\\[', '\\]', '$$\n', '\n```\n'),
    });
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 8 }), (edits) => {
        const linter = new IncrementalLinter({ tuning: EVERYWHERE });
        let text = base;
        lintBoth(text, linter);
        for (const e of edits) {
          const at = e.at % (text.length + 1);
          text = text.slice(0, at) + e.ins + text.slice(Math.min(text.length, at + e.del));
          lintBoth(text, linter);
        }
      }),
      { numRuns: Number(process.env.MW_PROPERTY_RUNS ?? 60), seed: Number(process.env.MW_PROPERTY_SEED ?? 11) },
    );
  });

  it('re-lints only the chunk an edit touches in a long writeup', function () {
    const section = (k: number): string =>
      [`## Part ${k}`, '', `The step $\\eta_${k}$ must satisfy $0 < \\eta < \\frac{2}{L}$, $\\sqrt{\\frac{1}{L}}$ and $w^*$ is the optimum.`, '',
        '$$', `w_{t+1} = w_t - \\eta \\nabla f(w_t) + ${k}`, '$$', '', `Here $ w_${k} $ has spaces.`, ''].join('\n');
    const parts: string[] = [];
    for (let k = 0; k < 400; k++) parts.push(section(k));
    const text = parts.join('\n');
    const linter = new IncrementalLinter();
    const first = linter.lint(text);
    assert.ok(first.stats.chunks >= 20, `${first.stats.chunks} chunks`);
    assert.equal(first.stats.linted, first.stats.chunks);
    const mid = text.indexOf('## Part 200');
    const edited = `${text.slice(0, mid)}Inserted $ z $ text.\n\n${text.slice(mid)}`;
    const second = linter.lint(edited);
    assert.ok(second.stats.linted <= 2, `${second.stats.linted} chunks re-linted`);
    assert.ok(second.stats.lintedLines < 200, `${second.stats.lintedLines} lines re-linted`);
    assert.deepEqual(second.findings, lintText(edited));
    // the new formula is reported where it was written
    const at = edited.indexOf('$ z $');
    assert.ok(second.findings.some((f) => f.start === at && f.ruleId === 'MW002'), 'finding for the inserted formula');
    // an unchanged text re-lints nothing
    assert.equal(linter.lint(edited).stats.linted, 0);
    // the page-wide brace budget (2 braces per section) is judged over the whole page, not per chunk
    const budget = second.findings.filter((f) => f.ruleId === 'MW050' && /more than 2000/.test(f.message));
    assert.equal(budget.length, 1);
    assert.ok(edited.slice(0, budget[0].start).includes('## Part 19'), 'the budget is exceeded far into the page');
  });

  it('re-checks only the fixes of the chunk an edit changed; the other chunks\' fix checks are reused', function () {
    const paragraph = (k: number): string => `Paragraph ${k}: here $ w_${k} $ has spaces and $x^2$ is fine.`;
    const parts: string[] = [];
    for (let k = 0; k < 40; k++) parts.push(paragraph(k));
    const text = parts.join('\n\n');
    const linter = new IncrementalLinter();
    const first = linter.lint(text);
    assert.deepEqual(first.findings, lintText(text));
    const fixable = first.findings.filter((f) => f.fixes.length > 0);
    assert.equal(fixable.length, 40, 'every paragraph offers its verified fix');
    // each fix's chunk is linted before and after the fix
    assert.equal(first.stats.fixChecks.linted, 80);
    assert.equal(first.stats.fixChecks.reused, 0);
    // type in paragraph 17: only the fix checks that read it are redone — its own (paragraphs 17–18) and paragraph
    // 16's (a fix is judged on its chunk and the chunk after it), each before and after the fix
    const at = text.indexOf('Paragraph 17:') + 'Paragraph 17: here'.length;
    const edited = `${text.slice(0, at)} now${text.slice(at)}`;
    const second = linter.lint(edited);
    assert.deepEqual(second.findings, lintText(edited), 'same findings and fixes as a full lint');
    assert.equal(second.findings.filter((f) => f.fixes.length > 0).length, 40);
    assert.equal(second.stats.fixChecks.linted, 4);
    assert.equal(second.stats.fixChecks.reused, 76);
    // an unchanged text checks no fix again
    assert.equal(linter.lint(edited).stats.fixChecks.linted, 0);
    // a different configuration checks every fix again
    assert.equal(linter.lint(edited, { target: 'github' }).stats.fixChecks.linted, 80);
  });

  it('merges a chunk with the next when a construct runs into its end (regressions found by the properties)', function () {
    const cases = [
      // VS Code reads `$$ $` … `$$` as one formula, so its fence after it is unclosed; GitHub's is closed
      'Intro $x$.\n\n$$ $\n\n```\ncode\n```\n\n$$\nunclosed\n\n```\nfence $x$\n\nLine $\\{x\\}$.\n\nText $ y $.\n',
      // a fence line inside an HTML comment is comment text; the `$$` after it opens a formula to the end
      'A.\n\n<!--\n```\n\nc $x$\n-->\n\nB.\n\n$$\nopen\n\nLast $\\{z\\}$ and $ w $.\n',
      // a fence opened inside a list item closes with the item; the next fence line opens one
      '- item\n  ```\n  code\n\npara $x$\n\n```\nx $y$\n\ny $ z $\n```\n\nTail $\\{a\\}$.\n',
      // a fence line inside an HTML block is HTML
      '<div>\n```\n</div>\n\n```\na $x$\n\nb $ y $\n```\n\nEnd $\\|v\\|$.\n',
    ];
    for (const text of cases) lintBoth(text, new IncrementalLinter({ tuning: EVERYWHERE }));
  });

  it('a chunk brought back by undo after new verdicts is linted again', function () {
    const tex = '\\undoverdictmacro z';
    const original = `First paragraph.\n\nThe formula $${tex}$ here.\n\nLast paragraph.\n`;
    const edited = original.replace('here.', 'here, edited.');
    const validator = new GithubValidator();
    const linter = new IncrementalLinter({ tuning: EVERYWHERE, verdicts: validator });
    linter.lint(original);
    linter.lint(edited); // the chunk of the formula is replaced (its scan is released)
    validator.prime(tex, false, [{ target: 'github', start: 0, end: tex.indexOf(' '), message: 'Undefined control sequence \\undoverdictmacro', kind: 'undefined-macro' }]);
    const undone = linter.lint(original);
    assert.deepEqual(undone.findings, lintText(original, undefined, { verdicts: validator }));
    assert.ok(undone.findings.some((f) => f.ruleId === 'MW053'));
  });

  it('lints documents with document-wide state whole', function () {
    for (const [text, why] of [
      ['See [the doc][d].\n\n[d]: https://example.com\n', 'link reference definitions'],
      ['A note[^1].\n\n[^1]: $x$\n', 'footnotes'],
      ['<b>open\n\n$x$\n', 'raw <b> tags'],
    ] as const) {
      assert.equal(wholeDocumentReason(text), why);
      const r = new IncrementalLinter({ tuning: EVERYWHERE }).lint(text);
      assert.equal(r.stats.chunks, 1);
      assert.equal(r.stats.whole, why);
      assert.deepEqual(r.findings, lintText(text));
    }
  });

  it('never cuts inside fences, HTML comments, multi-line $$ or before indented and list lines', function () {
    const lines = [
      'para', '', '```', 'a', '', 'b', '```', '', 'after fence', '', '<!--', '', 'x', '-->', '', 'after comment', '',
      '$$', 'a', '', 'b', '$$', '', 'after display', '', '- item', '', '- item', '', '    code', '', 'last',
    ];
    const starts = chunkStarts(lines, EVERYWHERE);
    const names = starts.map((i) => lines[i]);
    assert.deepEqual(names, ['para', '```', 'after fence', '<!--', 'after comment', '$$', 'after display', 'last']);
  });

  it('runs the verdict rules of a chunk again once GitHub\'s MathJax has judged one of its formulas', function () {
    const tex = '\\badmacroforincrementaltest x';
    const text = `Intro paragraph.\n\nThe formula $${tex}$ here.\n`;
    const validator = new GithubValidator();
    const linter = new IncrementalLinter({ tuning: EVERYWHERE, verdicts: validator });
    const before = linter.lint(text);
    assert.ok(!before.findings.some((f) => f.ruleId === 'MW053'));
    assert.equal(linter.lint(text).stats.linted, 0);
    assert.ok(linter.formulas().some((g) => g.tex === tex));
    validator.prime(tex, false, [{ target: 'github', start: 0, end: tex.indexOf(' '), message: 'Undefined control sequence \\badmacroforincrementaltest', kind: 'undefined-macro' }]);
    const after = linter.lint(text);
    assert.equal(after.stats.linted, 0, 'no chunk is scanned again');
    assert.equal(after.stats.reran, 1, 'the verdict rules run again on the chunk of the judged formula');
    assert.ok(after.findings.some((f) => f.ruleId === 'MW053'), 'the verdict is reported');
    assert.deepEqual(after.findings, lintText(text, undefined, { verdicts: validator }));
    assert.equal(linter.lint(text).stats.reran, 0, 'and only once');

    // MW052's note ("only VS Code shows the error") depends on a verdict too
    const katexBad = '\\kerrorforincrementaltest y';
    const text2 = `${text}\nAnother $${katexBad}$.\n`;
    const first = linter.lint(text2);
    assert.ok(first.findings.some((f) => f.ruleId === 'MW052' && !/only VS Code/.test(f.message)));
    validator.prime(katexBad, false, []);
    const second = linter.lint(text2);
    assert.ok(second.findings.some((f) => f.ruleId === 'MW052' && /only VS Code shows the error/.test(f.message)));
    assert.deepEqual(second.findings, lintText(text2, undefined, { verdicts: validator }));
  });
});
