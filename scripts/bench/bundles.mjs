// Sizes of what the extension ships (not a timing): the web extension's bundle (dist/web/extension.js) as built,
// minified as `npm run package` builds it, and gzipped (what VS Code for the Web downloads); and how many copies of
// KaTeX and MathJax the bundles that go into the .vsix carry (the goal is one each: the Node bundles load them from
// the web bundle). Needs the build in dist/ (`npm run compile`). Run alone: `node scripts/bench/bundles.mjs`.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { transform } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const kb = (n) => `${(n / 1024).toFixed(0)} KB`;

/** JavaScript bundles that go into the .vsix (dist/, less the CLI, which .vscodeignore leaves out). */
function shippedBundles() {
  const out = [];
  const walk = (dir) => {
    for (const name of readdirSync(dir)) {
      const p = path.join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith('.js') && p !== path.join(root, 'dist', 'cli.js')) out.push(p);
    }
  };
  walk(path.join(root, 'dist'));
  return out;
}

// A message string of each library that survives minification, once per copy of the library.
const MARKERS = { KaTeX: "KaTeX doesn't work in quirks mode", MathJax: 'Missing or unrecognized delimiter for %1' };

export async function benchBundles({ print = true } = {}) {
  const web = readFileSync(path.join(root, 'dist/web/extension.js'), 'utf8');
  const min = (await transform(web, { minify: true, format: 'cjs', target: 'es2022' })).code;
  const gz = gzipSync(min).length;
  const copies = {};
  for (const [lib, marker] of Object.entries(MARKERS)) {
    copies[lib] = shippedBundles().filter((f) => readFileSync(f, 'utf8').includes(marker)).map((f) => path.relative(root, f));
  }
  const line =
    `web extension bundle: ${kb(web.length)} as built, ${kb(min.length)} minified, ${kb(gz)} gzipped; ` +
    `copies in the .vsix: KaTeX ${copies.KaTeX.length} (${copies.KaTeX.join(', ')}), MathJax ${copies.MathJax.length} (${copies.MathJax.join(', ')})`;
  if (print) console.log(line);
  return { web: web.length, minified: min.length, gzipped: gz, copies, line };
}

if (import.meta.url === `file://${process.argv[1]}`) await benchBundles();
