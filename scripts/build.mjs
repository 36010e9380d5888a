// Bundles the extension, the CLI, the check worker and the webviews with esbuild.
// Entries whose source file does not exist yet are skipped, so the build works at every stage.
import { build } from 'esbuild';
import { existsSync, mkdirSync, cpSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const production = process.argv.includes('--production');
// --cli: only what the npm package needs (the CLI with the markdownlint rule, its check worker, KaTeX's stylesheet);
// `npm pack` runs it through the `prepack` script, see .npmignore for the package's file list.
const cliOnly = process.argv.includes('--cli');
const CLI_BUNDLES = new Set(['dist/cli.js', 'dist/checkWorker.js']);

const node = (entry, outfile, extra = {}) => ({
  entryPoints: [path.join(root, entry)], outfile: path.join(root, outfile), bundle: true, platform: 'node',
  format: 'cjs', target: 'node20', sourcemap: !production, minify: production, logLevel: 'warning',
  external: ['vscode'],
  // jsonc-parser's "main" is a UMD build whose inner require() calls esbuild cannot follow: bundle its ES modules.
  alias: { 'jsonc-parser': './node_modules/jsonc-parser/lib/esm/main.js' }, absWorkingDir: root,
  ...extra,
});
const browser = (entry, outfile) => ({
  entryPoints: [path.join(root, entry)], outfile: path.join(root, outfile), bundle: true, platform: 'browser',
  format: 'iife', target: 'es2022', sourcemap: !production, minify: production, logLevel: 'warning',
  loader: { '.ttf': 'file', '.woff': 'file', '.woff2': 'file' },
});

const entries = [
  node('src/vscode/extension.ts', 'dist/extension.js'),
  // the extension's heavy halves, required on first use (src/vscode/lazy.ts) so activation stays cheap
  node('src/vscode/host/lintHost.ts', 'dist/lintHost.js'),
  node('src/vscode/host/checkHost.ts', 'dist/checkHost.js'),
  node('src/vscode/host/previewHost.ts', 'dist/previewHost.js'),
  node('src/cli/main.ts', 'dist/cli.js'),
  node('src/node/checkWorker.ts', 'dist/checkWorker.js'),
  node('src/node/lintWorker.ts', 'dist/lintWorker.js'),
  browser('webview/plot/main.ts', 'dist/webview/plot.js'),
  browser('webview/preview/main.ts', 'dist/webview/preview.js'),
]
  .filter((e) => existsSync(e.entryPoints[0]))
  .filter((e) => !cliOnly || CLI_BUNDLES.has(path.relative(root, e.outfile).split(path.sep).join('/')));

mkdirSync(path.join(root, 'dist'), { recursive: true });
await Promise.all(entries.map((e) => build(e)));
// KaTeX stylesheet and fonts for the webviews (copied, not bundled, so the CSP can stay strict).
const katexDist = path.join(root, 'node_modules/katex/dist');
if (existsSync(katexDist)) {
  mkdirSync(path.join(root, 'dist/katex'), { recursive: true });
  cpSync(path.join(katexDist, 'katex.min.css'), path.join(root, 'dist/katex/katex.min.css'));
  cpSync(path.join(katexDist, 'fonts'), path.join(root, 'dist/katex/fonts'), { recursive: true });
}
const uplotCss = path.join(root, 'node_modules/uplot/dist/uPlot.min.css');
if (existsSync(uplotCss) && !cliOnly) cpSync(uplotCss, path.join(root, 'dist/webview/uPlot.min.css'));
console.error(`built ${entries.length} bundle(s)`);
