// GitHub mode shows what github.com shows (raw, marked text where GitHub renders no math; damaged formulas marked);
// VS Code mode shows what VS Code's built-in preview shows (the real @vscode/markdown-it-katex plugin).
import * as assert from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { renderDocument } from '../../src/core/render/document';
import { buildExportHtml, runRenderCommand } from '../../src/cli/render';
import { UsageError } from '../../src/cli/args';

function html(text: string, mode: 'github' | 'vscode'): string {
  return renderDocument(text, { mode }).map((b) => b.html).join('\n');
}

function count(s: string, re: RegExp): number {
  return (s.match(new RegExp(re.source, 'g')) ?? []).length;
}

interface Pitfall {
  name: string;
  text: string;
  rule: string;
  /** Raw text GitHub shows inside the marker. */
  raw?: RegExp;
  /** GitHub renders the formula, but differently (marked as damaged). */
  damaged?: boolean;
}

const PITFALLS: Pitfall[] = [
  { name: 'full-width comma before $', text: '梯度的范数，$\\|g\\|_2$ 很小。', rule: 'MW001', raw: /\$\|g\|_2\$/ },
  { name: 'CJK character before $', text: '梯度$g$很小', rule: 'MW001', raw: /\$g\$/ },
  { name: 'space inside $', text: 'Euler: $ e^{i\\pi}+1=0 $ holds.', rule: 'MW002', raw: /\$ e\^\{i\\pi\}\+1=0 \$/ },
  { name: 'stars pair into emphasis', text: 'The optimum $w^*$ and the loss $L^*$ agree.', rule: 'MW020', raw: /<em>/ },
  { name: 'escaped braces are eaten', text: 'The set $\\{1, 2\\}$ is finite.', rule: 'MW010', damaged: true },
];

