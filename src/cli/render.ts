// `math-writeup render <file> -o out.html`: the preview as one self-contained HTML file (KaTeX CSS with its fonts
// inlined as data: URIs, the preview's GitHub-like CSS, no scripts). Also used by the VS Code "Export HTML" command.
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { CliIO } from './io';
import { parseArgs, UsageError, type OptionSpec } from './args';
import { escapeFileName, readTextFile, reason } from '../node/files';
import { safeWriteFile } from '../node/safeWrite';
import { buildExportHtmlParts } from '../node/exportHtml';

export const RENDER_USAGE = `Usage: math-writeup render <file> -o <out.html> [--mode github|vscode] [--remote-images]

Write the writeup as one self-contained HTML file, rendered like the Math Writeup preview: KaTeX math, GitHub-like
styling (light and dark), check blocks as cards, raw HTML sanitized to what GitHub allows.

Options:
  -o, --out FILE        output file (required; an existing file is replaced)
  --mode github|vscode  github (default): what github.com renders (formulas GitHub leaves raw are shown raw and
                        marked); vscode: what VS Code's built-in preview renders
  --remote-images       keep http(s) images (default: shown as their alt text, as in the preview)
  -h, --help            show this help`;

const SPEC: Record<string, OptionSpec> = {
  out: { type: 'string', short: 'o' },
  mode: { type: 'string', choices: ['github', 'vscode'] },
  'remote-images': { type: 'flag' },
  debug: { type: 'flag' },
  help: { type: 'flag', short: 'h' },
};

export { buildExportHtml, buildExportHtmlParts, type ExportOptions } from '../node/exportHtml';

export async function runRenderCommand(args: string[], io: CliIO): Promise<number> {
  const parsed = parseArgs(args, SPEC, 'render');
  if (parsed.flags.has('help')) {
    io.stdout(RENDER_USAGE + '\n');
    return 0;
  }
  if (parsed.positionals.length !== 1) {
    throw new UsageError('render needs exactly one Markdown file; run "math-writeup render --help" for usage');
  }
  const out = parsed.values.get('out');
  if (!out) throw new UsageError('render needs an output file: -o out.html');
  const file = parsed.positionals[0];
  const read = await readTextFile(file, io.cwd);
  if (!read.ok) {
    io.stderr(read.error + '\n');
    return 2;
  }
  const outAbs = path.resolve(io.cwd, out);
  const srcAbs = path.resolve(io.cwd, file);
  const real = (p: string): Promise<string> => fsp.realpath(p).catch(() => p);
  if (outAbs === srcAbs || (await real(outAbs)) === (await real(srcAbs))) {
    throw new UsageError(`the output file would replace the input ${escapeFileName(file)}`);
  }
  let st: fs.Stats | undefined;
  try {
    st = await fsp.stat(path.dirname(outAbs));
  } catch {
    st = undefined;
  }
  if (!st?.isDirectory()) {
    io.stderr(`${escapeFileName(out)}: the folder ${escapeFileName(path.dirname(out) || '.')} does not exist\n`);
    return 2;
  }
  let chars = 0;
  const pieces = buildExportHtmlParts(read.text, {
    mode: parsed.values.get('mode') === 'vscode' ? 'vscode' : 'github',
    sourceDir: path.dirname(srcAbs),
    outDir: path.dirname(outAbs),
    remoteImages: parsed.flags.has('remote-images'),
    title: path.basename(file).replace(/\.(md|markdown)$/i, ''),
  });
  try {
    await safeWriteFile(outAbs, counted(pieces, (n) => (chars += n)));
  } catch (e) {
    io.stderr(`${escapeFileName(out)}: cannot write: ${reason(e)} (file left unchanged)\n`);
    return 2;
  }
  io.stderr(`math-writeup: wrote ${escapeFileName(out)} (${Math.round(chars / 1024)} KB)\n`);
  return 0;
}

/** `pieces`, telling `add` the length of each as it passes. */
function* counted(pieces: Iterable<string>, add: (n: number) => void): Generator<string> {
  for (const p of pieces) {
    add(p.length);
    yield p;
  }
}
