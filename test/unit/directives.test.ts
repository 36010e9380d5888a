import assert from 'node:assert/strict';
import { lintText } from '../../src/core/lint/engine';
import { createSuppressor, parseDirectives } from '../../src/core/lint/directives';
import { LineIndex } from '../../src/core/text';
import { testRegistry } from './lint-test-rules';

const registry = testRegistry();
const lint = (text: string) => lintText(text, { rules: { MW903: 'off' } }, { registry });
/** "line:ruleId" of each finding, 1-based lines as a user reads them. */
const where = (text: string) => lint(text).map((f) => `${f.range.start.line + 1}:${f.ruleId}`);

describe('inline directives', () => {
  it('disable with no rule silences everything from its line until enable', () => {
    const text = ['TODO $ a', '<!-- math-writeup-disable -->', 'TODO $ b', '<!-- math-writeup-enable -->', 'TODO'].join('\n');
    assert.deepEqual(where(text), ['1:MW901', '1:MW902', '5:MW901']);
  });

  it('names rules by id or alias in any case, separated by spaces or commas', () => {
    const text = ['<!-- math-writeup-disable No-Todo -->', 'TODO $ x', '<!-- math-writeup-enable mw901 -->', 'TODO $ y',
      '<!-- math-writeup-disable MW901, dollar-space -->', 'TODO $ z'].join('\n');
    assert.deepEqual(where(text), ['2:MW902', '4:MW901', '4:MW902']);
  });

  it('enable of one rule inside a disable-all turns only that rule back on', () => {
    const text = ['<!-- math-writeup-disable -->', '<!-- math-writeup-enable dollar-space -->', 'TODO $ x'].join('\n');
    assert.deepEqual(where(text), ['3:MW902']);
  });

  it('disable-next-line affects only the following line; disable-line only its own line', () => {
    const text = ['<!-- math-writeup-disable-next-line MW901 -->', 'TODO', 'TODO', 'TODO <!-- math-writeup-disable-line -->', 'TODO'].join('\n');
    assert.deepEqual(where(text), ['3:MW901', '5:MW901']);
  });

  it('disable-next-line after a comment spanning two lines counts from the comment end', () => {
    const text = ['<!-- math-writeup-disable-next-line', 'no-todo -->', 'TODO', 'TODO'].join('\n');
    assert.deepEqual(where(text), ['4:MW901']);
  });

  it('reports an unknown rule name as MW000 at the comment, with a suggestion, and still applies the known names', () => {
    const text = 'x\n<!-- math-writeup-disable MW901 no-todoo -->\nTODO $ y\n';
    const fs = lint(text);
    assert.deepEqual(fs.map((f) => `${f.range.start.line}:${f.ruleId}`), ['1:MW000', '2:MW902']);
    const d = fs[0];
    assert.equal(d.ruleAlias, 'invalid-directive');
    assert.equal(d.severity, 'warning');
    assert.equal(d.message, 'unknown rule "no-todoo" in directive "math-writeup-disable" (did you mean "no-todo"?); rules are named by id (e.g. MW001) or alias');
    assert.equal(text.slice(d.start, d.end), '<!-- math-writeup-disable MW901 no-todoo -->');
  });

  it('a directive naming only unknown rules disables nothing', () => {
    const text = '<!-- math-writeup-disable MW999 -->\nTODO\n';
    assert.deepEqual(where(text), ['1:MW000', '2:MW901']);
  });

  it('reports an unknown directive kind', () => {
    const fs = lint('<!-- math-writeup-disabel MW901 -->\nTODO');
    assert.equal(fs[0].ruleId, 'MW000');
    assert.match(fs[0].message, /unknown directive "math-writeup-disabel"/);
    assert.equal(fs[1].ruleId, 'MW901');
  });

  it('ignores directive text inside fenced code, indented code and code spans', () => {
    const text = [
      '```markdown', '<!-- math-writeup-disable -->', '<!-- math-writeup-disable NOPE -->', '```', '',
      '    <!-- math-writeup-disable -->', '',
      'See `<!-- math-writeup-disable -->` for the syntax.', 'TODO',
    ].join('\n');
    assert.deepEqual(where(text), ['9:MW901']);
  });

  it('works inside a blockquote and inline in a paragraph', () => {
    assert.deepEqual(where('> <!-- math-writeup-disable -->\n\nTODO'), []);
    assert.deepEqual(where('Some text <!-- math-writeup-disable-line --> TODO\nTODO'), ['2:MW901']);
  });

  it('MW000 itself can be disabled and configured', () => {
    const text = '<!-- math-writeup-disable MW000 -->\n<!-- math-writeup-disable FOO -->\n';
    assert.deepEqual(where(text), []);
    const fs = lintText('<!-- math-writeup-enable FOO -->', { rules: { 'invalid-directive': 'error', MW903: 'off' } }, { registry });
    assert.equal(fs.length, 1);
    assert.equal(fs[0].severity, 'error');
    assert.deepEqual(lintText('<!-- math-writeup-enable FOO -->', { rules: { MW000: 'off', MW903: 'off' } }, { registry }), []);
  });

  it('parseDirectives and createSuppressor can be used directly', () => {
    const text = '<!-- math-writeup-disable MW902 -->\nx\n<!-- math-writeup-enable -->\n';
    const { directives, problems } = parseDirectives(text, new LineIndex(text), registry);
    assert.deepEqual(problems, []);
    assert.deepEqual(directives.map((d) => [d.kind, d.rules, d.line]), [['disable', ['MW902'], 0], ['enable', 'all', 2]]);
    const off = createSuppressor(directives);
    assert.equal(off('MW902', 1), true);
    assert.equal(off('MW901', 1), false);
    assert.equal(off('MW902', 2), false);
    assert.equal(createSuppressor([])('MW901', 0), false);
  });
});
