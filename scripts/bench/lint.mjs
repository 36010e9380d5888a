// Benchmarks of the linter, in one process:
//  1. our full lint (scanner + every rule, no MathJax) against markdownlint's library with its default rules, on the
//     same generated 1 MB math-heavy document. Warm-up runs first, then rounds that alternate which linter goes
//     first; the medians are compared:
//       lint vs markdownlint: ours <X> ms, markdownlint <Y> ms, ratio ours/theirs <Z>x
//  2. the editor's re-lint after a keystroke in a 5,000-line writeup: the incremental linter (what the lint worker
//     runs) against a full lint of the same edited text, over edits spread through the document:
//       editor re-lint after one edit (N lines): incremental <X> ms (max <M>), full <Y> ms, ratio full/incremental <Z>x
// Needs the compiled sources (npm run compile) and ../shared/bench/gen-math-doc.mjs next to the repository.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const WARMUP = 2;
const ROUNDS = 7;

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function time(fn) {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
}

/** Generate a document of at least `bytes` bytes with the shared generator and return its text. */
function generateDocument(bytes = 1000000) {
  const generator = path.resolve(root, '..', 'shared', 'bench', 'gen-math-doc.mjs');
  if (!existsSync(generator)) {
    throw new Error(`benchmark generator not found at ${generator} (expected ../shared/bench/gen-math-doc.mjs next to the repository)`);
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mw-bench-'));
  try {
    const out = path.join(dir, 'doc.md');
    execFileSync(process.execPath, [generator, '--bytes', String(bytes), '--out', out], { stdio: ['ignore', 'ignore', 'inherit'] });
    return readFileSync(out, 'utf8');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Time both linters on the same text; prints the one-line result and returns the numbers. */
export async function benchLint() {
  const enginePath = path.join(root, 'out/src/core/lint/engine.js');
  if (!existsSync(enginePath)) throw new Error(`${enginePath} is missing: run "npm run compile" first`);
  const { lintText } = createRequire(import.meta.url)(enginePath);
  const { lint: markdownlint } = await import('markdownlint/sync');
  const text = generateDocument();

  let oursCount = 0;
  let theirsCount = 0;
  const ours = () => {
    oursCount = lintText(text).length;
  };
  const theirs = () => {
    const results = markdownlint({ strings: { doc: text } });
    theirsCount = results.doc.length;
  };
  for (let i = 0; i < WARMUP; i++) {
    ours();
    theirs();
  }
  const a = [];
  const b = [];
  for (let i = 0; i < ROUNDS; i++) {
    if (i % 2 === 0) {
      a.push(time(ours));
      b.push(time(theirs));
    } else {
      b.push(time(theirs));
      a.push(time(ours));
    }
  }
  const oursMs = median(a);
  const theirsMs = median(b);
  const ratio = oursMs / theirsMs;
  console.log(`lint vs markdownlint: ours ${oursMs.toFixed(1)} ms, markdownlint ${theirsMs.toFixed(1)} ms, ratio ours/theirs ${ratio.toFixed(2)}x`);
  const editor = benchEditorRelint(lintText);
  const worker = await benchWorkerRoundTrip();
  return { oursMs, theirsMs, ratio, bytes: Buffer.byteLength(text), oursFindings: oursCount, theirsFindings: theirsCount, editor, worker };
}

/** Keystrokes in a 5,000-line writeup (the size issue 4 names): incremental re-lint vs a full lint of the same text. */
function benchEditorRelint(lintText) {
  const incrementalPath = path.join(root, 'out/src/core/lint/incremental.js');
  const { IncrementalLinter } = createRequire(import.meta.url)(incrementalPath);
  // The integration test's writeup: ~85 bytes per line for at least 5,000 lines.
  let text = generateDocument(5000 * 85);
  const lineCount = text.split('\n').length;
  const linter = new IncrementalLinter();
  linter.lint(text);
  const incremental = [];
  const full = [];
  const EDITS = 24;
  for (let i = 0; i < EDITS + WARMUP; i++) {
    // type " x" at the end of a line spread through the document, as the integration test does
    const lines = text.split('\n');
    const at = 100 + Math.floor((i * (lines.length - 200)) / (EDITS + WARMUP));
    lines[at] += ' x';
    text = lines.join('\n');
    const a = time(() => linter.lint(text));
    const b = time(() => lintText(text));
    if (i >= WARMUP) {
      incremental.push(a);
      full.push(b);
    }
  }
  const same = JSON.stringify(linter.lint(text).findings) === JSON.stringify(lintText(text));
  if (!same) throw new Error('the incremental linter disagrees with a full lint on the benchmark document');
  const incMs = median(incremental);
  const fullMs = median(full);
  console.log(
    `editor re-lint after one edit (${lineCount} lines): incremental ${incMs.toFixed(1)} ms (max ${Math.max(...incremental).toFixed(1)}), ` +
      `full ${fullMs.toFixed(1)} ms, ratio full/incremental ${(fullMs / incMs).toFixed(1)}x`,
  );
  return { lines: lineCount, incrementalMs: incMs, incrementalMaxMs: Math.max(...incremental), fullMs };
}

/**
 * The same keystrokes through the real lint worker thread, as the extension host sends them: the round trip beside
 * the lint itself, and how many findings each answer carries (a delta) against all of them (~1 MB serialised).
 */
async function benchWorkerRoundTrip() {
  const { LintWorkerClient, resolveLintWorkerPath } = createRequire(import.meta.url)(path.join(root, 'out/src/node/lintClient.js'));
  const workerPath = resolveLintWorkerPath();
  if (!existsSync(workerPath)) throw new Error(`${workerPath} is missing: run "npm run compile" first`);
  const v8 = await import('node:v8');
  let text = generateDocument(5000 * 85);
  const client = new LintWorkerClient(workerPath);
  try {
    const first = await client.lint('bench', text, {});
    const fullBytes = v8.serialize(first.findings).length;
    const trips = [];
    const lints = [];
    const carried = [];
    const EDITS = 24;
    for (let i = 0; i < EDITS + WARMUP; i++) {
      const lines = text.split('\n');
      lines[100 + Math.floor((i * (lines.length - 200)) / (EDITS + WARMUP))] += ' x';
      text = lines.join('\n');
      const t0 = performance.now();
      const a = await client.lint('bench', text, {});
      if (i < WARMUP) continue;
      trips.push(performance.now() - t0);
      lints.push(a.lintMs);
      carried.push(a.carried);
    }
    const r = { roundTripMs: median(trips), lintMs: median(lints), carried: median(carried), findings: first.findings.length, fullBytes };
    console.log(
      `lint worker after one edit: round trip ${r.roundTripMs.toFixed(1)} ms (lint ${r.lintMs.toFixed(1)} ms), answer carries median ` +
        `${r.carried} of ${r.findings} findings (all of them: ${(fullBytes / 1024).toFixed(0)} KB serialised)`,
    );
    return r;
  } finally {
    client.dispose();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  benchLint().catch((e) => {
    console.error(`bench: ${e instanceof Error ? e.message : String(e)}`);
    process.exitCode = 1;
  });
}