describe('preview modes on the pitfall fixtures', () => {
  for (const p of PITFALLS) {
    it(`${p.name}: GitHub mode marks it (${p.rule}), VS Code mode typesets it`, () => {
      const gh = html(p.text, 'github');
      const vs = html(p.text, 'vscode');
      if (p.damaged) {
        assert.match(gh, new RegExp(`class="mw-math mw-damaged" data-rule="${p.rule}" title="[^"]+"`), gh);
        assert.strictEqual(count(gh, /class="katex"/), 1, 'GitHub still renders the (damaged) formula');
      } else {
        const marker = new RegExp(`<span class="mw-nearmiss" data-rule="${p.rule}" title="([^"]+)"[^>]*>(.*?)</span>`);
        const m = marker.exec(gh);
        assert.ok(m, `no ${p.rule} marker in ${gh}`);
        assert.ok(m[1].length > 20, 'the marker carries the finding message as its tooltip');
        if (p.raw) assert.match(m[2], p.raw, 'the marker shows the raw text GitHub shows');
        assert.strictEqual(count(gh, /class="katex"/), 0, 'GitHub renders no math here');
      }
      assert.doesNotMatch(vs, /mw-nearmiss|mw-damaged/);
      assert.ok(count(vs, /class="katex"/) >= 1, `VS Code renders the formula: ${vs}`);
    });
  }

  it('a clean writeup looks the same in both modes (same formulas, no markers)', () => {
    const text = 'Gradient descent: $w_{t+1} = w_t - \\eta \\nabla L(w_t)$.\n\n$$\n\\eta < \\frac{2}{L}\n$$\n\n```math\n\\rho = \\sqrt{\\beta}\n```\n';
    const gh = html(text, 'github');
    const vs = html(text, 'vscode');
    assert.doesNotMatch(gh, /mw-nearmiss|mw-damaged/);
    assert.strictEqual(count(gh, /class="katex"/), 3);
    assert.strictEqual(count(vs, /class="katex"/), 3);
    assert.strictEqual(count(gh, /class="katex-display"/), 2, 'display math and the math fence are display style');
  });

  it('display math in a list item is inline on GitHub, display in VS Code', () => {
    const text = '- step one\n\n  $$x^2 + y^2$$\n';
    const gh = html(text, 'github');
    const vs = html(text, 'vscode');
    assert.strictEqual(count(gh, /class="katex-display"/), 0, gh);
    assert.match(gh, /mw-damaged|mw-nearmiss/);
    assert.strictEqual(count(vs, /class="katex-display"/), 1, vs);
  });

  it('block lines are kept for scroll sync and positions inside blocks are relative', () => {
    const blocks = renderDocument('# T\n\nPara $x$\n\n- a\n- b $y$\n', { mode: 'github' });
    assert.deepStrictEqual(blocks.map((b) => [b.line, b.endLine]), [[0, 1], [2, 3], [4, 6]]);
    assert.match(blocks[2].html, /<li data-rline="1">b <span class="mw-math" data-rline="1" data-col="4">/);
  });

  it('check blocks become cards with the claim typeset and a run button', () => {
    const text = '```check\ntitle: GD converges iff η < 1/σ²\ngiven: \\sigma = 2\nclaim: \\text{converges} \\iff \\eta < \\frac{1}{\\sigma^2}\n```\n';
    for (const mode of ['github', 'vscode'] as const) {
      const h = html(text, mode);
      assert.match(h, /<div class="mw-check mw-check-none"/);
      assert.match(h, /mw-check-title">GD converges iff η &lt; 1\/σ²</);
      assert.match(h, /mw-check-claim"><span class="katex-display">/);
      assert.match(h, /class="mw-check-run"[^>]*>▶ Run</);
      assert.match(h, /not run yet/);
    }
  });
});

describe('HTML export', () => {
  it('is self-contained: KaTeX CSS with inlined fonts, the preview CSS, no scripts', () => {
    const out = buildExportHtml('# Title\n\nA $x^2$ formula.\n\n![fig](figs/a.png)\n', {
      mode: 'github', sourceDir: '/tmp/doc', outDir: '/tmp/doc/out', remoteImages: false, title: 'Title',
    });
    assert.match(out, /^<!DOCTYPE html>/);
    assert.match(out, /@font-face\{font-family:KaTeX_Main;[^}]*src:url\(data:font\/woff2;base64,/);
    assert.doesNotMatch(out, /url\(fonts\//, 'no font is left pointing at a missing folder');
    assert.match(out, /\.markdown-body \.mw-nearmiss/);
    assert.match(out, /<span class="katex">/);
    assert.match(out, /<img src="\.\.\/figs\/a\.png" alt="fig">/, 'relative images stay valid from the output folder');
    assert.doesNotMatch(out, /<script/i);
  });

  it('`math-writeup render` writes the file and reports bad input clearly', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mw-render-'));
    try {
      fs.writeFileSync(path.join(dir, 'w.md'), 'Text，$a$ and $b$\n');
      const err: string[] = [];
      const io = { stdout: () => undefined, stderr: (s: string) => void err.push(s), cwd: dir };
      assert.strictEqual(await runRenderCommand(['w.md', '-o', 'w.html'], io), 0);
      const out = fs.readFileSync(path.join(dir, 'w.html'), 'utf8');
      assert.match(out, /mw-nearmiss/);
      assert.match(err.join(''), /wrote w\.html/);
      assert.strictEqual(await runRenderCommand(['w.md', '-o', 'v.html', '--mode', 'vscode'], io), 0);
      assert.doesNotMatch(fs.readFileSync(path.join(dir, 'v.html'), 'utf8'), /class="mw-nearmiss"/);
      err.length = 0;
      assert.strictEqual(await runRenderCommand(['missing.md', '-o', 'x.html'], io), 2);
      assert.match(err.join(''), /missing\.md/);
      assert.strictEqual(fs.existsSync(path.join(dir, 'x.html')), false, 'no output on failure');
      err.length = 0;
      assert.strictEqual(await runRenderCommand(['w.md', '-o', 'no/such/dir/x.html'], io), 2);
      assert.match(err.join(''), /does not exist/);
      await assert.rejects(runRenderCommand(['w.md'], io), UsageError);
      await assert.rejects(runRenderCommand(['w.md', '-o', 'w.md'], io), /replace the input/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("preview: what GitHub's MathJax does with the TeX", () => {
  it('a refused macro shows as GitHub shows it (an error, not math) in GitHub mode and typeset in VS Code mode', () => {
    const text = 'The trace $\\operatorname{Tr}(A)$ here.\n';
    const gh = html(text, 'github');
    assert.match(gh, /class="mw-refused" title="[^"]*operatorname/);
    assert.doesNotMatch(gh, /class="katex"/);
    assert.match(html(text, 'vscode'), /class="katex"/);
  });
  it('a macro GitHub paints red is typeset but marked with the reason', () => {
    const gh = html('Bold $\\bm{x}$.\n', 'github');
    assert.match(gh, /class="mw-math mw-damaged" title="[^"]*\\bm/);
    assert.match(gh, /class="katex"/);
  });
  it('a formula GitHub renders is not marked', () => {
    assert.doesNotMatch(html('Fine $\\mathrm{Tr}(A)$.\n', 'github'), /mw-damaged|mw-refused/);
  });
});
