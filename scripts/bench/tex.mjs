// Benchmark of GitHub-like MathJax validation (src/core/tex/mathjax.ts): cold first formula (including
// loading mathjax-full), per formula uncached, per formula from the cache. Needs the compiled code in out/
// (`npx tsc -p .`). Run alone: `node scripts/bench/tex.mjs`; scripts/bench.mjs may import benchTex().
import { createRequire } from 'node:module';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(path.join(root, 'package.json'));

/**
 * Formula bodies of the shared 1,000-formula writeup. Only a benchmark input: a simple regex over `$$…$$`
 * and `$…$`, not GitHub's rules.
 */
export function benchFormulas(count = 1000) {
  const dir = mkdtempSync(path.join(tmpdir(), 'mw-bench-tex-'));
  try {
    const out = path.join(dir, 'writeup.md');
    execFileSync(process.execPath, [path.join(root, '../shared/bench/gen-math-doc.mjs'), '--formulas', String(count), '--out', out],
      { stdio: ['ignore', 'ignore', 'inherit'] });
    const text = readFileSync(out, 'utf8')
      .replace(/^(`{3,}|~{3,})[^\n]*\n[\s\S]*?^\1[ \t]*$/gm, '') // code fences
      .replace(/`[^`\n]*`/g, ''); // code spans
    return [...text.matchAll(/\$\$([\s\S]+?)\$\$|\$([^$\n]+?)\$/g)].map((m) => (m[1] ?? m[2]).trim()).filter(Boolean);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Prints one line with the cold, uncached and cached cost and returns the numbers. */
export async function benchTex(formulas = benchFormulas(1000)) {
  const { mathjaxColdAndCachedCost } = require(path.join(root, 'out/src/core/tex/mathjax.js'));
  const r = await mathjaxColdAndCachedCost(formulas);
  console.log(`MathJax validation: cold first formula ${r.coldFirstMs.toFixed(1)} ms, ` +
    `per formula ${r.perFormulaMs.toFixed(3)} ms, cached ${r.cachedPerFormulaMs.toFixed(4)} ms`);
  return r;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const formulas = benchFormulas(1000);
  console.log(`(${formulas.length} formulas, ${new Set(formulas).size} distinct)`);
  await benchTex(formulas);
}
