// Loads the heavy halves of the extension (core engines) from their own bundles on first use. esbuild inlines any
// import it can see, so these are required by computed path: dist/extension.js stays small and activation cheap.
import * as fs from 'fs';
import * as path from 'path';

type LintHost = typeof import('./host/lintHost');
type CheckHost = typeof import('./host/checkHost');
type PreviewHost = typeof import('./host/previewHost');

function load<T>(bundle: string, unbundled: string): T {
  // Bundled: dist/<bundle>.js next to dist/extension.js. Unbundled (tsc output): the module itself.
  const file = fs.existsSync(path.join(__dirname, `${bundle}.js`)) ? path.join(__dirname, `${bundle}.js`) : path.join(__dirname, unbundled);
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a computed path keeps esbuild from inlining it
  return require(file) as T;
}

let lint: LintHost | undefined;
let check: CheckHost | undefined;
let preview: PreviewHost | undefined;

export function lintHost(): LintHost {
  lint ??= load<LintHost>('lintHost', 'host/lintHost');
  return lint;
}

export function checkHost(): CheckHost {
  check ??= load<CheckHost>('checkHost', 'host/checkHost');
  return check;
}

export function previewHost(): PreviewHost {
  preview ??= load<PreviewHost>('previewHost', 'host/previewHost');
  return preview;
}
