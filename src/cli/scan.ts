// `math-writeup scan <file|-> [--format text|json]`: what GitHub renders as math in a document, and the near misses
// (text VS Code's preview renders as math but GitHub does not, or renders differently). Ranges are 0-based, in
// UTF-16 code units, after removing a leading byte-order mark.
import type { CliIO } from './io';
import { parseArgs, UsageError, type OptionSpec } from './args';
import type { Range } from '../core/types';
import { escapeFileName, readTextFile } from '../node/files';
import { scanInChunks } from '../node/chunkedScan';
import { explainNearMiss } from '../core/lint/explain';

export const SCAN_USAGE = `Usage: math-writeup scan <file|-> [--format text|json]

Print every formula GitHub renders in the document ("-" reads standard input) and every near miss: text that VS
Code's preview renders as math but GitHub does not, or renders differently.

Options:
  --format text|json   text (default): one line per formula or near miss, 1-based line:col;
                       json: {"file", "math": [{display, delimited, tex, range}],
                       "nearMisses": [{rule, cause, message, range}]} with 0-based ranges (rule: the lint
                       rule reporting it, absent when none does)
  -h, --help           show this help`;

const SPEC: Record<string, OptionSpec> = {
  format: { type: 'string', choices: ['text', 'json'] },
  debug: { type: 'flag' },
  help: { type: 'flag', short: 'h' },
};

export interface ScanJson {
  file: string;
  math: { display: boolean; delimited: string; tex: string; range: Range }[];
  /** `rule`: the lint rule reporting it (absent when none does); `cause`: what GitHub does differently (scan/causes.ts). */
  nearMisses: { rule?: string; cause: string; message: string; range: Range }[];
}

/** The JSON document `scan --format json` prints for `text` (scanned in chunks: a large file never parses whole). */
export function scanToJson(file: string, text: string): ScanJson {
  const json: ScanJson = { file, math: [], nearMisses: [] };
  scanInChunks(text, (scan, shift) => {
    for (const m of scan.math) json.math.push({ display: m.display, delimited: m.delimited, tex: m.tex, range: shift(m.range) });
    for (const n of scan.nearMisses) {
      const { ruleId, message } = explainNearMiss(n);
      json.nearMisses.push({ ...(ruleId ? { rule: ruleId } : {}), cause: n.cause.kind, message, range: shift(n.range) });
    }
  });
  return json;
}

export async function runScanCommand(args: string[], io: CliIO, stdin?: () => Promise<string>): Promise<number> {
  const parsed = parseArgs(args, SPEC, 'scan');
  if (parsed.flags.has('help')) {
    io.stdout(SCAN_USAGE + '\n');
    return 0;
  }
  if (parsed.positionals.length !== 1) {
    throw new UsageError('scan needs exactly one file (or "-" for standard input); run "math-writeup scan --help" for usage');
  }
  const file = parsed.positionals[0];
  let text: string;
  if (file === '-') {
    if (!stdin) throw new UsageError('standard input is not available');
    text = await stdin();
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  } else {
    const read = await readTextFile(file, io.cwd);
    if (!read.ok) {
      io.stderr(read.error + '\n');
      return 2;
    }
    text = read.text;
  }
  const json = scanToJson(file, text);
  if ((parsed.values.get('format') ?? 'text') === 'json') {
    io.stdout(JSON.stringify(json, null, 2) + '\n');
    return 0;
  }
  const shown = escapeFileName(file);
  const at = (r: Range): string => `${shown}:${r.start.line + 1}:${r.start.character + 1}`;
  const lines = [
    ...json.math.map((m) => ({ r: m.range, s: `${at(m.range)} ${m.display ? 'display' : 'inline'} ${m.delimited.replace(/\n/g, '\\n')}` })),
    ...json.nearMisses.map((n) => ({ r: n.range, s: `${at(n.range)} near-miss ${n.rule ?? n.cause} ${n.message.replace(/\n/g, ' ')}` })),
  ].sort((a, b) => a.r.start.line - b.r.start.line || a.r.start.character - b.r.start.character);
  io.stdout(lines.map((l) => l.s + '\n').join(''));
  io.stderr(`math-writeup: ${json.math.length} formula${json.math.length === 1 ? '' : 's'}, ${json.nearMisses.length} near miss${json.nearMisses.length === 1 ? '' : 'es'}\n`);
  return 0;
}
