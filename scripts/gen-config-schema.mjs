// Regenerates schemas/math-writeup.schema.json (the JSON schema of .math-writeup.json) from the compiled rule
// registry. Usage: node scripts/gen-config-schema.mjs [--check]   (needs `npx tsc -p .` first)
//   --check  write nothing; exit 1 if the file is out of date.
import { readFileSync, writeFileSync, existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const check = process.argv.includes('--check');
const compiled = path.join(root, 'out/src/cli/configSchema.js');
if (!existsSync(compiled)) {
  console.error('gen-config-schema: out/src/cli/configSchema.js is missing; run `npx tsc -p .` first');
  process.exit(2);
}
const { configSchemaText, SCHEMA_FILE } = require(compiled);
const { defaultRegistry } = require(path.join(root, 'out/src/core/lint/registry.js'));
const file = path.join(root, SCHEMA_FILE);
const text = configSchemaText(defaultRegistry());
const old = existsSync(file) ? readFileSync(file, 'utf8') : '';
if (old === text) {
  console.log(`${SCHEMA_FILE} is up to date`);
} else if (check) {
  console.error(`${SCHEMA_FILE} is stale: run \`node scripts/gen-config-schema.mjs\``);
  process.exit(1);
} else {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
  console.log(`wrote ${SCHEMA_FILE}`);
}
