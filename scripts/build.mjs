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
const CLI_BUNDLES = new Set(['dist/cli.js', 'dist/checkWorker.js', 'dist/launch.js', 'dist/validateWorker.js']);

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

// One copy of KaTeX and MathJax in the .vsix: the web extension's bundle must carry them (a web worker loads no
// second file), so it exports them as `vendor(id)` and the extension's Node bundles load them from it at run time.
const SHARED = /^(?:katex|mathjax-full\/.+)$/;
const sharedIds = new Set();
const fromWebBundle = {
  name: 'katex-mathjax-from-web-bundle',
  setup(b) {
    b.onResolve({ filter: SHARED }, (a) => (sharedIds.add(a.path), { path: a.path, namespace: 'web-vendor' }));
    b.onLoad({ filter: /.*/, namespace: 'web-vendor' }, (a) => ({
      contents: `module.exports = require(require('path').join(__dirname, 'web', 'extension.js')).vendor(${JSON.stringify(a.path)});`,
      loader: 'js',
    }));
  },
};
const webEntry = () => ({
  ...browser('src/web/main.ts', 'dist/web/extension.js'), entryPoints: undefined, format: 'cjs', external: ['vscode'],
  stdin: {
    resolveDir: root, sourcefile: 'web-entry.ts', loader: 'ts',
    contents: `export { activate, deactivate } from './src/web/main';
const shared: Record<string, () => unknown> = {
${[...sharedIds].sort().map((id) => `  ${JSON.stringify(id)}: () => require(${JSON.stringify(id)}),`).join('\n')}
};
export function vendor(id: string): unknown {
  const load = shared[id];
  if (!load) throw new Error(\`\${id} is not in the web bundle\`);
  return load();
}
`,
  },
});

const entries = [
  node('src/vscode/extension.ts', 'dist/extension.js'),
  // the extension's heavy halves, required on first use (src/vscode/lazy.ts) so activation stays cheap
  node('src/vscode/host/lintHost.ts', 'dist/lintHost.js', { plugins: [fromWebBundle] }),
  node('src/vscode/host/checkHost.ts', 'dist/checkHost.js'),
  node('src/vscode/host/previewHost.ts', 'dist/previewHost.js', { plugins: [fromWebBundle] }),
  node('src/cli/main.ts', 'dist/cli.js'),
  // the CLI's loader (V8 code cache, src/node/codeCache.ts) and its MathJax worker thread
  node('src/node/launch.ts', 'dist/launch.js'),
  node('src/node/validateWorker.ts', 'dist/validateWorker.js'),
  node('src/node/checkWorker.ts', 'dist/checkWorker.js'),
  node('src/node/lintWorker.ts', 'dist/lintWorker.js', { plugins: [fromWebBundle] }),
  node('src/node/typesetWorker.ts', 'dist/typesetWorker.js', { plugins: [fromWebBundle] }),
  browser('webview/plot/main.ts', 'dist/webview/plot.js'),
  browser('webview/preview/main.ts', 'dist/webview/preview.js'),
]
  .filter((e) => existsSync(e.entryPoints[0]))
  .filter((e) => !cliOnly || CLI_BUNDLES.has(path.relative(root, e.outfile).split(path.sep).join('/')));

mkdirSync(path.join(root, 'dist'), { recursive: true });
await Promise.all(entries.map((e) => build(e)));
// the extension's `browser` entry for VS Code for the Web (web-worker extension host: CommonJS, no Node), built
// last: it exports the KaTeX and MathJax modules the Node bundles above asked for
if (!cliOnly && existsSync(path.join(root, 'src/web/main.ts'))) await build(webEntry());
// KaTeX stylesheet and fonts for the webviews (copied, not bundled, so the CSP can stay strict).
const katexDist = path.join(root, 'node_modules/katex/dist');
if (existsSync(katexDist)) {
  mkdirSync(path.join(root, 'dist/katex'), { recursive: true });
  cpSync(path.join(katexDist, 'katex.min.css'), path.join(root, 'dist/katex/katex.min.css'));
  cpSync(path.join(katexDist, 'fonts'), path.join(root, 'dist/katex/fonts'), { recursive: true });
}
const uplotCss = path.join(root, 'node_modules/uplot/dist/uPlot.min.css');
if (existsSync(uplotCss) && !cliOnly) cpSync(uplotCss, path.join(root, 'dist/webview/uPlot.min.css'));
console.error(`built ${entries.length + (cliOnly ? 0 : 1)} bundle(s)`);
