#!/usr/bin/env node
// Runs the extension's integration tests (out/test/integration/suite/index.js — the standard extensionTestsPath
// module exporting run(), the same one @vscode/test-electron runs) inside a REAL VS Code extension host provided by
// code-server from npm, driven by Debian's headless Chromium through playwright-core.
//
// How: the bundled VS Code server (code-server/lib/vscode/out/server-main.js) runs with --enable-smoke-test-driver,
// so the web workbench honours ?payload=[["extensionDevelopmentPath",…],["extensionTestsPath",…]]; the workbench
// reports the end of run() through window.codeAutomationExit, caught with page.exposeFunction.
//
// Env:
//   CODE_SERVER_DIR   dir containing node_modules/code-server (required; printed by test/harness/setup-code-server.sh)
//   CODE_SERVER_NODE  node binary matching code-server's engines.node (default: `node`)
//   CHROMIUM_PATH     default /usr/bin/chromium
//   TEST_WORKSPACE    folder to open (default test/integration/workspace; copied to a temp dir first)
//   TEST_TIMEOUT_MS   default 300000
//   ARTIFACTS_DIR     screenshots, logs, results.json (default .vscode-test-cs)
//   EXT_DEV_PATH / EXT_TESTS_PATH  extension folder / test entry (default: this repo, out/test/integration/suite/index)
//   INSTALL_VSIX      a .vsix to install into the (temporary) extensions dir before the server starts
//   KEEP_TMP=1        keep the temp user-data/extensions/workspace dirs
//   MW_WORKSPACE_TRUST=untrusted  workspace trust ON and the folder NOT trusted (Restricted Mode, as a user who
//                     opens a downloaded folder and answers "No, I don't trust the authors" meets it); the suite
//                     then runs its Restricted Mode tests (test/integration/suite/index.ts). Default: trust off.
// Exit code: 0 only when run() completed (results file written) and no test failed.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { format } from 'node:util';
import { chromium } from 'playwright-core';

const t0 = Date.now();
const ms = () => `${((Date.now() - t0) / 1000).toFixed(1)}s`;
const extRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const csDir = process.env.CODE_SERVER_DIR;
if (!csDir) {
  console.error('CODE_SERVER_DIR is required (eval "$(bash test/harness/setup-code-server.sh)")');
  process.exit(2);
}
const serverMain = path.join(csDir, 'node_modules/code-server/lib/vscode/out/server-main.js');
const nodeBin = process.env.CODE_SERVER_NODE || 'node';
const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const timeoutMs = Number(process.env.TEST_TIMEOUT_MS || 300000);
const artifacts = path.resolve(process.env.ARTIFACTS_DIR || path.join(extRoot, '.vscode-test-cs'));
fs.mkdirSync(artifacts, { recursive: true });

const untrusted = process.env.MW_WORKSPACE_TRUST === 'untrusted';
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mw-cs-test-'));
const userDataDir = path.join(tmp, 'user-data');
const extensionsDir = path.join(tmp, 'extensions');
const serverDataDir = path.join(tmp, 'server-data');
const workspace = path.join(tmp, 'ws');
const home = path.join(tmp, 'home');
fs.cpSync(path.resolve(extRoot, process.env.TEST_WORKSPACE || 'test/integration/workspace'), workspace, { recursive: true });
for (const d of [path.join(userDataDir, 'User'), path.join(tmp, 'tmp'), home, extensionsDir]) fs.mkdirSync(d, { recursive: true });
fs.writeFileSync(path.join(userDataDir, 'User/settings.json'), JSON.stringify({
  'workbench.startupEditor': 'none',
  'telemetry.telemetryLevel': 'off',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'workbench.enableExperiments': false,
  'workbench.tips.enabled': false,
  'chat.disableAIFeatures': true,
  'update.mode': 'none',
  // Restricted Mode run: trust on, the startup prompt answered "don't trust" (the folder opens in Restricted Mode).
  'security.workspace.trust.enabled': untrusted,
  ...(untrusted ? { 'security.workspace.trust.startupPrompt': 'never', 'security.workspace.trust.emptyWindow': false } : {}),
  'window.commandCenter': false,
  'editor.minimap.enabled': false,
}, null, 2));
const childEnv = {
  ...process.env,
  HOME: home, // keeps ~/.config/code-server, crash reports etc. out of the real HOME
  TMPDIR: path.join(tmp, 'tmp'),
  XDG_CONFIG_HOME: path.join(tmp, 'xdg-config'),
  XDG_DATA_HOME: path.join(tmp, 'xdg-data'),
};

