// `scan` and `render -o` of a large document without holding the whole document's Markdown token stream: the text is
// cut by the core's `documentChunks` (src/core/lint/chunked.ts, the cuts `lint` uses too), each chunk is scanned on
// its own and its results are moved to document coordinates. Peak memory is then one chunk's parse plus the
// results, instead of the whole document's parse.
import { documentChunks, FILE_TUNING } from '../core/lint/chunked';
import type { ChunkTuning } from '../core/lint/incremental';
import type { DetailedScan } from '../core/scan/scanner';
import type { Range } from '../core/types';

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
  tuning: ChunkTuning = FILE_TUNING,
): void {
  for (const c of documentChunks(text, tuning)) visit(c.text, c.scan, c.line);
}

/** Scan `text` chunk by chunk; `shift` moves a chunk's range to document lines. */
export function scanInChunks(text: string, visit: (scan: DetailedScan, shift: (r: Range) => Range) => void, tuning: ChunkTuning = FILE_TUNING): void {
  forEachChunk(text, (_chunk, scan, lineOffset) => visit(scan, (r) => shiftRange(r, lineOffset)), tuning);
}
