// Whole documents in chunks: the one place that cuts a large writeup for the command line's `lint` (and `--fix`),
// `scan` and `render -o`. The cuts are the incremental linter's (./incremental.ts: safe blank lines outside fences,
// HTML blocks and VS Code's multi-line `$$` formulas; documents with document-wide state — footnotes, link reference
// definitions, raw `<b>` — are one chunk), with larger chunks. Each chunk is scanned on its own; a chunk whose last
// block runs into its trailing blank lines (an unclosed fence or `$$`) is merged with the next, as the editor's
// linter does. Only one chunk's Markdown parse is alive at a time, so memory follows the results, not the parse.
//
// `lintInChunks` gives the findings `lintText` gives for the whole text: each chunk's rules run on the chunk's scan,
// the page-wide rule parts on every formula of the page, and the fixes are checked and the inline directives applied
// on the whole text, as `lintText` does. `lintInChunksAsync` validates each chunk's formulas with GitHub's MathJax
// just before linting the chunk, like `lintTextAsync`; the verdicts are held for the whole call (the fix check reads
// them), so a small validator cache never drops a finding.
import type { Finding } from '../types';
import { LineIndex } from '../text';
import { scanDocument, type DetailedScan } from '../scan/scanner';
import { NO_VERDICTS, VerdictMap, type GithubValidator, type GithubVerdicts } from '../tex/mathjax';
import { chunkStarts, shifted, wholeDocumentReason, type ChunkTuning } from './incremental';
import { collectPageReports, collectReports, finishFindings, lintText, prepareLint, validateFormulas, type GithubFormula, type PreparedLint, type RawReport } from './engine';
import { keepImprovingFixes } from './fixCheck';
import type { Registry } from './registry';
import type { LintConfig, PageFormula } from './types';

/** Chunks of at least this many lines (the editor's are smaller; a whole-file run favours fewer, larger chunks). */
export const FILE_TUNING: ChunkTuning = { minLines: 400, maxLines: 4000, cutMask: 7 };

/** One chunk: its text, its scan (offsets and ranges relative to the chunk), where it starts in the document. */
export interface DocumentChunk {
  text: string;
  scan: DetailedScan;
  /** Offset of the chunk's first character in the document. */
  from: number;
  /** Document line the chunk starts on (a chunk always starts at a line start, so columns are the same). */
  line: number;
}

/** Whether the chunk's last block runs past its last non-blank line (then the cut after it is not safe). */
function endsOpen(text: string, scan: DetailedScan): boolean {
  let end = text.length;
  while (end > 0 && /\s/.test(text[end - 1])) end--;
  const content = end === 0 ? 0 : scan.lines.positionAt(end - 1).line + 1;
  return scan.extent.github > content || scan.extent.vscode > content;
}

/**
 * Cut `text` into chunks that scan (and lint, and render) on their own exactly as within the whole document, in
 * order, each scanned. The previous chunk's scan is not referenced once the next one is produced.
 */
export function* documentChunks(text: string, tuning: ChunkTuning = FILE_TUNING): Generator<DocumentChunk> {
  if (wholeDocumentReason(text) !== undefined) {
    yield { text, scan: scanDocument(text), from: 0, line: 0 };
    return;
  }
  const index = new LineIndex(text);
  const starts = chunkStarts(text.includes('\r') ? text.split(/\r?\n/) : text.split('\n'), tuning);
  const offsets = starts.map((l) => index.lineStarts[l]);
  offsets.push(text.length);
  for (let c = 0; c < starts.length; ) {
    let next = c + 1;
    let chunk: string;
    let scan: DetailedScan;
    for (let merges = 0; ; merges++) {
      chunk = text.slice(offsets[c], offsets[next]);
      scan = scanDocument(chunk);
      if (!endsOpen(chunk, scan) || next >= starts.length) break;
      // Each merge scans the grown chunk again; a construct left open for good (an unclosed fence) would make
      // that quadratic, so after a few merges the rest of the document is taken at once.
      next = merges < 8 ? next + 1 : starts.length;
    }
    yield { text: chunk, scan, from: offsets[c], line: starts[c] };
    c = next;
  }
}

export interface ChunkedLintOptions {
  registry?: Registry;
  /** Where chunks are cut (tests cut at every safe place). */
  tuning?: ChunkTuning;
}

/** The reports of the chunks so far, in document coordinates, and the page's formulas. */
interface Collected {
  reports: RawReport[];
  page: PageFormula[];
}

function collectChunk(into: Collected, chunk: DocumentChunk, prepared: PreparedLint, verdicts: GithubVerdicts): void {
  const { text, scan, from } = chunk;
  for (const r of collectReports(text, scan.lines, prepared, { scan, page: false, verdicts })) into.reports.push(from === 0 ? r : shifted(r, from));
  for (const g of scan.math) into.page.push({ tex: g.tex, display: g.display, start: g.start + from, end: g.end + from });
}

function finish(text: string, into: Collected, prepared: PreparedLint, verdicts: GithubVerdicts): Finding[] {
  for (const r of collectPageReports(into.page, text.length, prepared)) into.reports.push(r);
  into.page = [];
  const checked = keepImprovingFixes(text, into.reports, prepared, verdicts);
  into.reports = [];
  return finishFindings(text, new LineIndex(text), checked, prepared);
}

/** `lintText(text, config, { registry, verdicts })`, chunk by chunk. */
export function lintInChunks(
  text: string,
  config: Partial<LintConfig> | undefined,
  options: ChunkedLintOptions & { verdicts?: GithubVerdicts } = {},
): Finding[] {
  const prepared = prepareLint(config, options.registry);
  const verdicts = options.verdicts ?? NO_VERDICTS;
  const into: Collected = { reports: [], page: [] };
  try {
    for (const chunk of documentChunks(text, options.tuning)) collectChunk(into, chunk, prepared, verdicts);
  } catch {
    // The scanner failed on a chunk: the whole-text lint reports that the way it always does (an MW000 finding).
    return lintText(text, config, { registry: options.registry, verdicts });
  }
  return finish(text, into, prepared, verdicts);
}

/** `lintTextAsync(text, config, { registry, validator })`, chunk by chunk. */
export async function lintInChunksAsync(
  text: string,
  config: Partial<LintConfig> | undefined,
  options: ChunkedLintOptions & {
    validator: GithubValidator;
    /** Runs before each chunk's formulas are validated (the CLI's MathJax worker judges them into `validator`). */
    beforeChunk?: (formulas: readonly GithubFormula[]) => Promise<void>;
  },
): Promise<Finding[]> {
  const prepared = prepareLint(config, options.registry);
  const verdicts = new VerdictMap();
  const into: Collected = { reports: [], page: [] };
  const chunks = documentChunks(text, options.tuning);
  for (;;) {
    let next: IteratorResult<DocumentChunk>;
    try {
      next = chunks.next();
    } catch {
      // As in lintInChunks: no rule runs on a document the scanner fails on.
      return lintText(text, config, { registry: options.registry, verdicts });
    }
    if (next.done) break;
    if (options.beforeChunk) await options.beforeChunk(next.value.scan.math);
    await validateFormulas(options.validator, next.value.scan.math, { into: verdicts });
    collectChunk(into, next.value, prepared, verdicts);
  }
  return finish(text, into, prepared, verdicts);
}
