// `npm run bench`: every benchmark of the project, each comparing ours against a peer run side by side.
// Inputs come from the shared generator (../shared/bench/gen-math-doc.mjs) so numbers stay comparable.
import { benchLint } from './bench/lint.mjs';
import { benchTex } from './bench/tex.mjs';
import { benchPreview } from './bench/preview.mjs';
import { benchChecks } from './bench/checks.mjs';
import { benchSeedClaims } from './bench/seed-claims.mjs';
import { benchDerivatives } from './bench/derivatives.mjs';
import { benchScaling } from './bench/scaling.mjs';
import { benchBundles } from './bench/bundles.mjs';
import { benchCli } from './bench/cli.mjs';

const only = process.argv.slice(2);
const suites = [
  ['lint', benchLint],
  ['tex', benchTex],
  ['preview', benchPreview],
  ['checks', benchChecks],
  ['seed-claims', benchSeedClaims],
  ['derivatives', benchDerivatives],
  ['scaling', benchScaling],
  ['bundles', benchBundles],
  ['cli', benchCli],
];
let failed = 0;
for (const [name, fn] of suites) {
  if (only.length && !only.includes(name)) continue;
  try {
    await fn();
  } catch (e) {
    failed++;
    console.error(`bench ${name} failed: ${e instanceof Error ? e.message : String(e)}`);
  }
}
process.exit(failed ? 1 : 0);
