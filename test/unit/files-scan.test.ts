// `scan` of a file is done chunk by chunk (src/node/chunkedScan.ts) so a large writeup never parses whole; its
// output must be exactly the whole-document scan's. Checked on documents built from blocks that reach across blank
// lines (multi-line `$$`, fences, HTML comments, loose lists), with chunks cut at every safe place.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { scanDocument } from '../../src/core/scan/scanner';
import { explainNearMiss } from '../../src/core/lint/explain';
import { forEachChunk, scanInChunks } from '../../src/node/chunkedScan';
import { renderDocument } from '../../src/core/render/document';
import { scanToJson } from '../../src/cli/scan';
import type { Range } from '../../src/core/types';

const EVERYWHERE = { minLines: 1, maxLines: 2, cutMask: 0 };

function whole(text: string): { math: unknown[]; misses: unknown[] } {
  const s = scanDocument(text);
  return {
    math: s.math.map((m) => [m.display, m.delimited, m.tex, m.range]),
    misses: s.nearMisses.map((n) => [n.cause.kind, explainNearMiss(n).message, n.range]),
  };
}

function chunked(text: string, tuning = EVERYWHERE): { math: unknown[]; misses: unknown[]; chunks: number } {
  const out = { math: [] as unknown[], misses: [] as unknown[], chunks: 0 };
  scanInChunks(
    text,
    (s, shift: (r: Range) => Range) => {
      out.chunks++;
      for (const m of s.math) out.math.push([m.display, m.delimited, m.tex, shift(m.range)]);
      for (const n of s.nearMisses) out.misses.push([n.cause.kind, explainNearMiss(n).message, shift(n.range)]);
    },
    tuning,
  );
  return out;
}

const BLOCKS = [
  'Text $a_1$ and $ b$ here, price $5.\n',
  '$$\nx^2\n\ny\n$$\n',
  '$$\n\\sum_k k\n$$\n',
  '```\ncode $x$\n\nmore\n',
  '```\n',
  '```math\n\\int f\n```\n',
  '<!-- comment\n\n$c$ -->\n',
  '- item $d$\n\n  continued $e$\n',
  '| a | b |\n|---|---|\n| $p$ | $q|r$ |\n',
  '> quote $f$\n',
  '    indented $g$\n',
  '# Heading $h$\n',
  '\\(i\\) and $\\{j\\}$\r\n',
  '$$ open display\n',
  '\n',
  '\n\n',
];

describe('chunked scan (scan of large files)', function () {
  this.timeout(60000);

  it('equals the whole-document scan for documents of blocks reaching across blank lines (chunks at every safe cut)', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...BLOCKS), { minLength: 1, maxLength: 40 }), (blocks) => {
        const text = blocks.join('\n');
        const c = chunked(text);
        const w = whole(text);
        assert.deepEqual(c.math, w.math);
        assert.deepEqual(c.misses, w.misses);
      }),
      { numRuns: 300 },
    );
  });

  it('really cuts a long document, and scan --format json equals the whole scan', () => {
    const text = Array.from({ length: 400 }, (_, i) => BLOCKS[i % 13]).join('\n');
    const c = chunked(text);
    assert.ok(c.chunks > 50, `${c.chunks} chunks`);
    const w = whole(text);
    assert.deepEqual(c.math, w.math);
    assert.deepEqual(c.misses, w.misses);
    const json = scanToJson('f.md', text);
    assert.deepEqual(
      json.math.map((m) => [m.display, m.delimited, m.tex, m.range]),
      w.math,
    );
  });

  it('a fence left open early runs to the end of the document: no formulas after it', () => {
    const text = '```\n' + Array.from({ length: 20000 }, (_, i) => `line ${i} $x$\n`).join('\n');
    const c = chunked(text);
    assert.ok(c.chunks <= 2, `${c.chunks} chunks`);
    assert.deepEqual(c.math, []);
  });

  it('rendering chunk by chunk (render -o) gives the whole document\'s blocks, in both modes', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...BLOCKS), { minLength: 1, maxLength: 30 }), fc.constantFrom('github' as const, 'vscode' as const), (blocks, mode) => {
        const text = blocks.join('\n');
        const pieces: { line: number; endLine: number; html: string }[] = [];
        forEachChunk(
          text,
          (chunk, _scan, lineOffset) => {
            for (const b of renderDocument(chunk, { mode, contextKey: 't' })) pieces.push({ line: b.line + lineOffset, endLine: b.endLine + lineOffset, html: b.html });
          },
          EVERYWHERE,
        );
        const all = renderDocument(text, { mode, contextKey: 't' }).map((b) => ({ line: b.line, endLine: b.endLine, html: b.html }));
        assert.deepEqual(pieces, all);
      }),
      { numRuns: 150 },
    );
  });
});
