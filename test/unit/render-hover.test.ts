// The formula hover says each thing once: GitHub's rendering (or GitHub's red error in place of a refused formula),
// then only the findings VS Code's diagnostic hover does not show at the cursor; rule ids, never spec ids. Real
// MathJax renderings and real lint findings of real text.
import assert from 'node:assert/strict';
import { lintText } from '../../src/core/lint/engine';
import { scanDocument } from '../../src/core/scan/scanner';
import { GithubValidator } from '../../src/core/tex/mathjax';

const validator = new GithubValidator();
import { hoverMarkdown, refusal, type HoverInput } from '../../src/vscode/preview/hoverText';
import { runSummary } from '../../src/vscode/checkSummary';
import { renderDocument } from '../../src/core/render/document';
import type { CheckResult } from '../../src/core/check/types';

async function hoverAt(text: string, at: string): Promise<string> {
  const offset = text.indexOf(at);
  const scan = scanDocument(text);
  const math = scan.math.find((m) => m.start <= offset && offset <= m.end);
  const miss = scan.nearMisses.find((n) => n.start <= offset && offset <= n.end);
  const start = Math.min(math?.start ?? Infinity, miss?.start ?? Infinity);
  const end = Math.max(math?.end ?? -Infinity, miss?.end ?? -Infinity);
  const findings = lintText(text).filter((f) => f.start < end && f.end > start);
  const input: HoverInput = {
    findings,
    offset,
    color: '#1f2328',
    dataUri: (svg) => `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`,
    fixLink: (_e, title) => `command:fix?${encodeURIComponent(title)}`,
  };
  if (math) input.formula = { delimited: math.delimited, display: math.display, ...(await validator.renderSvg(math.tex, math.display)) };
  else if (miss) input.nearMiss = { tex: miss.vscode.tex, svg: (await validator.renderSvg(miss.vscode.tex, miss.vscode.display)).svg };
  return hoverMarkdown(input);
}

const decodedImages = (md: string): string[] =>
  [...md.matchAll(/data:image\/svg\+xml;base64,([A-Za-z0-9+/=]+)/g)].map((m) => Buffer.from(m[1], 'base64').toString('utf8'));

describe('formula hover text', function () {
  this.timeout(60000);

  it('a refused formula: GitHub\'s red error, not a rendering, and the message only in the picture', async function () {
    const md = await hoverAt('The trace $\\operatorname{tr}(A)$ is linear.\n', 'operatorname');
    assert.match(md, /GitHub shows an error instead of this inline formula/);
    assert.doesNotMatch(md, /GitHub renders/);
    const [svg] = decodedImages(md);
    assert.match(svg, /fill="#cf222e"/);
    assert.match(svg, />The following macros are not allowed: operatorname</);
    // The finding at the cursor is VS Code's diagnostic hover's to show.
    assert.doesNotMatch(md, /MW\d{3}/);
    assert.equal(refusal([{ target: 'github', kind: 'brace-limit', message: 'm', start: 0, end: 1 }]), 'Unable to render expression');
    assert.equal(refusal([{ target: 'github', kind: 'undefined-macro', message: 'm', start: 0, end: 1 }]), undefined);
  });

  it('a formula GitHub renders: one MathJax picture in the theme colour, nothing repeated', async function () {
    const md = await hoverAt('Let $x^2 + y^2 = 1$ hold.\n', 'y^2');
    assert.equal((md.match(/GitHub renders/g) ?? []).length, 1);
    const [svg] = decodedImages(md);
    assert.match(svg, /^<svg/);
    assert.doesNotMatch(svg, /currentColor/);
    assert.match(svg, /#1f2328/);
    assert.doesNotMatch(md, /Elsewhere/);
  });

  it('findings elsewhere in the formula are listed once with their fix; none carries a spec id', async function () {
    // \bm is red on GitHub (a finding at \bm); \R is KaTeX-only: hovering \R shows the \bm finding, not the \R one.
    const text = 'Take $\\bm{v} \\in \\R^n$ now.\n';
    const md = await hoverAt(text, '\\R');
    assert.match(md, /Elsewhere in this formula/);
    const listed = [...md.matchAll(/\*\*(MW\d{3})\*\*/g)].map((m) => m[1]);
    assert.equal(listed.length, new Set(listed).size, 'each finding once');
    assert.ok(listed.length >= 1);
    assert.match(md, /\\\\bm/);
    assert.doesNotMatch(md, /GH-[A-Z]+-\d/);
  });

  it('text GitHub leaves raw: says so, shows the fixed formula, names no spec rule', async function () {
    const md = await hoverAt('Let $w^*$ and $v^*$ be.\n', 'w^');
    assert.match(md, /GitHub does not render this as math/);
    assert.equal(decodedImages(md).length, 1);
    assert.doesNotMatch(md, /GH-[A-Z]+-\d/);
  });
});

describe('"Run all checks" summary', function () {
  const r = (title: string, status: CheckResult['status']): CheckResult => ({ title, status, line: 3, message: '', values: {}, elapsedMs: 1, expectFail: false, seed: 1, problems: [], plots: [] } as CheckResult);
  it('counts passed, failed and errors and names the failing checks', function () {
    const s = runSummary([r('a', 'pass'), r('b', 'fail'), r('c', 'error'), r('d', 'pass')]);
    assert.deepEqual([s.passed, s.failed, s.errors], [2, 1, 1]);
    assert.equal(s.text, '4 checks: 2 passed, 1 failed, 1 error. Failed: "b". Errors: "c".');
    assert.equal(runSummary([r('', 'pass')]).text, '1 check: 1 passed, 0 failed, 0 errors.');
  });
});

describe('preview near-miss titles', function () {
  it('name the lint rule, never the spec rule', function () {
    const html = renderDocument('Let $w^*$ and $v^*$ be.\n', { mode: 'github' }).map((b) => b.html).join('');
    const titles = [...html.matchAll(/title="([^"]*)"/g)].map((m) => m[1]);
    assert.ok(titles.some((t) => /\(MW\d{3}\)/.test(t)), titles.join(' | '));
    assert.ok(titles.every((t) => !/GH-[A-Z]+-\d/.test(t)), titles.join(' | '));
  });
});
