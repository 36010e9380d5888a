// A writeup just under the 50 MB limit: `scan`, `lint` and `render -o` of the bundled CLI finish inside a bounded
// V8 heap (well under Node's default), i.e. with memory that grows with the document at a bounded rate and not with
// the whole document's parse held at once. Each command runs in a child process; a command that needed more memory
// dies with V8's "heap out of memory", which fails the test. No timing is asserted (`npm run bench -- scaling`
// reports times and peak RSS per MB).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MAX_FILE_BYTES } from '../../src/node/files';

const CLI = path.resolve(__dirname, '../../../dist/cli.js');

/** Heap limits (MB) per command for a 50 MB writeup; Node's default on this class of machine is about 4 GB. */
const HEAP_MB = { scan: 1536, lint: 1536, render: 768 } as const;

/** Homework-style paragraphs: formulas, currency, near misses, display blocks, tables; a distinct formula now and then. */
function writeup(maxBytes: number): string {
  const parts: string[] = [];
  let size = 0;
  for (let i = 0; size < maxBytes - 400; i++) {
    // a problem GitHub shows (`$ x$`, `\{z\}`) in every fifth paragraph, as in a careless writeup
    const p: string[] = [
      i % 5 === 0
        ? `Step ${i}: with $a$ and $c_k$, price $5 and $ x$ here, \\(y\\) *em* $\\{z\\}$ and **bold** [link](#s).`
        : `Step ${i}: with $a$ and $c_k$, price 5 USD, $x^2 + y$ here, *em* $\\lbrace z \\rbrace$ and **bold** [link](#s).`,
    ];
    if (i % 40 === 0) p.push(`The update $w_{${i}} = w_{${i - 1}} - \\eta \\nabla L(w_{${i - 1}})$ follows.`);
    if (i % 7 === 0) p.push('$$\n\\sum_{k=1}^{n} k = \\frac{n(n+1)}{2}\n$$');
    if (i % 11 === 0) p.push('| a | b |\n|---|---|\n| $p$ | $q|r$ |');
    if (i % 13 === 0) p.push('- item with $\\alpha_t$\n- item with $\\beta$');
    const block = p.join('\n\n') + '\n\n';
    parts.push(block);
    size += Buffer.byteLength(block);
  }
  return parts.join('');
}

function run(args: string[], heapMb: number, stdoutFile: string): Promise<{ status: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const out = fs.openSync(stdoutFile, 'w');
    const child = spawn(process.execPath, [`--max-old-space-size=${heapMb}`, CLI, ...args], { stdio: ['ignore', out, 'pipe'] });
    let stderr = '';
    child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr = (stderr + d).slice(-20_000)));
    child.on('error', reject);
    child.on('close', (status) => {
      fs.closeSync(out);
      resolve({ status, stderr });
    });
  });
}

describe('a 50 MB writeup (bounded memory)', function () {
  this.timeout(30 * 60_000);
  let dir: string;
  let doc: string;
  let bytes: number;

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mw-50mb-'));
    doc = path.join(dir, 'big.md');
    const text = writeup(MAX_FILE_BYTES - 64 * 1024);
    fs.writeFileSync(doc, text);
    bytes = fs.statSync(doc).size;
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('is just under the size limit', () => {
    assert.ok(bytes > MAX_FILE_BYTES - 1024 * 1024 && bytes <= MAX_FILE_BYTES, `${bytes} bytes`);
  });

  it(`scan --format json finishes in a ${HEAP_MB.scan} MB heap`, async () => {
    const json = path.join(dir, 'scan.json');
    const r = await run(['scan', doc, '--format', 'json'], HEAP_MB.scan, json);
    assert.doesNotMatch(r.stderr, /heap out of memory|FATAL ERROR/);
    assert.equal(r.status, 0, r.stderr);
    // the output is complete JSON: it ends where the top-level value ends
    const fd = fs.openSync(json, 'r');
    const tail = Buffer.alloc(64);
    const size = fs.fstatSync(fd).size;
    fs.readSync(fd, tail, 0, 64, Math.max(0, size - 64));
    fs.closeSync(fd);
    assert.match(tail.toString('utf8'), /[\]}]\n$/);
    assert.ok(size > bytes / 10, `scan output ${size} bytes`);
  });

  it(`lint (with GitHub's MathJax) finishes in a ${HEAP_MB.lint} MB heap and reports the planted problems`, async () => {
    const out = path.join(dir, 'lint.txt');
    const r = await run(['lint', doc], HEAP_MB.lint, out);
    assert.doesNotMatch(r.stderr, /heap out of memory|FATAL ERROR/);
    assert.equal(r.status, 1, r.stderr); // findings were reported
    const text = fs.readFileSync(out, 'utf8');
    // one "spaces inside `$`" finding per fifth paragraph (`$ x$`), up to the end of the file
    const lines = text.split('\n').filter((l) => / MW002 /.test(l));
    assert.ok(lines.length > 50_000, `${lines.length} MW002 findings`);
    const last = Math.max(...lines.map((l) => Number(/^[^:]+:(\d+):/.exec(l)?.[1] ?? 0)));
    const docLines = fs.readFileSync(doc, 'utf8').split('\n').length;
    assert.ok(last > docLines - 100, `last finding on line ${last} of ${docLines}`);
  });

  it(`render -o finishes in a ${HEAP_MB.render} MB heap and writes the whole page`, async () => {
    const html = path.join(dir, 'big.html');
    const r = await run(['render', doc, '-o', html], HEAP_MB.render, path.join(dir, 'render.txt'));
    assert.doesNotMatch(r.stderr, /heap out of memory|FATAL ERROR/);
    assert.equal(r.status, 0, r.stderr);
    const size = fs.statSync(html).size;
    assert.ok(size > bytes, `page ${size} bytes`);
    const fd = fs.openSync(html, 'r');
    const tail = Buffer.alloc(200);
    fs.readSync(fd, tail, 0, 200, size - 200);
    fs.closeSync(fd);
    assert.match(tail.toString('utf8'), /<\/html>\s*$/);
  });
});
