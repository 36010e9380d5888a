#!/usr/bin/env node
// `npm start`: opens samples/ in VS Code with this extension loaded (extension development mode), as a trusted
// workspace (the samples are ours, and in Restricted Mode checks do not run), with a sample writeup open.
// - Desktop VS Code when `code` is on PATH: `code --extensionDevelopmentPath=<repo> samples`.
// - Otherwise the embedded VS Code from code-server (installed by test/harness/setup-code-server.sh into .vscode-cs/),
//   served on 127.0.0.1 with the extension loaded as a development extension; prints the URL to open in a browser
//   and runs until Ctrl+C.
//   MW_PORT (default: the first free port from 8080), MW_CS_VERSION (default 4.139.1), MW_NO_DESKTOP=1 (always the
//   embedded VS Code).
// MW_START_SELFTEST=1: the same start of the embedded VS Code (same server, same URL) with a fresh profile (what a
//   first start meets), then, instead of waiting for a person, opens that URL in headless Chromium (playwright-core;
//   CHROMIUM_PATH, default /usr/bin/chromium) and checks what the person would see: the samples folder in a trusted
//   window (no Restricted Mode), samples/gd-step-size.md the active editor, and its check blocks offering
//   "▶ Run check" (not "Checks need workspace trust"). Prints what it found, stops the server, exits 0 when all holds,
//   1 otherwise (a screenshot goes to the temporary profile's folder, which is then kept). The desktop `code` path is
//   not driven. `npm run test:integration` runs it.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const folder = fs.existsSync(path.join(root, 'samples')) ? path.join(root, 'samples') : root;
const sample = path.join(folder, 'gd-step-size.md');
const openFile = fs.existsSync(sample) ? sample : undefined;

for (const f of ['dist/extension.js', 'dist/checkWorker.js']) {
  if (!fs.existsSync(path.join(root, f))) {
    console.error(`start: ${f} is missing; build first (npm run compile)`);
    process.exit(2);
  }
}

const selftest = process.env.MW_START_SELFTEST === '1';
const hasCode = !selftest && process.env.MW_NO_DESKTOP !== '1' && spawnSync('sh', ['-c', 'command -v code'], { encoding: 'utf8' }).status === 0;
if (hasCode) {
  console.log(`Opening ${path.relative(process.cwd(), folder) || '.'} in VS Code with the extension in development mode…`);
  const r = spawnSync('code', [`--extensionDevelopmentPath=${root}`, '--disable-workspace-trust', folder, ...(openFile ? [openFile] : [])], { stdio: 'inherit' });
  process.exit(r.status ?? 0);
}

// Embedded VS Code (code-server's bundled VS Code server + web workbench).
const setup = spawnSync('bash', [path.join(root, 'test/harness/setup-code-server.sh')], {
  encoding: 'utf8',
  env: { ...process.env, CODE_SERVER_VERSION: process.env.MW_CS_VERSION || '4.139.1' },
  stdio: ['ignore', 'pipe', 'inherit'],
});
if (setup.status !== 0) {
  console.error('start: setting up the embedded VS Code failed (see above)');
  process.exit(1);
}
const env = Object.fromEntries([...setup.stdout.matchAll(/^export (\w+)=(.*)$/gm)].map((m) => [m[1], m[2]]));
const serverMain = path.join(env.CODE_SERVER_DIR, 'node_modules/code-server/lib/vscode/out/server-main.js');

async function freePort(from) {
  for (let p = from; p < from + 100; p++) {
    const ok = await new Promise((res) => {
      const s = net.createServer().once('error', () => res(false)).listen(p, '127.0.0.1', () => s.close(() => res(true)));
    });
    if (ok) return p;
  }
  throw new Error(`no free port in ${from}–${from + 99}`);
}
const port = process.env.MW_PORT ? Number(process.env.MW_PORT) : await freePort(8080);
// the self-test starts from a fresh profile, as a first start does
const state = selftest ? fs.mkdtempSync(path.join(os.tmpdir(), 'mw-start-selftest-')) : path.join(path.dirname(env.CODE_SERVER_DIR), 'start');
const userData = path.join(state, 'user-data');
fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
const settings = path.join(userData, 'User/settings.json');
if (!fs.existsSync(settings)) {
  fs.writeFileSync(settings, JSON.stringify({ 'workbench.startupEditor': 'none', 'telemetry.telemetryLevel': 'off', 'update.mode': 'none' }, null, 2));
}
// enable-smoke-test-driver: the web workbench then honours the ?payload= URL parameter that loads the repository as
// a development extension (the same mechanism the integration tests use).
const server = spawn(env.CODE_SERVER_NODE, [serverMain,
  '--host', '127.0.0.1', '--port', String(port), '--without-connection-token', '--accept-server-license-terms',
  '--user-data-dir', userData, '--server-data-dir', path.join(state, 'server-data'), '--extensions-dir', path.join(state, 'extensions'),
  // the development window trusts its folder (the samples), so checks run from the first click
  '--disable-workspace-trust', '--disable-telemetry', '--enable-smoke-test-driver',
], { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, HOME: path.join(state, 'home') } });
const log = fs.createWriteStream(path.join(state, 'server.log'));
server.stdout.pipe(log);
server.stderr.pipe(log);

