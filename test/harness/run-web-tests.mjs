#!/usr/bin/env node
// `npm run test:web`: the extension as a *web extension* (its `browser` entry in the web-worker extension host,
// no Node) inside a real VS Code workbench, on the same VS Code versions as the integration suite.
//
// The code-server harness (run-code-server-tests.mjs) loads the extension under development; VS Code runs an
// extension that has a `main` in the Node extension host, so this runner stages the extension as a web-only one:
// a folder whose package.json has the `browser` entry and no `main`, with the built dist/, docs/ and media/ linked
// in. The test suite (test/web/suite) is bundled for the web worker with mocha's browser build; it writes its
// results through the workspace's file system to results.json, which the staged workspace links to the harness's
// results file (the web worker has no Node `fs`).
//
//   MW_CS_VERSIONS=4.139.1,4.100.3   code-server versions to run (default both)
//   VSCODE_CS_TOOLS                  where code-server is installed (see setup-code-server.sh)
// Requires a build (npm run compile).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { run, setup } from './code-server-setup.mjs';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
if (!fs.existsSync(path.join(root, 'dist/web/extension.js'))) {
  console.error('test-web: dist/web/extension.js is missing; build first: npm run compile');
  process.exit(2);
}


// The web-only extension: package.json without `main`, the built files linked in.
const stage = fs.mkdtempSync(path.join(os.tmpdir(), 'mw-web-ext-'));
const ext = path.join(stage, 'ext');
fs.mkdirSync(ext);
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
delete pkg.main;
fs.writeFileSync(path.join(ext, 'package.json'), JSON.stringify(pkg, null, 2));
for (const d of ['dist', 'docs', 'media']) fs.symlinkSync(path.join(root, d), path.join(ext, d));
for (const f of ['README.md', 'LICENSE']) if (fs.existsSync(path.join(root, f))) fs.copyFileSync(path.join(root, f), path.join(ext, f));
await build({
  entryPoints: [path.join(root, 'test/web/suite/index.ts')],
  outfile: path.join(ext, 'webtest', 'index.js'),
  bundle: true, platform: 'browser', format: 'cjs', target: 'es2022', external: ['vscode'], logLevel: 'warning',
  define: { global: 'globalThis' },
});

const versions = (process.env.MW_CS_VERSIONS || '4.139.1,4.100.3').split(',').map((s) => s.trim()).filter(Boolean);
const summary = [];
let failed = false;
for (const version of versions) {
  const env = await setup(version).catch((e) => void summary.push(`code-server ${version}: setup failed: ${e.message}`));
  if (!env) {
    failed = true;
    continue;
  }
  const vs = env.CODE_SERVER_VSCODE || version;
  const artifacts = path.join(root, '.vscode-test-cs', `web-${vs}`);
  fs.mkdirSync(artifacts, { recursive: true });
  // The workspace: the writeup, and results.json linked to the file the harness reads.
  const ws = path.join(stage, `ws-${vs}`);
  fs.cpSync(path.join(root, 'test/web/workspace'), ws, { recursive: true });
  fs.symlinkSync(path.join(artifacts, 'results.json'), path.join(ws, 'results.json'));
  console.log(`=== VS Code ${vs} (code-server ${version}): web extension suite ===`);
  const r = await run(process.execPath, [path.join(root, 'test/harness/run-code-server-tests.mjs')], {
    ...env,
    ARTIFACTS_DIR: artifacts,
    EXT_DEV_PATH: ext,
    EXT_TESTS_PATH: path.join(ext, 'webtest', 'index'),
    TEST_WORKSPACE: ws,
  });
  const counts = [...r.out.matchAll(/^(\d+) passed, (\d+) failed$/gm)].pop();
  summary.push(`VS Code ${vs} (code-server ${version}), web extension: ${counts ? `${counts[1]} passed, ${counts[2]} failed` : 'no results (the run did not complete)'}${r.code ? ` [exit ${r.code}]` : ''}`);
  if (r.code !== 0 || !counts || counts[2] !== '0' || counts[1] === '0') failed = true;
}
fs.rmSync(stage, { recursive: true, force: true });
console.log(`\n${summary.join('\n')}`);
process.exit(failed ? 1 : 0);
