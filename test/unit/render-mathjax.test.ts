// GitHub mode's MathJax typesetting: the renderer writes one slot per formula (no KaTeX), the host finds
// them back exactly (TeX with HTML-special characters included), and the worker's answers fill a bounded store.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { DocumentRenderer } from '../../src/core/render/document';
import { formulaKey, formulaSlot, slotsIn, refusal, typesetHtml, TypesetStore } from '../../src/core/render/mathjaxFormulas';
import { GithubValidator } from '../../src/core/tex/mathjax';

describe('GitHub mode with MathJax', function () {
  this.timeout(60000);

  it('renders slots, not KaTeX, for every formula GitHub renders (check claims too)', function () {
    const text = 'Inline $a<b$ and $x^2$.\n\n$$\\frac{1}{2}$$\n\n```check\ntitle: t\nclaim: $1 = 1$\n```\n';
    const r = new DocumentRenderer({ mode: 'github', githubTypesetter: 'mathjax' });
    const html = r.update(text).blocks.map((b) => b.html).join('\n');
    assert.doesNotMatch(html, /class="katex/);
    const found = [...slotsIn(html).values()];
    assert.deepEqual(found.map((f) => [f.tex, f.display]).slice(0, 3), [['a<b', false], ['x^2', false], ['\\frac{1}{2}', true]]);
    assert.ok(found.length >= 4, 'the claim of the check card too');
    // VS Code mode keeps KaTeX.
    const v = new DocumentRenderer({ mode: 'vscode', githubTypesetter: 'mathjax' });
    assert.match(v.update(text).blocks.map((b) => b.html).join(''), /class="katex/);
  });

  it('finds back any TeX from its slot (property)', function () {
    fc.assert(fc.property(fc.string({ maxLength: 40 }), fc.boolean(), (tex, display) => {
      const [f] = [...slotsIn(`<p>${formulaSlot(tex, display)}</p>`).values()];
      return f !== undefined && f.tex === tex && f.display === display && f.key === formulaKey(tex, display);
    }));
  });

  it('the store splits known from missing formulas and stays bounded', async function () {
    const store = new TypesetStore(10);
    const { svg } = await new GithubValidator().renderSvg('x^2', false);
    store.set(formulaKey('x^2', false), typesetHtml(svg, false));
    const { known, missing } = store.split([{ key: formulaKey('x^2', false), tex: 'x^2', display: false }, { key: formulaKey('y', false), tex: 'y', display: false }]);
    assert.equal(known.length, 1);
    assert.match(known[0].html, /^<mjx-container class="MathJax" jax="SVG"><svg/);
    assert.deepEqual(missing.map((m) => m.tex), ['y']);
    for (let i = 0; i < 25; i++) store.set(`k${i}`, 'x');
    assert.ok(store.size <= 10);
  });

  it('GitHub\'s refusal text for refused macros and the brace limit', async function () {
    assert.equal(refusal((await new GithubValidator().renderSvg('\\operatorname{tr}(A) + \\phantom{x}', false)).problems), 'The following macros are not allowed: operatorname, phantom');
    assert.equal(refusal((await new GithubValidator().renderSvg('\\bm{x}', false)).problems), undefined, 'red, not refused: MathJax renders it');
  });
});
