// Rendering in GitHub mode (also the preview's renderer) must stay linear in the document. A writeup of ~1.7 MB
// dense with formulas, near misses and display blocks is rendered in a child process that is killed at a hard
// limit of CPU time (not wall time, so a machine busy with other work does not make it fail): the linear renderer
// needs about 3 CPU seconds, the former per-token search over the whole formula list needed minutes (measured:
// 238 s for a similar 1.8 MB document), so a quadratic renderer cannot meet the limit. Timing numbers themselves
// are reported by `npm run bench` (scripts/bench/scaling.mjs), not asserted here.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { OffsetIndex } from '../../src/core/scan/offsetIndex';


/** CPU seconds the child may use (robust to a loaded machine); the wall limit is a backstop only. */
const CPU_LIMIT_S = 20;
const WALL_LIMIT_MS = 180_000;

/** CPU seconds (user + system) a Linux process has used, from /proc; undefined elsewhere or once it is gone. */
function cpuSeconds(pid: number): number | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100 on Linux)
  } catch {
    return undefined;
  }
}

/** Run `code` in a child Node process, killed once it has used `cpuLimitS` CPU seconds (or at the wall limit). */
function runLimited(code: string, cpuLimitS: number): Promise<{ killed: string | undefined; status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let killed: string | undefined;
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const kill = (why: string): void => {
      if (killed) return;
      killed = why;
      child.kill('SIGKILL');
    };
    const poll = setInterval(() => {
      const cpu = child.pid === undefined ? undefined : cpuSeconds(child.pid);
      if (cpu !== undefined && cpu > cpuLimitS) kill(`used more than ${cpuLimitS} CPU seconds`);
    }, 100);
    const wall = setTimeout(() => kill(`ran more than ${WALL_LIMIT_MS / 1000} s`), WALL_LIMIT_MS);
    child.on('close', (status) => {
      clearInterval(poll);
      clearTimeout(wall);
      resolve({ killed, status, stdout, stderr });
    });
  });
}

describe('scaling: rendering stays linear (hard time limit)', function () {
  this.timeout(WALL_LIMIT_MS + 20_000);

  it(`renders a 1.7 MB formula-dense writeup in GitHub mode within ${CPU_LIMIT_S} CPU seconds (a quadratic renderer takes minutes)`, async () => {
    const render = path.join(__dirname, '../../src/core/render/document.js');
    const scan = path.join(__dirname, '../../src/core/scan/scanner.js');
    const docs = path.join(__dirname, 'scaling-docs.js');
    const code = `
      const { renderDocument } = require(${JSON.stringify(render)});
      const { scanDocument } = require(${JSON.stringify(scan)});
      const { denseWriteup } = require(${JSON.stringify(docs)});
      const text = denseWriteup(24000);
      const s = scanDocument(text);
      const blocks = renderDocument(text, { mode: 'github', contextKey: 'scaling' });
      const html = blocks.map((b) => b.html).join('');
      process.stdout.write(JSON.stringify({ bytes: text.length, math: s.math.length, misses: s.nearMisses.length,
        rendered: (html.match(/class="katex"/g) || []).length, marked: (html.match(/mw-nearmiss|mw-damaged/g) || []).length }));
    `;
    const r = await runLimited(code, CPU_LIMIT_S);
    assert.equal(r.killed, undefined, `rendering was stopped: it ${r.killed} (quadratic behaviour?)`);
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { bytes: number; math: number; misses: number; rendered: number; marked: number };
    // The document is what the test claims: large, dense with formulas and near misses, all of them rendered.
    assert.ok(out.bytes > 1_600_000, `${out.bytes} bytes`);
    assert.ok(out.math > 75_000, `${out.math} formulas`);
    assert.ok(out.misses > 40_000, `${out.misses} near misses`);
    assert.ok(out.rendered >= out.math, `${out.rendered} KaTeX outputs for ${out.math} formulas`);
    assert.ok(out.marked >= out.misses, `${out.marked} near-miss marks for ${out.misses} near misses`);
  });

  it('the limit stops a run that exceeds it', async () => {
    const r = await runLimited('for (;;) {}', 1);
    assert.equal(r.killed, process.platform === 'linux' ? 'used more than 1 CPU seconds' : `ran more than ${WALL_LIMIT_MS / 1000} s`);
  });
});

describe('OffsetIndex', () => {
  const ranges = [
    { start: 10, end: 20, id: 'b' },
    { start: 0, end: 100, id: 'long' },
    { start: 30, end: 31, id: 'c' },
    { start: 10, end: 12, id: 'b2' },
    { start: 50, end: 50, id: 'empty' },
  ];
  const ix = new OffsetIndex(ranges);
  const ids = (xs: { id: string }[]): string[] => xs.map((x) => x.id);

  it('sorts by start, keeping input order for equal starts', () => {
    assert.deepEqual(ids([...ix.items]), ['long', 'b', 'b2', 'c', 'empty']);
  });

  it('within and overlapping agree with a scan of the whole list, for every window', () => {
    for (let from = -1; from <= 102; from++) {
      for (let to = from; to <= 102; to++) {
        const w = ranges.filter((r) => r.start >= from && r.end <= to).sort((a, b) => a.start - b.start || ranges.indexOf(a) - ranges.indexOf(b));
        const o = ranges.filter((r) => r.start < to && r.end > from).sort((a, b) => a.start - b.start || ranges.indexOf(a) - ranges.indexOf(b));
        assert.deepEqual(ids(ix.within(from, to)), ids(w), `within(${from}, ${to})`);
        assert.deepEqual(ids(ix.overlapping(from, to)), ids(o), `overlapping(${from}, ${to})`);
      }
    }
  });
});