const base = `http://127.0.0.1:${port}`;
for (let i = 0; ; i++) {
  try {
    if ((await fetch(`${base}/`)).ok) break;
  } catch { /* not up yet */ }
  if (server.exitCode !== null) {
    console.error(`start: the VS Code server exited (${server.exitCode}); see ${path.join(state, 'server.log')}`);
    process.exit(1);
  }
  if (i > 300) {
    console.error('start: the VS Code server did not come up in 30 s');
    process.exit(1);
  }
  await new Promise((r) => setTimeout(r, 100));
}
const remote = (p) => `vscode-remote://127.0.0.1:${port}${p}`;
const payload = [['extensionDevelopmentPath', remote(root)], ...(openFile ? [['openFile', remote(openFile)]] : [])];
const url = `${base}/?folder=${encodeURIComponent(folder)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
console.log(`\nMath Writeup is running in VS Code ${env.CODE_SERVER_VSCODE || ""} (code-server) at\n\n  ${url}\n\nOpen it in a browser. Ctrl+C stops the server.`);

let stopping = false;
const stop = (code = 0) => {
  if (stopping) return;
  stopping = true;
  try { process.kill(-server.pid, 'SIGTERM'); } catch { /* already gone */ }
  setTimeout(() => {
    try { process.kill(-server.pid, 'SIGKILL'); } catch { /* already gone */ }
    process.exit(code);
  }, 500);
};
process.on('SIGINT', () => stop());
process.on('SIGTERM', () => stop());
server.on('exit', (code) => {
  if (!stopping) {
    console.error(`start: the VS Code server stopped (exit ${code})`);
    process.exit(code ?? 1);
  }
});

if (selftest) {
  let ok = false;
  try {
    ok = await selfTest(url);
  } catch (e) {
    console.error(`start self-test: ${e instanceof Error ? e.message : e}`);
  }
  if (ok) fs.rmSync(state, { recursive: true, force: true });
  else console.error(`start self-test: FAILED; server log and screenshot in ${state}`);
  stop(ok ? 0 : 1);
}

/** Open `url` in headless Chromium and check what a person would see there; true when everything holds. */
async function selfTest(url) {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    headless: true,
    env: { ...process.env, HOME: path.join(state, 'home') },
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
  try {
    const page = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
    await page.goto(url);
    await page.waitForSelector('.monaco-workbench', { timeout: 90000 });
    const name = openFile ? path.basename(openFile) : undefined;
    const checks = [];
    // the sample is the active editor
    if (name) {
      const tab = await page.waitForSelector(`.tabs-container .tab.active[aria-label*="${name}"]`, { timeout: 90000 }).catch(() => null);
      checks.push([`${name} is the active editor`, tab !== null]);
    }
    // its check blocks offer "▶ Run check": the extension is active and the window trusted (in Restricted Mode the
    // lenses say "Checks need workspace trust" instead)
    const lens = await page.waitForFunction(() => {
      // runs in the page
      // eslint-disable-next-line no-undef
      const texts = [...document.querySelectorAll('.codelens-decoration')].map((e) => e.textContent ?? '');
      return texts.some((t) => t.includes('Run check') || t.includes('workspace trust')) ? texts : null;
    }, undefined, { timeout: 120000 }).then((h) => h.jsonValue()).catch(() => []);
    checks.push(['check blocks offer "▶ Run check"', lens.some((t) => t.includes('Run check'))]);
    checks.push(['no "Checks need workspace trust" lens', lens.length > 0 && !lens.some((t) => t.includes('workspace trust'))]);
    const title = await page.title();
    const restricted = await page.$('#status\\.workspaceTrust, .statusbar-item[id*="workspaceTrust"]');
    checks.push([`window not in Restricted Mode (title "${title}")`, !/Restricted Mode/i.test(title) && restricted === null]);
    checks.push([`the samples folder is open`, title.includes(path.basename(folder))]);
    for (const [what, holds] of checks) console.log(`start self-test: ${holds ? 'ok  ' : 'FAIL'} ${what}`);
    const ok = checks.every(([, holds]) => holds);
    if (!ok) await page.screenshot({ path: path.join(state, 'selftest.png') }).catch(() => undefined);
    return ok;
  } finally {
    await browser.close().catch(() => undefined);
  }
}