if (process.env.INSTALL_VSIX) {
  const vsix = path.resolve(process.env.INSTALL_VSIX);
  const r = spawnSync(nodeBin, [serverMain, '--extensions-dir', extensionsDir, '--user-data-dir', userDataDir,
    '--server-data-dir', serverDataDir, '--accept-server-license-terms', '--install-extension', vsix], { env: childEnv, encoding: 'utf8' });
  const out = `${r.stdout}${r.stderr}`.trim();
  console.log(`[${ms()}] install ${path.basename(vsix)}: ${out.split('\n').filter((l) => /install/i.test(l)).join(' | ') || out}`);
  if (r.status !== 0 || !/successfully installed/i.test(out)) {
    console.error(`[${ms()}] installing ${vsix} failed (exit ${r.status})`);
    process.exit(1);
  }
}

const port = await new Promise((res, rej) => {
  const s = net.createServer().listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => res(p)); }).on('error', rej);
});
const resultsFile = path.join(artifacts, 'results.json');
fs.rmSync(resultsFile, { force: true });

// Test → harness bridge: tests in the extension host ask the harness about the browser page (webviews are nested
// iframes): /frame-text?selector=… (textContent of the first match in any frame, waiting up to timeoutMs),
// /frame-count?selector=… (matches over all frames), /screenshot?name=… (PNG of the page into ARTIFACTS_DIR).
let page;
async function firstMatch(selector, deadline) {
  for (;;) {
    for (const f of page.frames()) {
      const el = await f.$(selector).catch(() => null);
      if (el) return { el, frame: f };
    }
    if (Date.now() > deadline) return undefined;
    await new Promise((r) => setTimeout(r, 100));
  }
}
const bridge = http.createServer(async (req, res) => {
  const u = new URL(req.url, 'http://x');
  res.setHeader('content-type', 'application/json');
  try {
    if (!page) throw new Error('page not ready');
    const timeout = Number(u.searchParams.get('timeoutMs') || 10000);
    if (u.pathname === '/screenshot') {
      const name = (u.searchParams.get('name') || 'shot').replace(/[^\w.-]/g, '_');
      const file = path.join(artifacts, `${name}.png`);
      await page.screenshot({ path: file });
      res.end(JSON.stringify({ file }));
    } else if (u.pathname === '/frame-text') {
      const m = await firstMatch(u.searchParams.get('selector'), Date.now() + timeout);
      if (!m) throw new Error(`no frame has ${u.searchParams.get('selector')}`);
      res.end(JSON.stringify({ text: await m.el.textContent(), frameUrl: m.frame.url() }));
    } else if (u.pathname === '/frame-click') {
      // A real mouse click on the first match in any frame (a webview's button, as a user clicks it).
      const m = await firstMatch(u.searchParams.get('selector'), Date.now() + timeout);
      if (!m) throw new Error(`no frame has ${u.searchParams.get('selector')}`);
      await m.el.click();
      res.end(JSON.stringify({ frameUrl: m.frame.url() }));
    } else if (u.pathname === '/frame-count') {
      const selector = u.searchParams.get('selector');
      const min = Number(u.searchParams.get('min') || 0);
      const deadline = Date.now() + timeout;
      let count = 0;
      for (;;) {
        count = 0;
        for (const f of page.frames()) count += (await f.$$(selector).catch(() => [])).length;
        if (count >= min || Date.now() > deadline) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      res.end(JSON.stringify({ count }));
    } else {
      res.statusCode = 404;
      res.end('{}');
    }
  } catch (e) {
    res.statusCode = 500;
    res.end(JSON.stringify({ error: String(e) }));
  }
});
await new Promise((r) => bridge.listen(0, '127.0.0.1', r));
const bridgeUrl = `http://127.0.0.1:${bridge.address().port}`;

const csArgs = [serverMain,
  '--host', '127.0.0.1', '--port', String(port), '--without-connection-token', '--accept-server-license-terms',
  '--user-data-dir', userDataDir, '--server-data-dir', serverDataDir, '--extensions-dir', extensionsDir,
  ...(untrusted ? [] : ['--disable-workspace-trust']), '--disable-telemetry', '--enable-smoke-test-driver',
];
const csLog = fs.createWriteStream(path.join(artifacts, 'code-server.log'));
const cs = spawn(nodeBin, csArgs, {
  detached: true, // own process group: server + extension host are killed together
  env: { ...childEnv, VSCODE_TEST_RESULTS_FILE: resultsFile, VSCODE_TEST_HARNESS_URL: bridgeUrl, VSCODE_TEST_ARTIFACTS: artifacts },
  stdio: ['ignore', 'pipe', 'pipe'],
});
cs.stdout.pipe(csLog);
cs.stderr.pipe(csLog);
let browser;
const cleanup = async () => {
  try { await browser?.close(); } catch { /* already gone */ }
  bridge.close();
  try { process.kill(-cs.pid, 'SIGTERM'); } catch { /* already gone */ }
  await new Promise((r) => setTimeout(r, 300));
  try { process.kill(-cs.pid, 'SIGKILL'); } catch { /* already gone */ }
  if (!process.env.KEEP_TMP) fs.rmSync(tmp, { recursive: true, force: true });
  else console.log(`temp dir kept: ${tmp}`);
};
process.on('SIGINT', () => { void cleanup().then(() => process.exit(130)); });

let exitCode = 1;
try {
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try { const r = await fetch(`${base}/`); if (r.ok) break; } catch { /* not up yet */ }
    if (cs.exitCode !== null) throw new Error(`server exited early (${cs.exitCode}); see ${artifacts}/code-server.log`);
    if (i > 300) throw new Error('server did not come up in 30s');
    await new Promise((r) => setTimeout(r, 100));
  }
  console.log(`[${ms()}] VS Code server up on ${base}`);
  browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    env: { ...process.env, HOME: home },
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  page = await context.newPage();
  const browserLog = fs.createWriteStream(path.join(artifacts, 'browser-console.log'));
  const consoleErrors = [];
  page.on('console', (m) => {
    browserLog.write(`[${m.type()}] ${m.text()}\n`);
    if ((m.type() === 'error' || m.type() === 'warning') && !/open-vsx\.org|ENOTFOUND/.test(m.text())) consoleErrors.push(`[${m.type()}] ${m.text()}`);
  });
  page.on('pageerror', (e) => {
    browserLog.write(`[pageerror] ${e.stack || e}\n`);
    consoleErrors.push(`[pageerror] ${e.stack || e}`);
  });

  let resolveDone;
  const done = new Promise((r) => { resolveDone = r; });
  await page.exposeFunction('codeAutomationExit', (code, logs) => {
    for (const l of logs || []) {
      const p = path.join(artifacts, 'vscode-logs', l.relativePath);
      fs.mkdirSync(path.dirname(p), { recursive: true });
      fs.writeFileSync(p, l.contents);
    }
    resolveDone(code);
  });
  await page.exposeFunction('codeAutomationLog', (type, args) => console.log(`[vscode ${type}] ${format(...args)}`));

  const remote = (p) => `vscode-remote://127.0.0.1:${port}${p}`;
  const devPath = path.resolve(process.env.EXT_DEV_PATH || extRoot);
  const testsPath = path.resolve(process.env.EXT_TESTS_PATH || path.join(extRoot, 'out/test/integration/suite/index'));
  const payload = [['extensionDevelopmentPath', remote(devPath)], ['extensionTestsPath', remote(testsPath)]];
  await page.goto(`${base}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`);
  await page.waitForSelector('.monaco-workbench', { timeout: 60000 });
  console.log(`[${ms()}] workbench loaded`);

  const code = await Promise.race([done, new Promise((r) => setTimeout(() => r('timeout'), timeoutMs))]);
  await page.screenshot({ path: path.join(artifacts, 'final.png') }).catch(() => undefined);
  if (code === 'timeout') throw new Error(`tests did not finish within ${timeoutMs} ms`);
  console.log(`[${ms()}] extension tests finished, exit code ${code}`);
  exitCode = code;
  if (fs.existsSync(resultsFile)) {
    const r = JSON.parse(fs.readFileSync(resultsFile, 'utf8'));
    for (const t of r.results) console.log(`  ${t.state === 'passed' ? '✓' : '✗'} ${t.title}${t.error ? `\n      ${errorLines(t.error).join('\n      ')}` : ''}`);
    console.log(`${r.passes} passed, ${r.failures} failed`);
    // A short account of each failure for the run's closing summary (CI shows the end of the output).
    for (const t of r.results.filter((x) => x.state !== 'passed')) for (const l of failureDigest(t)) console.log(`[failure] ${l}`);
    if (r.failures > 0) {
      exitCode = exitCode || 1;
      // The workbench's and the webviews' own complaints, to read beside the failures.
      const errors = consoleErrors;
      if (errors.length > 0) console.log(`browser console errors (last ${Math.min(30, errors.length)} of ${errors.length}):\n  ${errors.slice(-30).map((l) => l.slice(0, 400)).join('\n  ')}`);
    }
  } else {
    // If the extension host dies mid-run the workbench may still report 0: the results file written at the end of
    // run() is the proof that the suite completed.
    console.error(`[${ms()}] no results file (${resultsFile}): the extension host died or run() never finished`);
    exitCode = 1;
  }
} catch (e) {
  console.error(`[${ms()}] harness error:`, e);
  exitCode = 1;
} finally {
  await cleanup();
}
console.log(`[${ms()}] done`);
process.exit(exitCode);

