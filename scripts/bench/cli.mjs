// Whole-process time of `math-writeup lint` on one 30 KB writeup against markdownlint-cli2 on the same file, side
// by side (rounds alternate which goes first; medians compared). Lines:
//   cli lint 30 KB (cold, no cache): math-writeup <X> ms, markdownlint-cli2 <Y> ms, ratio <Z>x   (target ≤ 1×)
//   cli lint 30 KB (very first run: empty code cache, no cache): …  (each round with a new, empty V8 code cache)
//   cli lint 30 KB (code cache off, no cache): …                      (MATH_WRITEUP_CODE_CACHE=off)
//   cli lint 30 KB (warm --cache):   math-writeup <X> ms, markdownlint-cli2 <Y> ms, ratio <Z>x   (target ≤ 0.5×)
//   cli lint 30 KB (--no-mathjax, no cache): …
//   cli startup (--version): <X> ms; bare node: <Y> ms
// "cold" is a run without a result cache (--cache) as any run after the first one on a machine meets it: the V8 code
// cache of the bundles (src/node/codeCache.ts) is filled by the first run; that very first run is the second line.
// The code cache used here is a temporary directory (MATH_WRITEUP_CODE_CACHE), never the user's.
// The load average is printed first and last: the machine may be shared. With GNU time (/usr/bin/time) each line
// also gives the median CPU time (user + system, all threads) of both tools.
// Runs the bundled CLI (bin/math-writeup.js → dist/cli.js), so build first (npm run bench does).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const ROUNDS = Number(process.env.MW_BENCH_ROUNDS) || 15;

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

// CPU time (user + system, all threads) of each process through GNU time when present: on a shared, loaded machine the
// wall times mostly measure the scheduler, the CPU times what each tool costs.
const GNU_TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
let cpuFile;

/** Wall time of one process in ms (and its CPU time when GNU time is there, in `lastCpu`). */
let lastCpu;
function run(cmd, args, cwd, env = process.env) {
  cpuFile ??= path.join(mkdtempSync(path.join(os.tmpdir(), 'mw-bench-time-')), 'cpu');
  const [c, a] = GNU_TIME ? [GNU_TIME, ['-f', '%U %S', '-o', cpuFile, cmd, ...args]] : [cmd, args];
  const t0 = performance.now();
  const p = spawnSync(c, a, { cwd, encoding: 'utf8', env });
  const ms = performance.now() - t0;
  if (p.error) throw p.error;
  if (p.status !== 0 && p.status !== 1) throw new Error(`${path.basename(args[0] ?? cmd)} exited ${p.status}: ${p.stderr}`);
  lastCpu = undefined;
  if (GNU_TIME) {
    const m = /(\d+\.\d+) (\d+\.\d+)\s*$/.exec(readFileSync(cpuFile, 'utf8'));
    if (m) lastCpu = (Number(m[1]) + Number(m[2])) * 1000;
  }
  return ms;
}

export async function benchCli() {
  const generator = path.resolve(root, '..', 'shared', 'bench', 'gen-math-doc.mjs');
  if (!existsSync(generator)) throw new Error(`benchmark generator not found at ${generator}`);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mw-bench-cli-'));
  try {
    const doc = path.join(dir, 'writeup.md');
    execFileSync(process.execPath, [generator, '--bytes', '30000', '--out', doc], { stdio: 'ignore' });
    writeFileSync(path.join(dir, '.markdownlint-cli2.jsonc'), '{}\n');
    const mw = path.join(root, 'bin', 'math-writeup.js');
    const mdl = path.join(root, 'node_modules', 'markdownlint-cli2', 'markdownlint-cli2-bin.mjs');
    const codeCache = path.join(dir, 'v8-cache');
    const env = (cacheDir) => ({ ...process.env, MATH_WRITEUP_CODE_CACHE: cacheDir });
    const ours = (extra, cacheDir = codeCache) => () => run(process.execPath, [mw, 'lint', ...extra, 'writeup.md'], dir, env(cacheDir));
    let fresh = 0;
    const theirs = () => run(process.execPath, [mdl, 'writeup.md'], dir);
    const cacheFile = path.join(dir, '.math-writeup-cache');
    const compare = (label, mine, target) => {
      const a = [];
      const b = [];
      const ca = [];
      const cb = [];
      const ours1 = () => (a.push(mine()), lastCpu !== undefined && ca.push(lastCpu));
      const theirs1 = () => (b.push(theirs()), lastCpu !== undefined && cb.push(lastCpu));
      mine();
      theirs(); // warm the file-system cache
      for (let i = 0; i < ROUNDS; i++) {
        if (i % 2) {
          ours1();
          theirs1();
        } else {
          theirs1();
          ours1();
        }
      }
      const x = median(a);
      const y = median(b);
      const cpu = ca.length && cb.length
        ? `; CPU ${median(ca).toFixed(0)} ms vs ${median(cb).toFixed(0)} ms, ratio ${(median(ca) / median(cb)).toFixed(2)}x`
        : '';
      console.log(`cli lint 30 KB (${label}): math-writeup ${x.toFixed(0)} ms, markdownlint-cli2 ${y.toFixed(0)} ms, ratio ${(x / y).toFixed(2)}x (target ≤ ${target}×)${cpu}`);
    };
    console.log(`load average: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')} on ${os.cpus().length} cores`);
    compare('cold, no cache', () => {
      rmSync(cacheFile, { force: true });
      return ours([])();
    }, 1);
    compare('very first run: empty code cache, no cache', () => {
      rmSync(cacheFile, { force: true });
      return ours([], path.join(dir, `v8-fresh-${fresh++}`))();
    }, 1);
    compare('code cache off, no cache', () => {
      rmSync(cacheFile, { force: true });
      return ours([], 'off')();
    }, 1);
    compare('warm --cache', ours(['--cache']), 0.5);
    compare('--no-mathjax, no cache', ours(['--no-mathjax']), 1);
    const v = [];
    const n = [];
    for (let i = 0; i < ROUNDS; i++) {
      v.push(run(process.execPath, [mw, '--version'], dir, env(codeCache)));
      n.push(run(process.execPath, ['-e', '0'], dir));
    }
    console.log(`cli startup (--version): ${median(v).toFixed(0)} ms; bare node: ${median(n).toFixed(0)} ms`);
    console.log(`load average: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')} at the end`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    if (cpuFile) rmSync(path.dirname(cpuFile), { recursive: true, force: true });
  }
}
