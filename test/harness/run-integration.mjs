#!/usr/bin/env node
// `npm run test:integration`: the extension's integration suite inside a real VS Code, on the newest and the oldest
// VS Code the offline harness offers (code-server 4.139.1 = VS Code 1.139.1 on Node 24 from npm, and code-server
// 4.100.3 = VS Code 1.100.3 on the system Node 20), then the packaged .vsix installed into a fresh VS Code server
// and activated there. Prints "N passed, M failed" per VS Code version; exits non-zero if anything fails.
//
//   MW_CS_VERSIONS=4.139.1,4.100.3   code-server versions to run (default both)
//   MW_SKIP_VSIX=1                   skip the .vsix install-and-activate check
//   MW_TEST_ELECTRON=1               developer machines that can download VS Code: run the same suite with
//                                    @vscode/test-electron on the oldest supported VS Code (engines.vscode) and stable
//   VSCODE_CS_TOOLS                  where code-server and Node 24 are installed (default .vscode-cs/)
//   MW_TEST_GREP                     run only tests whose title matches
//   MW_SKIP_START=1                  skip the `npm start` self-test (scripts/start.mjs with MW_START_SELFTEST=1 on the
//                                    newest version: the README's quick start opens the samples trusted, with a sample open)
//   MW_SKIP_RESTRICTED=1             skip the second run per version with workspace trust on and the folder
//                                    untrusted (Restricted Mode; test/integration/suite/restricted-*.test.ts)
// Requires a build: `npx tsc -p . && node scripts/build.mjs` (npm test does it through pretest).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { run, setup } from './code-server-setup.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const t0 = Date.now();
const secs = () => `${((Date.now() - t0) / 1000).toFixed(0)} s`;

for (const f of ['out/test/integration/suite/index.js', 'dist/extension.js', 'dist/checkWorker.js', 'dist/webview/plot.js']) {
  if (!fs.existsSync(path.join(root, f))) {
    console.error(`test-integration: ${f} is missing; build first: npx tsc -p . && node scripts/build.mjs`);
    process.exit(2);
  }
}

const summary = [];
/** What each failed test said, printed after the summary so the end of the output explains a red run. */
const failures = [];
let failed = false;