/** A failed test's message in full (timeouts carry the extension's log) and the first two lines of its stack. */
function errorLines(error) {
  const lines = error.split('\n');
  const stack = lines.findIndex((l) => /^\s+at /.test(l));
  const message = stack < 0 ? lines : lines.slice(0, stack);
  return [...message.slice(0, 80), ...(stack < 0 ? [] : lines.slice(stack, stack + 2))];
}

/**
 * A failure in at most 16 lines: the title, the message (without the log tail a timeout carries), and the log lines
 * that matter most (warnings, errors, and the preview's page lifecycle), the latest last.
 */
function failureDigest(t) {
  const lines = String(t.error ?? '').split('\n');
  const stack = lines.findIndex((l) => /^\s+at /.test(l));
  const message = stack < 0 ? lines : lines.slice(0, stack);
  const logAt = message.findIndex((l) => /the extension's log before the timeout/.test(l));
  const head = (logAt < 0 ? message : message.slice(0, logAt)).filter((l) => l.trim()).slice(0, 6);
  const logLines = logAt < 0 ? [] : message.slice(logAt + 1).map((l) => l.trim()).filter((l) => / (warn|error) |preview/.test(l)).slice(-8);
  const where = stack < 0 ? [] : [lines[stack].trim()];
  const cut = (l) => (l.length > 240 ? `${l.slice(0, 237)}...` : l);
  return [`✗ ${t.title}`, ...[...head, ...where].map((l) => `    ${cut(l.trim())}`), ...(logLines.length ? ['    log:', ...logLines.map((l) => `      ${cut(l)}`)] : [])];
}
