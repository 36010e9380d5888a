// Benchmark (not a test): how time and memory grow with the document. Documents of 128 KB, 1 MB and 4 MB from the
// shared generator (../shared/bench/gen-math-doc.mjs); every measurement runs in a fresh child process, so each
// pays the same cold start and its peak RSS is its own.
//  1. rendering in both modes (GitHub: what the preview shows by default; VS Code), CPU time per MB of each size and
//     the 4 MB / 1 MB ratio of the times (linear: about 4x; the bound: at most 5x):
//       render github: 128 KB <a> s/MB, 1 MB <b> s/MB, 4 MB <c> s/MB; 4 MB / 1 MB <r>x
//  2. the CLI's lint (with GitHub's MathJax pass), scan and render -o: peak RSS at each size and the memory per MB of
//     document (peak RSS at 4 MB minus peak RSS at 128 KB, over the 3.875 MB between them):
//       memory lint: 128 KB <x> MB, 1 MB <y> MB, 4 MB <z> MB peak RSS; <m> MB per MB of document
//  3. the CLI's lint in chunks against the whole-document lint it replaced, on the 4 MB document (same findings):
//       lint in chunks vs whole document (4 MB, with MathJax): chunks <t> s CPU, <m> MB peak; whole …; time ratio <r>x
//  With MW_BENCH_50MB=1, also lint, scan and render of a 50 MB document (the size limit) at Node's default heap.
// Usage: node scripts/bench/scaling.mjs   (needs `npm run compile` output in out/ and dist/)
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { createRequire } from 'node:module';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const self = fileURLToPath(import.meta.url);
const SIZES = [
  ['128 KB', 128 * 1024],
  ['1 MB', 1024 * 1024],
  ['4 MB', 4 * 1024 * 1024],
];

/** Child side: run one job on `file`, print {cpuS, wallS, maxRssMB} as JSON. */
async function child(job, file) {
  const require = createRequire(import.meta.url);
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  if (job === 'render-github' || job === 'render-vscode') {
    const { renderDocument } = require(path.join(root, 'out/src/core/render/document.js'));
    const text = readFileSync(file, 'utf8');
    renderDocument(text, { mode: job.slice(7), contextKey: 'bench' });
  } else if (job === 'lint-whole' || job === 'lint-chunked') {
    // The command line's lint chunk by chunk (what `lint` runs), and the whole-document lint it replaced.
    const { lintTextAsync } = require(path.join(root, 'out/src/core/lint/engine.js'));
    const { lintInChunksAsync } = require(path.join(root, 'out/src/core/lint/chunked.js'));
    const { GithubValidator } = require(path.join(root, 'out/src/core/tex/mathjax.js'));
    const text = readFileSync(file, 'utf8');
    const validator = new GithubValidator();
    if (job === 'lint-whole') await lintTextAsync(text, undefined, { validator });
    else await lintInChunksAsync(text, undefined, { validator });
  } else {
    const { runCli } = require(path.join(root, 'dist/cli.js'));
    const io = { stdout: () => {}, stderr: () => {}, cwd: path.dirname(file) };
    const argv =
      job === 'lint' ? ['lint', file] : job === 'scan' ? ['scan', '--format', 'json', file] : ['render', file, '-o', `${file}.html`];
    const code = await runCli(argv, io, () => Promise.resolve(''));
    if (code === 2) throw new Error(`${job} exited 2`);
  }
  const c = process.cpuUsage(c0);
  process.stdout.write(
    JSON.stringify({ cpuS: (c.user + c.system) / 1e6, wallS: (performance.now() - t0) / 1000, maxRssMB: process.resourceUsage().maxRSS / 1024 }),
  );
}

function measure(job, file) {
  const r = spawnSync(process.execPath, [self, '--child', job, file], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (r.status !== 0) throw new Error(`${job} on ${path.basename(file)} failed: ${r.stderr.trim().split('\n').slice(-3).join(' / ')}`);
  return JSON.parse(r.stdout);
}

function generate(dir, bytes) {
  const generator = path.resolve(root, '..', 'shared', 'bench', 'gen-math-doc.mjs');
  if (!existsSync(generator)) throw new Error(`benchmark generator not found at ${generator}`);
  const out = path.join(dir, `doc-${bytes}.md`);
  execFileSync(process.execPath, [generator, '--bytes', String(bytes), '--out', out], { stdio: 'ignore' });
  return out;
}

const mb = (file) => statSync(file).size / (1024 * 1024);
const f2 = (x) => x.toFixed(2);

export async function benchScaling() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mw-bench-scaling-'));
  try {
    const docs = SIZES.map(([label, bytes]) => ({ label, file: generate(dir, bytes) }));
    for (const mode of ['github', 'vscode']) {
      const runs = docs.map((d) => ({ ...d, r: measure(`render-${mode}`, d.file) }));
      const parts = runs.map((x) => `${x.label} ${f2(x.r.cpuS / mb(x.file))} s/MB`);
      const ratio = runs[2].r.cpuS / runs[1].r.cpuS;
      console.log(`render ${mode}: ${parts.join(', ')} (CPU time); 4 MB / 1 MB ${f2(ratio)}x (wall ${f2(runs[1].r.wallS)} s, ${f2(runs[2].r.wallS)} s)`);
    }
    for (const job of ['lint', 'scan', 'render']) {
      const runs = docs.map((d) => ({ ...d, r: measure(job, d.file) }));
      const perMb = (runs[2].r.maxRssMB - runs[0].r.maxRssMB) / (mb(runs[2].file) - mb(runs[0].file));
      const parts = runs.map((x) => `${x.label} ${Math.round(x.r.maxRssMB)} MB`);
      const ratio = runs[2].r.cpuS / runs[1].r.cpuS;
      console.log(`memory ${job}: ${parts.join(', ')} peak RSS; ${Math.round(perMb)} MB per MB of document; time 4 MB / 1 MB ${f2(ratio)}x`);
    }
    {
      const [whole, chunked] = ['lint-whole', 'lint-chunked'].map((job) => measure(job, docs[2].file));
      console.log(
        `lint in chunks vs whole document (4 MB, with MathJax): chunks ${f2(chunked.cpuS)} s CPU, ${Math.round(chunked.maxRssMB)} MB peak; ` +
          `whole ${f2(whole.cpuS)} s CPU, ${Math.round(whole.maxRssMB)} MB peak; time ratio chunks/whole ${f2(chunked.cpuS / whole.cpuS)}x`,
      );
    }
    if (process.env.MW_BENCH_50MB === '1') {
      const big = generate(dir, 50 * 1024 * 1024 - 64 * 1024);
      for (const job of ['lint', 'scan', 'render']) {
        const r = measure(job, big);
        console.log(`50 MB ${job}: ${Math.round(r.wallS)} s, peak RSS ${Math.round(r.maxRssMB)} MB (${f2(r.maxRssMB / mb(big))} MB per MB)`);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--child') {
  await child(process.argv[3], process.argv[4]);
} else if (process.argv[1] === self) {
  await benchScaling();
}