if (process.env.MW_TEST_ELECTRON === '1') {
  // Desktop VS Code downloaded by @vscode/test-electron (needs access to update.code.visualstudio.com).
  const { runTests } = await import('@vscode/test-electron');
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  const oldest = pkg.engines.vscode.replace(/^[\^~>=]*/, '');
  for (const version of [oldest, 'stable']) {
    const resultsFile = path.join(root, '.vscode-test', `results-${version}.json`);
    fs.mkdirSync(path.dirname(resultsFile), { recursive: true });
    fs.rmSync(resultsFile, { force: true });
    const ws = fs.mkdtempSync(path.join(root, '.vscode-test', 'ws-'));
    fs.cpSync(path.join(root, 'test/integration/workspace'), ws, { recursive: true });
    try {
      await runTests({
        version,
        extensionDevelopmentPath: root,
        extensionTestsPath: path.join(root, 'out/test/integration/suite/index'),
        extensionTestsEnv: { VSCODE_TEST_RESULTS_FILE: resultsFile },
        launchArgs: [ws, '--disable-extensions', '--disable-workspace-trust'],
      });
    } catch (e) {
      console.error(`VS Code ${version}: ${e instanceof Error ? e.message : e}`);
    }
    const r = fs.existsSync(resultsFile) ? JSON.parse(fs.readFileSync(resultsFile, 'utf8')) : undefined;
    const line = r ? `VS Code ${version} (test-electron): ${r.passes} passed, ${r.failures} failed` : `VS Code ${version} (test-electron): no results (the run did not complete)`;
    summary.push(line);
    if (!r || r.failures > 0) failed = true;
  }
} else {
  const versions = (process.env.MW_CS_VERSIONS || '4.139.1,4.100.3').split(',').map((s) => s.trim()).filter(Boolean);
  let newestEnv;
  for (const version of versions) {
    console.log(`\n=== code-server ${version}: setup (${secs()}) ===`);
    let env;
    try {
      env = await setup(version);
    } catch (e) {
      summary.push(`code-server ${version}: setup failed: ${e.message}`);
      failed = true;
      continue;
    }
    newestEnv ??= env;
    const vs = env.CODE_SERVER_VSCODE || version;
    console.log(`=== VS Code ${vs} (code-server ${version}): integration suite (${secs()}) ===`);
    const artifacts = path.join(root, '.vscode-test-cs', `vscode-${vs}`);
    const r = await run(process.execPath, [path.join(root, 'test/harness/run-code-server-tests.mjs')], { ...env, ARTIFACTS_DIR: artifacts });
    const counts = [...r.out.matchAll(/^(\d+) passed, (\d+) failed$/gm)].pop();
    const measures = [...r.out.matchAll(/\[measure\] (.*)$/gm)].map((m) => `    ${m[1]}`);
    const digest = [...r.out.matchAll(/^\[failure\] (.*)$/gm)].map((m) => m[1]);
    if (digest.length > 0) failures.push(`VS Code ${vs}:`, ...digest.slice(0, 48).map((l) => `  ${l}`), ...(digest.length > 48 ? [`  … ${digest.length - 48} more lines above`] : []));
    summary.push(`VS Code ${vs} (code-server ${version}): ${counts ? `${counts[1]} passed, ${counts[2]} failed` : 'no results (the run did not complete)'}${r.code ? ` [exit ${r.code}]` : ''}`, ...measures);
    if (r.code !== 0 || !counts || counts[2] !== '0') failed = true;

    if (process.env.MW_SKIP_RESTRICTED !== '1') {
      // The same VS Code with workspace trust on and the folder not trusted: what a user who opens a downloaded
      // writeup meets (the main run turns trust off, as extension tests usually do, so it cannot see this).
      console.log(`=== VS Code ${vs} (code-server ${version}): Restricted Mode (untrusted folder) (${secs()}) ===`);
      const rr = await run(process.execPath, [path.join(root, 'test/harness/run-code-server-tests.mjs')], {
        ...env,
        MW_WORKSPACE_TRUST: 'untrusted',
        ARTIFACTS_DIR: path.join(root, '.vscode-test-cs', `vscode-${vs}-restricted`),
      });
      const rc = [...rr.out.matchAll(/^(\d+) passed, (\d+) failed$/gm)].pop();
      const rd = [...rr.out.matchAll(/^\[failure\] (.*)$/gm)].map((m) => `  ${m[1]}`);
      if (rd.length > 0) failures.push(`VS Code ${vs} (Restricted Mode):`, ...rd.slice(0, 20));
      summary.push(`VS Code ${vs} (code-server ${version}) in Restricted Mode: ${rc ? `${rc[1]} passed, ${rc[2]} failed` : 'no results (the run did not complete)'}${rr.code ? ` [exit ${rr.code}]` : ''}`);
      if (rr.code !== 0 || !rc || rc[2] !== '0') failed = true;
    }
  }

  if (process.env.MW_SKIP_START !== '1' && newestEnv) {
    // The README's quick start, the command itself (`npm start`: compile, then scripts/start.mjs, its embedded-VS Code
    // path), checked in Chromium, no person needed.
    const version = versions[0];
    console.log(`\n=== npm start (MW_START_SELFTEST=1, code-server ${version}) (${secs()}) ===`);
    const r = await run('npm', ['start'], { MW_START_SELFTEST: '1', MW_CS_VERSION: version }, false);
    const fails = [...r.out.matchAll(/^start self-test: FAIL (.*)$/gm)].map((m) => `  ${m[1]}`);
    const oks = [...r.out.matchAll(/^start self-test: ok {3}(.*)$/gm)].length;
    summary.push(`npm start self-test: ${r.code === 0 && oks > 0 ? 1 : 0} passed, ${r.code === 0 && oks > 0 ? 0 : 1} failed (${oks} checks held)`);
    if (r.code !== 0 || oks === 0) {
      failed = true;
      failures.push('npm start self-test:', ...fails);
    }
  }

  if (process.env.MW_SKIP_VSIX !== '1' && newestEnv) {
    console.log(`\n=== packaged extension: build the .vsix, install it, activate it (${secs()}) ===`);
    const vsix = path.join(root, '.vscode-test-cs', 'math-writeup.vsix');
    fs.mkdirSync(path.dirname(vsix), { recursive: true });
    const packOnce = () => spawnSync(process.execPath, [path.join(root, 'node_modules/@vscode/vsce/vsce'), 'package', '--no-dependencies', '--allow-missing-repository', '--no-rewrite-relative-links', '--skip-license', '-o', vsix],
      { cwd: root, encoding: 'utf8' });
    // One retry: zipping fails ("unexpected number of bytes") when a file changes while it is read, e.g. a
    // concurrent build rewriting dist/.
    let pack = packOnce();
    if (pack.status !== 0) pack = packOnce();
    if (pack.status !== 0) {
      console.error(pack.stdout, pack.stderr);
      summary.push('vsix: packaging failed');
      failed = true;
    } else {
      console.log(pack.stdout.trim().split('\n').pop());
      const r = await run(process.execPath, [path.join(root, 'test/harness/run-code-server-tests.mjs')], {
        ...newestEnv,
        INSTALL_VSIX: vsix,
        EXT_DEV_PATH: path.join(root, 'test/integration/vsix-probe'),
        EXT_TESTS_PATH: path.join(root, 'out/test/integration/vsix/index'),
        ARTIFACTS_DIR: path.join(root, '.vscode-test-cs', 'vsix'),
      });
      const counts = [...r.out.matchAll(/^(\d+) passed, (\d+) failed$/gm)].pop();
      summary.push(`vsix installed in VS Code ${newestEnv.CODE_SERVER_VSCODE}: ${counts ? `${counts[1]} passed, ${counts[2]} failed` : 'no results'} (${(fs.statSync(vsix).size / 1024).toFixed(0)} KB)`);
      if (r.code !== 0 || !counts || counts[2] !== '0') failed = true;
      const digest = [...r.out.matchAll(/^\[failure\] (.*)$/gm)].map((m) => `  ${m[1]}`);
      if (digest.length > 0) failures.push('.vsix:', ...digest.slice(0, 20));
    }
  }
}

console.log(`\n=== integration summary (${secs()}) ===`);
for (const l of summary) console.log(l);
if (failures.length > 0) {
  console.log('\nfailures:');
  for (const l of failures) console.log(l);
}
// One closing line with the totals over every VS Code version and the .vsix check.
let passed = 0;
let failedCount = 0;
for (const l of summary) {
  const m = /: (\d+) passed, (\d+) failed/.exec(l);
  if (m) {
    passed += Number(m[1]);
    failedCount += Number(m[2]);
  }
}
if (failed && failedCount === 0) failedCount = 1; // a run that did not complete counts as a failure
console.log(`integration: ${passed} passed, ${failedCount} failed`);
process.exit(failed ? 1 : 0);
