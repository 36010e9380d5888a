// Files shipped with the extension and the CLI (KaTeX's stylesheet and fonts, the preview's stylesheet and script),
// found next to the bundle (dist/) or in the repository (out/…), and turned into text a page can carry.
import fs from 'node:fs';
import path from 'node:path';

/** Finds a shipped file: next to the bundle (dist/), or in the repository (from out/src/…). */
export function findAsset(...rel: string[]): string | undefined {
  let dir = __dirname;
  for (let i = 0; i < 5; i++) {
    for (const base of [dir, path.join(dir, 'dist')]) {
      const p = path.join(base, ...rel);
      if (fs.existsSync(p)) return p;
    }
    dir = path.dirname(dir);
  }
  return undefined;
}

function katexCssPath(): string {
  const found = findAsset('katex', 'katex.min.css') ?? findAsset('node_modules', 'katex', 'dist', 'katex.min.css');
  if (!found) throw new Error('KaTeX stylesheet not found (run the build: node scripts/build.mjs)');
  return found;
}

/** KaTeX's CSS with every font inlined (woff2 only: every browser that renders KaTeX reads it). */
export function inlineKatexCss(): string {
  const cssFile = katexCssPath();
  const css = fs.readFileSync(cssFile, 'utf8');
  const fontsDir = path.join(path.dirname(cssFile), 'fonts');
  return css.replace(/src:\s*url\(fonts\/([^)]+?)\.woff2\)\s*format\("woff2"\)[^;}]*/g, (_m, name: string) => {
    const data = fs.readFileSync(path.join(fontsDir, `${name}.woff2`)).toString('base64');
    return `src:url(data:font/woff2;base64,${data}) format("woff2")`;
  });
}

export function previewCss(): string {
  const p = findAsset('media', 'preview.css');
  if (!p) throw new Error('media/preview.css not found');
  return fs.readFileSync(p, 'utf8');
}

/** The preview webview's bundled script (dist/webview/preview.js). */
export function previewScript(): string {
  const p = findAsset('webview', 'preview.js');
  if (!p) throw new Error('dist/webview/preview.js not found (run the build: node scripts/build.mjs)');
  // The source map comment would point the webview at a file it may not load; the bundle is readable without it.
  return fs.readFileSync(p, 'utf8').replace(/\n\/\/# sourceMappingURL=\S+\s*$/, '\n');
}

/** The plot panel's script and stylesheets (uPlot's, then the panel's). */
export function plotAssets(): { script: string; styles: string[] } {
  const read = (...rel: string[]): string => {
    const p = findAsset(...rel);
    if (!p) throw new Error(`${rel.join('/')} not found (run the build: node scripts/build.mjs)`);
    return fs.readFileSync(p, 'utf8');
  };
  return {
    script: read('webview', 'plot.js').replace(/\n\/\/# sourceMappingURL=\S+\s*$/, '\n'),
    styles: [read('webview', 'uPlot.min.css'), read('media', 'plot.css')],
  };
}
