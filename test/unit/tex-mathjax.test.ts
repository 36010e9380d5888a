import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { validateKatex } from '../../src/core/tex/katex';
import { KATEX_ONLY_REPLACEMENTS } from '../../src/core/tex/github';
import { GithubValidator, mathjaxColdAndCachedCost } from '../../src/core/tex/mathjax';

const validator = new GithubValidator();
const validateGithub = (tex: string, display: boolean): Promise<TexProblem[]> => validator.validate(tex, display);
const renderGithubSvg = (tex: string, display: boolean): Promise<{ svg: string; problems: TexProblem[] }> => validator.renderSvg(tex, display);
const mathjaxStats = (): { loaded: boolean; cacheHits: number; cacheMisses: number } => validator.stats();
import type { TexProblem } from '../../src/core/tex/types';

const spans = (tex: string, ps: TexProblem[]): Array<[TexProblem['kind'], string]> =>
  ps.map((p) => [p.kind, tex.slice(p.start, p.end)]);

describe('tex/mathjax: GitHub MathJax validation', () => {
  it('loads mathjax-full only on first use (checked in a fresh process)', () => {
    const modulePath = path.resolve(__dirname, '../../src/core/tex/mathjax.js');
    const script = `
      const m = require(${JSON.stringify(modulePath)});
      const loaded = () => Object.keys(require.cache).filter((k) => k.includes('mathjax-full')).length;
      const before = loaded();
      const v = new m.GithubValidator();
      const statsBefore = v.stats().loaded;
      v.validate('x^2', false).then((ps) => {
        console.log(JSON.stringify({ before, statsBefore, after: loaded(), statsAfter: v.stats().loaded, ps }));
      });`;
    const out = JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' })) as {
      before: number; statsBefore: boolean; after: number; statsAfter: boolean; ps: unknown[];
    };
    assert.equal(out.before, 0);
    assert.equal(out.statsBefore, false);
    assert.ok(out.after > 50, `expected mathjax-full modules after first use, got ${out.after}`);
    assert.equal(out.statsAfter, true);
    assert.deepEqual(out.ps, []);
  });

  it('keeps no memory per formula (a 50 MB writeup has hundreds of thousands): checked in a fresh process', () => {
    const modulePath = path.resolve(__dirname, '../../src/core/tex/mathjax.js');
    // Distinct formulas with \\text (whose parses MathJax's textmacros package used to keep), a cache of one entry:
    // the heap after 3,000 more formulas must be about what it was (the leak was about 3 KB a formula).
    const script = `
      const m = require(${JSON.stringify(modulePath)});
      const v = new m.GithubValidator({ cacheSize: 1, svgCacheSize: 1 });
      const heap = () => { global.gc(); return process.memoryUsage().heapUsed; };
      (async () => {
        const run = async (from, to) => { for (let i = from; i < to; i++) await v.validate('x_{' + i + '} = \\\\text{case ' + i + '} + \\\\frac{a}{b}', false); };
        await run(0, 1000);
        const before = heap();
        await run(1000, 4000);
        console.log(JSON.stringify({ grownKB: (heap() - before) / 1024 }));
      })();`;
    const out = JSON.parse(execFileSync(process.execPath, ['--expose-gc', '-e', script], { encoding: 'utf8' })) as { grownKB: number };
    assert.ok(out.grownKB < 1500, `heap grew ${Math.round(out.grownKB)} KB over 3,000 formulas`);
  });

  it('accepts ordinary homework formulas', async () => {
    for (const tex of [
      '\\nabla_w L(w) = \\frac{1}{n} \\sum_{i=1}^n (w^\\top x_i - y_i) x_i',
      '\\begin{aligned} f(x) &= x^2 \\\\ f\'(x) &= 2x \\end{aligned}',
      'p(x) = \\begin{cases} 1 & x > 0 \\\\ 0 & \\text{otherwise} \\end{cases}',
      '\\lVert x \\rVert_2 \\le \\tfrac12 \\boldsymbol{\\mu}^\\top \\cancel{x}',
    ]) {
      assert.deepEqual(await validateGithub(tex, true), [], tex);
    }
  });

  it('\\operatorname{Tr}(A): refused on GitHub, fine in KaTeX (the caller reports the disagreement)', async () => {
    const tex = '\\operatorname{Tr}(A)';
    assert.deepEqual(spans(tex, await validateGithub(tex, false)), [['refused-macro', '\\operatorname']]);
    assert.deepEqual(validateKatex(tex, false), []);
  });

  it('\\bm{x}: red on GitHub, fine in KaTeX — reported once, at the macro', async () => {
    const tex = 'f(\\bm{x}) = \\bm{x}^\\top A \\bm{x}';
    const ps = await validateGithub(tex, false);
    assert.deepEqual(spans(tex, ps), [['katex-only', '\\bm'], ['katex-only', '\\bm'], ['katex-only', '\\bm']]);
    assert.deepEqual(validateKatex(tex, false), []);
  });

  it('reports macros neither renderer knows as undefined on GitHub, at each occurrence', async () => {
    const tex = '\\mathbbm{1}_{x > 0} + \\foo + \\foo';
    const ps = await validateGithub(tex, false);
    assert.deepEqual(spans(tex, ps), [
      ['undefined-macro', '\\mathbbm'], ['undefined-macro', '\\foo'], ['undefined-macro', '\\foo'],
    ]);
    assert.match(ps[0].message, /in red/);
  });

  it('accepts on GitHub what KaTeX rejects: \\label/\\eqref, \\ce, \\sideset, \\enclose', async () => {
    for (const tex of [
      'E = mc^2 \\label{eq:energy}',
      '\\text{by } \\eqref{eq:energy}',
      '\\ce{2H2 + O2 -> 2H2O}',
      '\\sideset{}{\'}\\sum_{n<k} a_n',
      '\\enclose{circle}{x}',
      '\\mbox{if } x > 0',
    ]) {
      assert.deepEqual(await validateGithub(tex, true), [], tex);
      assert.equal(validateKatex(tex, true).length, 1, tex);
    }
  });

  it('\\label of the same name in two formulas does not leak between them', async () => {
    assert.deepEqual(await validateGithub('a \\label{same}', true), []);
    assert.deepEqual(await validateGithub('b \\label{same}', true), []);
  });

  it('\\left{ (the damaged \\left\\{) is an error on both targets; GitHub points at \\left{', async () => {
    const tex = 'S = \\left{ x : x > 0 \\right}';
    const gh = await validateGithub(tex, false);
    assert.equal(gh.length, 1);
    assert.equal(gh[0].kind, 'parse-error');
    assert.match(gh[0].message, /Missing or unrecognized delimiter for \\left/);
    assert.equal(tex.slice(gh[0].start, gh[0].end), '\\left{');
    assert.equal(validateKatex(tex, false).length, 1);
  });

  it('a & b outside an environment: "Misplaced &" at the &', async () => {
    const tex = 'x = a & b';
    const [p, ...rest] = await validateGithub(tex, false);
    assert.deepEqual(rest, []);
    assert.equal(p.message, 'GitHub shows a MathJax error: Misplaced &');
    assert.equal(tex.slice(p.start, p.end), '&');
  });

  it('brace errors point at the brace', async () => {
    const open = '\\frac{1}{2';
    const [p] = await validateGithub(open, false);
    assert.match(p.message, /Missing close brace/);
    assert.equal(p.start, 8);
    const close = 'x^2}';
    const [q] = await validateGithub(close, false);
    assert.match(q.message, /Extra close brace/);
    assert.equal(close.slice(q.start, q.end), '}');
  });

  it('locates errors inside nested arguments', async () => {
    const tex = '\\sqrt{\\frac{a}{\\left| b}}';
    const [p] = await validateGithub(tex, false);
    assert.equal(p.kind, 'parse-error');
    assert.ok(p.start >= tex.indexOf('\\left'), `start ${p.start}`);
  });

  it('reports removed-package macros once (not again as undefined)', async () => {
    const tex = '\\newcommand{\\E}{\\mathbb{E}} \\E[X]';
    const ps = await validateGithub(tex, false);
    assert.deepEqual(spans(tex, ps), [
      ['removed-package', '\\newcommand'], ['undefined-macro', '\\E'], ['undefined-macro', '\\E'],
    ]);
  });

  it('enforces the brace limit', async () => {
    const tex = '{x}'.repeat(1001);
    const ps = await validateGithub(tex, false);
    assert.deepEqual(ps.map((p) => p.kind), ['brace-limit']);
  });

  it('serves the second call from the cache', async () => {
    const tex = `x_{${Date.now()}} + \\alpha`; // a formula no earlier test used
    const s0 = mathjaxStats();
    const first = await validateGithub(tex, false);
    const s1 = mathjaxStats();
    const second = await validateGithub(tex, false);
    const s2 = mathjaxStats();
    assert.deepEqual(second, first);
    assert.equal(s1.cacheMisses, s0.cacheMisses + 1);
    assert.equal(s2.cacheHits, s1.cacheHits + 1);
    assert.equal(s2.cacheMisses, s1.cacheMisses);
    // display and inline are separate entries
    await validateGithub(tex, true);
    assert.equal(mathjaxStats().cacheMisses, s2.cacheMisses + 1);
  });

  it('renders a self-contained SVG (no external glyph references) and caches it', async () => {
    const tex = '\\frac{\\partial L}{\\partial w} = 2X^\\top(Xw - y)';
    const r = await renderGithubSvg(tex, true);
    assert.match(r.svg, /^<svg[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    assert.match(r.svg, /<defs>/);
    for (const m of r.svg.matchAll(/xlink:href="([^"]*)"/g)) assert.ok(m[1].startsWith('#'), m[1]);
    assert.deepEqual(r.problems, []);
    const before = mathjaxStats().cacheHits;
    const again = await renderGithubSvg(tex, true);
    assert.equal(again.svg, r.svg);
    assert.equal(mathjaxStats().cacheHits, before + 1);
    const uri = `data:image/svg+xml;base64,${Buffer.from(r.svg).toString('base64')}`;
    assert.ok(uri.length > 100);
  });

  it('renders undefined macros in red and returns their problems with the SVG', async () => {
    const r = await renderGithubSvg('\\bm{x}', false);
    assert.match(r.svg, /fill="red"|color="red"|stroke="red"/);
    assert.deepEqual(r.problems.map((p) => p.kind), ['katex-only']);
  });

  it('every suggested replacement of a KaTeX-only macro renders on both targets', async () => {
    for (const [name, repl] of Object.entries(KATEX_ONLY_REPLACEMENTS)) {
      const tex = `${repl.replace('…', 'f')}{x}`;
      assert.deepEqual(await validateGithub(tex, false), [], `GitHub rejects the replacement for \\${name}: ${tex}`);
      assert.deepEqual(validateKatex(tex, false), [], `KaTeX rejects the replacement for \\${name}: ${tex}`);
    }
  });

  it('never throws on odd input', async () => {
    for (const tex of ['', '\\', '{', '}', '&&&', '\\begin{array}', '\\end{x}', '\\\\\\', '^^^', '\\ce{->', '#1']) {
      const ps = await validateGithub(tex, false);
      for (const p of ps) assert.ok(p.start >= 0 && p.end <= tex.length && p.start <= p.end, `${tex}: ${JSON.stringify(p)}`);
    }
  });

  it('measures cold, uncached and cached cost', async () => {
    const r = await mathjaxColdAndCachedCost(['a+b', 'x^2', '\\frac{1}{2}', 'x^2']);
    assert.ok(r.coldFirstMs >= 0 && r.perFormulaMs >= 0 && r.cachedPerFormulaMs >= 0);
    await assert.rejects(mathjaxColdAndCachedCost([]), RangeError);
  });
});
