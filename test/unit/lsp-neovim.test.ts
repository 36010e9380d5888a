// The language server with a real client other than VS Code: headless Neovim (Debian's `neovim`, installed by
// test/harness/setup-neovim.sh when missing) configured by test/nvim/init.lua, driven by test/nvim/scenario.lua.
// Neovim opens a writeup, receives the diagnostics, applies the preferred quick fix and the file-wide fix through
// its own code-action machinery, hovers a formula; the resulting buffer and diagnostics are asserted here.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SERVER } from './lsp-client';

const ROOT = path.resolve(__dirname, '../../..');

interface Step {
  name: string;
  lines: string[];
  diagnostics: { code: string; lnum: number; col: number; severity: number; source: string; message: string }[];
}

interface Result {
  error?: string;
  steps: Step[];
  picked?: { title: string; offered: number }[];
  hover?: string;
}

const WRITEUP = ['# HW', '', '其中$x$是变量。', '', 'Let $w^*$ and $v^*$ be optimal.', '', 'Then $\\foo{x}$ fails and $ y $ too.', ''].join('\n');

describe('language server in Neovim (headless, built-in LSP client)', function () {
  this.timeout(300000); // the first run may install Neovim with apt-get
  let dir: string;
  let result: Result;

  before(function () {
    assert.ok(fs.existsSync(SERVER), `${SERVER} is missing: run npm run compile`);
    // Installs Neovim when missing (as root); fails loudly otherwise — never a silent skip.
    const nvim = execFileSync('bash', [path.join(ROOT, 'test/harness/setup-neovim.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mw-nvim-'));
    fs.mkdirSync(path.join(dir, '.git'));
    const file = path.join(dir, 'hw.md');
    fs.writeFileSync(file, WRITEUP);
    const out = path.join(dir, 'result.json');
    return new Promise<void>((resolve, reject) => {
      const p = spawn(
        nvim,
        ['--headless', '-n', '-i', 'NONE', '-u', path.join(ROOT, 'test/nvim/init.lua'), '-c', `luafile ${path.join(ROOT, 'test/nvim/scenario.lua')}`, file],
        { cwd: dir, env: { ...process.env, MATH_WRITEUP_CLI: SERVER, MW_NVIM_RESULT: out, HOME: dir, XDG_STATE_HOME: dir, XDG_DATA_HOME: dir }, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let log = '';
      p.stdout.on('data', (d: Buffer) => (log += d.toString()));
      p.stderr.on('data', (d: Buffer) => (log += d.toString()));
      // A hard limit: a hung editor fails the test instead of holding up the suite.
      const timer = setTimeout(() => {
        p.kill('SIGKILL');
        reject(new Error(`Neovim did not finish within 120 s; output: ${log}`));
      }, 120000);
      p.on('exit', (code) => {
        clearTimeout(timer);
        if (!fs.existsSync(out)) {
          reject(new Error(`Neovim exited with ${code} and wrote no result; output: ${log}`));
          return;
        }
        result = JSON.parse(fs.readFileSync(out, 'utf8')) as Result;
        resolve();
      });
    });
  });

  after(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  const step = (name: string): Step => {
    assert.equal(result.error ?? null, null, `the scenario failed: ${result.error}`);
    const s = result.steps.find((x) => x.name === name);
    assert.ok(s, `step ${name} missing`);
    return s;
  };

  it('receives the diagnostics, at the right columns of a line with CJK text', () => {
    const opened = step('opened');
    const codes = opened.diagnostics.map((d) => d.code).filter((c) => c !== 'MW053');
    assert.deepEqual(codes, ['MW001', 'MW020', 'MW020', 'MW052', 'MW002']);
    const mw001 = opened.diagnostics[0];
    // The server speaks UTF-16; Neovim's columns are bytes: `其中` is 6 bytes, so the `$` is at byte 6.
    assert.deepEqual([mw001.lnum, mw001.col, mw001.severity, mw001.source], [2, 6, 1, 'math-writeup']);
    assert.match(mw001.message, /CJK character `中` touches the opening `\$`/);
  });

  it('applies the preferred quick fix chosen from the code-action menu', () => {
    const fixed = step('quickfix');
    assert.deepEqual(result.picked?.[0], { title: 'Insert a space before `$`', offered: 4 });
    assert.equal(fixed.lines[2], '其中 $x$是变量。');
    assert.ok(!fixed.diagnostics.some((d) => d.code === 'MW001'));
    assert.deepEqual(fixed.lines.filter((_, i) => i !== 2), step('opened').lines.filter((_, i) => i !== 2));
  });

  it('applies source.fixAll.mathWriteup; the re-lint leaves only what has no fix', () => {
    const all = step('fixall');
    assert.equal(result.picked?.[1]?.title, 'Fix all GitHub math problems in this file');
    assert.deepEqual(all.lines, ['# HW', '', '其中 $x$是变量。', '', 'Let $w^\\ast$ and $v^\\ast$ be optimal.', '', 'Then $\\foo{x}$ fails and $y$ too.']);
    assert.deepEqual(all.diagnostics.map((d) => d.code).filter((c) => c !== 'MW053'), ['MW052']);
  });

  it('hovers a formula with GitHub\'s rendering', () => {
    step('fixall');
    assert.match(result.hover ?? '', /^\*\*GitHub renders\*\* \(inline, MathJax as on github\.com\)/);
    assert.match(result.hover ?? '', /!\[[^\]]*\]\(data:image\/svg\+xml;base64,[A-Za-z0-9+/=]+\)/);
    assert.match(result.hover ?? '', /\*\*MW052\*\*/);
  });
});
