// Loaded by mocha before the unit tests (.mocharc.json `require`): every property test takes its fast-check seed
// from `MW_FC_SEED` when it is set, so a failure report's "seed: N" replays with `MW_FC_SEED=N npm run test:unit`.
// Without the variable each run draws a fresh seed (wider search over time).
import fc from 'fast-check';

const seed = process.env.MW_FC_SEED;
if (seed !== undefined && seed !== '') {
  const n = Number(seed);
  if (!Number.isInteger(n)) throw new Error(`MW_FC_SEED must be an integer, got ${JSON.stringify(seed)}`);
  fc.configureGlobal({ ...fc.readConfigureGlobal(), seed: n });
}
