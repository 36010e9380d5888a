// `scan` of a large document without holding the whole document's Markdown token stream: the text is cut where the
// incremental linter cuts it (src/core/lint/incremental.ts: safe blank lines outside fences, HTML blocks and VS
// Code's multi-line `$$` formulas; documents with document-wide state — footnotes, link reference definitions, raw
// `<b>` — are scanned whole), each chunk is scanned on its own and its results are moved to document coordinates.
// A chunk whose last block runs into its trailing blank lines (an unclosed fence or `$$`) is merged with the next,
// as the linter does. Peak memory is then one chunk's parse plus the results, instead of the whole document's parse.
import { chunkStarts, wholeDocumentReason, type ChunkTuning } from '../core/lint/incremental';
import { scanDocument, type DetailedScan } from '../core/scan/scanner';
import { LineIndex } from '../core/text';
import type { Range } from '../core/types';

/** Chunks of at least this many lines (the editor's default is smaller; a CLI run favours fewer, larger chunks). */
const TUNING: ChunkTuning = { minLines: 400, maxLines: 4000, cutMask: 7 };

/** Whether the chunk's last block runs past its last non-blank line (then the cut after it is not safe). */
function endsOpen(text: string, scan: DetailedScan): boolean {
  let end = text.length;
  while (end > 0 && /\s/.test(text[end - 1])) end--;
  const content = end === 0 ? 0 : scan.lines.positionAt(end - 1).line + 1;
  return scan.extent.github > content || scan.extent.vscode > content;
}

function shiftRange(r: Range, lines: number): Range {
  if (lines === 0) return r;
  return { start: { line: r.start.line + lines, character: r.start.character }, end: { line: r.end.line + lines, character: r.end.character } };
}

/**
 * Cut `text` into chunks that scan and render on their own exactly as within the whole document, in order. Each
 * comes with its scan (offsets and ranges relative to the chunk) and the document line it starts on; a chunk always
 * starts at a line start, so columns are the same in both.
 */
export function forEachChunk(
  text: string,
  visit: (chunk: string, scan: DetailedScan, lineOffset: number) => void,
  tuning: ChunkTuning = TUNING,
): void {
  if (wholeDocumentReason(text) !== undefined) {
    visit(text, scanDocument(text), 0);
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
    visit(chunk, scan, starts[c]);
    c = next;
  }
}

/** Scan `text` chunk by chunk; `shift` moves a chunk's range to document lines. */
export function scanInChunks(text: string, visit: (scan: DetailedScan, shift: (r: Range) => Range) => void, tuning: ChunkTuning = TUNING): void {
  forEachChunk(text, (_chunk, scan, lineOffset) => visit(scan, (r) => shiftRange(r, lineOffset)), tuning);
}
