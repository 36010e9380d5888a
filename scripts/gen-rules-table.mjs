// Regenerates the rules tables from the compiled rule registry:
//   README.md            the table between <!-- rules:start --> and <!-- rules:end -->
//   docs/rules/README.md the rule index between the same markers, and the table of portable spellings
//                        (src/core/tex/portable.ts) between <!-- portable:start --> and <!-- portable:end -->
// Usage: node scripts/gen-rules-table.mjs [--check]
//   (needs `npx tsc -p .` first: it reads out/src/core/lint/…)
//   --check  write nothing; exit 1 and name the stale file(s) if a table is out of date.
// Exit codes: 0 up to date / written, 1 stale (--check) or a file lacks the markers, 2 usage or build missing.
import { readFileSync, writeFileSync, existsSync, renameSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

const args = process.argv.slice(2);
const unknown = args.filter((a) => a !== '--check');
if (unknown.length > 0) {
  console.error(`gen-rules-table: unknown argument ${unknown[0]}; usage: node scripts/gen-rules-table.mjs [--check]`);
  process.exit(2);
}
const check = args.includes('--check');

const compiled = (p) => path.join(root, 'out', 'src', 'core', 'lint', p);
for (const f of ['rules/index.js', 'registry.js', 'rulesTable.js']) {
  if (!existsSync(compiled(f))) {
    console.error(`gen-rules-table: ${path.relative(root, compiled(f))} is missing; run \`npx tsc -p .\` first`);
    process.exit(2);
  }
}
const { allRules } = require(compiled('rules/index.js'));
const { ENGINE_RULE } = require(compiled('registry.js'));
const { readmeRulesTable, docsIndexTable, portableTable, replaceBetweenMarkers, PORTABLE_START, PORTABLE_END } = require(compiled('rulesTable.js'));
const { PORTABLE } = require(path.join(root, 'out', 'src', 'core', 'tex', 'portable.js'));

// Documentation order, then the engine's own diagnostic (it can be configured like a rule).
const rules = [...allRules, ENGINE_RULE];
const targets = [
  { file: 'README.md', table: readmeRulesTable(rules) },
  { file: path.join('docs', 'rules', 'README.md'), table: docsIndexTable(rules) },
  { file: path.join('docs', 'rules', 'README.md'), table: portableTable(PORTABLE), markers: [PORTABLE_START, PORTABLE_END], what: 'portable spellings table' },
];

let failed = false;
for (const { file, table, markers = [], what = 'rules table' } of targets) {
  const abs = path.join(root, file);
  if (!existsSync(abs)) {
    console.error(`gen-rules-table: ${file} does not exist; create it with the markers <!-- rules:start --> and <!-- rules:end -->`);
    failed = true;
    continue;
  }
  const doc = readFileSync(abs, 'utf8');
  const r = replaceBetweenMarkers(doc, table, file, ...markers);
  if (!r.ok) {
    console.error(`gen-rules-table: ${r.error}`);
    failed = true;
    continue;
  }
  if (!r.changed) {
    console.log(`${file}: ${what} up to date`);
    continue;
  }
  if (check) {
    console.error(`${file}: ${what} is stale; run \`node scripts/gen-rules-table.mjs\``);
    failed = true;
    continue;
  }
  // Write to a temporary file first, so an interrupted run never leaves a half-written README.
  const tmp = `${abs}.tmp-${process.pid}`;
  writeFileSync(tmp, r.text, 'utf8');
  renameSync(tmp, abs);
  console.log(`${file}: ${what} written`);
}
process.exit(failed ? 1 : 0);
