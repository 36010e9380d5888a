// Benchmark (not a test): a one-formula edit in the preview vs re-rendering the whole document the way VS Code's
// built-in preview does (markdown-it + @vscode/markdown-it-katex on every change), on the shared 1,000-formula
// writeup. The incremental number is the extension host's work per edit: re-parse of the changed block window,
// block diff, render of changed blocks and building the message payload (JSON, as postMessage serializes it).
// Usage: node scripts/bench/preview.mjs   (needs `tsc -p .` output in out/)
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(import.meta.url);

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function generate() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mw-bench-preview-'));
  const out = path.join(dir, 'writeup-1000.md');
  execFileSync(process.execPath, [path.join(root, '../shared/bench/gen-math-doc.mjs'), '--formulas', '1000', '--out', out], { stdio: 'ignore' });
  const text = readFileSync(out, 'utf8');
  rmSync(dir, { recursive: true, force: true });
  return text;
}

/** Offsets of `$…$` inline formulas on lines of prose (one edit target each), spread over the document. */
function editTargets(text, count) {
  const found = [];
  const re = /(^|[\s(])\$([^$\n`]{3,60})\$(?=[\s.,;:)]|$)/gm;
  let m;
  while ((m = re.exec(text))) found.push({ start: m.index + m[1].length + 1, body: m[2] });
  const step = Math.max(1, Math.floor(found.length / count));
  return found.filter((_, i) => i % step === 0).slice(0, count);
}

export async function benchPreview({ runs = 40, fullRuns = 12, print = true } = {}) {
  const { DocumentRenderer } = require(path.join(root, 'out/src/core/render/document.js'));
  const MarkdownIt = require('markdown-it');
  const katexPlugin = require('@vscode/markdown-it-katex').default;
  const base = generate();

  // --- incremental (ours, GitHub mode: the default mode, which also runs the GitHub math scanner per block)
  const renderer = new DocumentRenderer({ mode: 'github' });
  let version = renderer.update(base).version;
  const targets = editTargets(base, runs + 5);
  const inc = [];
  let text = base;
  let payloadBytes = 0;
  for (let i = 0; i < targets.length; i++) {
    const t = targets[i];
    // Insert a new term into one formula (a TeX string never seen before, so it is typeset, not cached).
    const at = t.start + t.body.length;
    const edited = text.slice(0, at) + ` + ${i + 1}k` + text.slice(at);
    const t0 = performance.now();
    const u = renderer.update(edited);
    const msg = JSON.stringify({ type: 'update', version: u.version, baseVersion: version, splices: u.splice ? [u.splice] : [] });
    const dt = performance.now() - t0;
    version = u.version;
    payloadBytes = msg.length;
    if (i >= 5) inc.push(dt); // first edits warm up the JIT
    // Undo (not measured) so every edit starts from the same document.
    renderer.update(text);
    version++;
    void edited;
  }
  text = base;

  // --- full re-render, the built-in approach: a fresh render of the whole document on every change
  const md = new MarkdownIt({ html: true, linkify: true, typographer: false });
  md.use(katexPlugin, { globalGroup: true, enableFencedBlocks: true, macros: {} });
  const full = [];
  for (let i = 0; i < fullRuns + 2; i++) {
    const t = targets[i % targets.length];
    const at = t.start + t.body.length;
    const edited = text.slice(0, at) + ` + ${i + 1}k` + text.slice(at);
    const t0 = performance.now();
    const html = md.render(edited);
    const dt = performance.now() - t0;
    if (html.length < 1000) throw new Error('full render produced no HTML');
    if (i >= 2) full.push(dt);
  }

  const x = median(inc);
  const y = median(full);
  const z = y / x;
  const line = `preview one-formula update: ${x.toFixed(2)} ms; full re-render: ${y.toFixed(1)} ms; ratio full/incremental ${z.toFixed(1)}x`;
  if (print) console.log(line);
  const mathjax = await benchMathjax(base, targets, runs);
  if (print) console.log(mathjax.line);
  const page = benchPage();
  if (print) console.log(page.line);
  return { incrementalMs: x, fullMs: y, ratio: z, payloadBytes, line, page, mathjax };
}

/**
 * GitHub mode as the preview runs it: formulas typeset by MathJax configured like github.com. The one-formula update
 * is the host's render of the changed block plus MathJax typesetting the one new formula (in the typeset worker in
 * the extension; timed here in this thread, so it counts in full) and both messages' payloads. The full re-render is
 * what a page load on github.com does: every formula typeset by MathJax, uncached.
 */
async function benchMathjax(base, targets, runs) {
  const { DocumentRenderer } = require(path.join(root, 'out/src/core/render/document.js'));
  const { slotsIn, typesetHtml, TypesetStore } = require(path.join(root, 'out/src/core/render/mathjaxFormulas.js'));
  const mj = require(path.join(root, 'out/src/core/tex/mathjax.js'));
  let validator;
  const typesetAll = async (blocks, store) => {
    const wanted = new Map();
    for (const b of blocks) slotsIn(b.html, wanted);
    const { known, missing } = store.split(wanted.values());
    const done = [];
    for (const f of missing) {
      const { svg } = await validator.renderSvg(f.tex, f.display);
      const html = typesetHtml(svg, f.display);
      store.set(f.key, html);
      done.push({ key: f.key, html });
    }
    return { known, done, count: wanted.size };
  };
  // Full: fresh renderer, a fresh validator (empty caches; MathJax itself stays loaded).
  const full = [];
  let formulas = 0;
  for (let i = 0; i < 3; i++) {
    await mj.mathjaxColdAndCachedCost(['x']);
    validator = new mj.GithubValidator();
    const t0 = performance.now();
    const r = new DocumentRenderer({ mode: 'github', githubTypesetter: 'mathjax' });
    const u = r.update(base);
    formulas = (await typesetAll(u.blocks, new TypesetStore())).count;
    full.push(performance.now() - t0);
  }
  // Incremental: the document open in the preview (all its formulas typeset), then one-formula edits.
  const store = new TypesetStore();
  const renderer = new DocumentRenderer({ mode: 'github', githubTypesetter: 'mathjax' });
  let version = renderer.update(base).version;
  await typesetAll(renderer.update(base).blocks, store);
  version++;
  const inc = [];
  for (let i = 0; i < Math.min(runs + 5, targets.length); i++) {
    const t = targets[i];
    const at = t.start + t.body.length;
    const edited = base.slice(0, at) + ` + ${i + 1}m` + base.slice(at);
    const t0 = performance.now();
    const u = renderer.update(edited);
    const { known, done } = await typesetAll(u.splice ? u.splice.insert : u.blocks, store);
    const msg = JSON.stringify({ type: 'update', version: u.version, baseVersion: version, splices: u.splice ? [u.splice] : [] });
    const tmsg = JSON.stringify({ type: 'typeset', formulas: [...known, ...done] });
    const dt = performance.now() - t0;
    if (msg.length + tmsg.length === 0) throw new Error('no payload');
    version = u.version;
    if (i >= 5) inc.push(dt);
    renderer.update(base);
    version++;
  }
  const x = median(inc);
  const y = median(full);
  const line = `preview one-formula update (GitHub mode, MathJax): ${x.toFixed(2)} ms; full re-render: ${y.toFixed(1)} ms (${formulas} distinct formulas); ratio full/incremental ${(y / x).toFixed(1)}x`;
  return { incrementalMs: x, fullMs: y, ratio: y / x, line };
}

/**
 * The webview page that carries its script, stylesheets and KaTeX fonts (so the webview makes no resource request)
 * against the page that links them: bytes per page load, the one-time read, and building a page.
 */
function benchPage() {
  const { previewPageAssets } = require(path.join(root, 'out/src/node/assets.js'));
  const { buildWebviewPage } = require(path.join(root, 'out/src/core/render/page.js'));
  const t0 = performance.now();
  let assets;
  try {
    assets = previewPageAssets();
  } catch (e) {
    return { line: `preview page: skipped (${e.message})` };
  }
  const readMs = performance.now() - t0;
  const opts = { nonce: 'bm9uY2U=', cspSource: 'https://x.vscode-cdn.net', allowRemoteImages: false, settings: { source: 'file:///w.md' } };
  const linked = buildWebviewPage({ ...opts, script: { src: 'https://x/preview.js' }, styles: [{ href: 'https://x/katex.css' }, { href: 'https://x/preview.css' }] });
  const build = [];
  let carried = '';
  for (let i = 0; i < 30; i++) {
    const t = performance.now();
    carried = buildWebviewPage({ ...opts, script: { text: assets.script }, styles: assets.styles.map((text) => ({ text })) });
    build.push(performance.now() - t);
  }
  const kb = (n) => `${(n / 1024).toFixed(0)} KB`;
  const styles = assets.styles.reduce((a, c) => a + c.length, 0);
  const fonts = (carried.match(/url\(data:font\//g) ?? []).length;
  const requests = 1 + assets.styles.length + fonts;
  const line =
    `preview page carrying its assets: ${kb(carried.length)} (script ${kb(assets.script.length)}, styles with fonts ${kb(styles)}), ` +
    `read once in ${readMs.toFixed(1)} ms, built in ${median(build).toFixed(2)} ms per page load; the page that links them: ${kb(linked.length)} plus up to ${requests} requests (script, ${assets.styles.length} stylesheets, ${fonts} fonts as formulas need them)`;
  return { carriedBytes: carried.length, linkedBytes: linked.length, readMs, buildMs: median(build), line };
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  await benchPreview();
}
