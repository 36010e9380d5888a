// Files shipped with the extension and the CLI (KaTeX's stylesheet and fonts, the preview's stylesheet and script),
// found next to the bundle (dist/) or in the repository (out/…), and turned into text a page can carry.
import fs from 'node:fs';
import path from 'node:path';
import { canInlineScript } from '../core/render/page';

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

function readAsset(...rel: string[]): string {
  const p = findAsset(...rel);
  if (!p) throw new Error(`${rel.join('/')} not found (run the build: node scripts/build.mjs)`);
  return fs.readFileSync(p, 'utf8');
}

export function previewCss(): string {
  return readAsset('media', 'preview.css');
}

/** A webview page's script and stylesheets, as text the page can carry. */
export interface PageAssets {
  script: string;
  styles: string[];
}

/** A bundled webview script without its source map comment (it would point the webview at a file it may not load). */
function webviewScript(name: string): string {
  const text = readAsset('webview', name).replace(/\n\/\/# sourceMappingURL=\S+\s*$/, '\n');
  if (!canInlineScript(text)) throw new Error(`dist/webview/${name} contains </script or <!-- and cannot be carried in a page`);
  return text;
}

/** The preview page's script, KaTeX's stylesheet with its fonts inlined, and the preview's stylesheet. */
export function previewPageAssets(): PageAssets {
  return { script: webviewScript('preview.js'), styles: [inlineKatexCss(), previewCss()] };
}

/** The plot panel's script and stylesheets (uPlot's, then the panel's). */
export function plotPageAssets(): PageAssets {
  return { script: webviewScript('plot.js'), styles: [readAsset('webview', 'uPlot.min.css'), readAsset('media', 'plot.css')] };
}
