// The rules as a markdownlint custom rule (math-writeup/markdownlint → lib/markdownlint.js → dist/cli.js), run by the real
// markdownlint-cli2: findings with line, column and rule, configuration through markdownlint's config, --fix.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const repo = path.resolve(__dirname, '..', '..', '..');
const cli2 = path.join(repo, 'node_modules', 'markdownlint-cli2', 'markdownlint-cli2-bin.mjs');
const rule = path.join(repo, 'lib', 'markdownlint.js');

describe('markdownlint custom rule with the real markdownlint-cli2', function () {
  this.timeout(120000);
  let dir: string;
  const run = (...args: string[]) => spawnSync(process.execPath, [cli2, ...args], { cwd: dir, encoding: 'utf8' });
  const config = (ruleConfig: unknown): void =>
    fs.writeFileSync(
      path.join(dir, '.markdownlint-cli2.jsonc'),
      JSON.stringify({ config: { default: false, 'math-writeup': ruleConfig }, customRules: [rule] }, null, 2),
    );
  beforeEach(() => {
    assert.ok(fs.existsSync(path.join(repo, 'dist', 'cli.js')), 'dist/cli.js is built by npm run compile');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mw-mdl-'));
    fs.writeFileSync(path.join(dir, 'hw.md'), '# HW\n\nThe adjoint $A^*$ and $v^*$.\n\n$$\n\\frac{1}{2\n$$\n');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reports GitHub math findings with line:column and the math-writeup rule id, exit 1', () => {
    config(true);
    const r = run('hw.md');
    assert.equal(r.status, 1, r.stdout + r.stderr);
    const lines = r.stderr.split('\n').filter((l) => l.startsWith('hw.md:'));
    assert.deepEqual(
      lines.map((l) => /^(hw\.md:\d+(?::\d+)?) error math-writeup\/github-math .*\[(MW\d{3}) /.exec(l)?.slice(1, 3).join(' ')),
      ['hw.md:3:13 MW020', 'hw.md:3:23 MW020', 'hw.md:5:2 MW052', 'hw.md:6:9 MW053'],
    );
    assert.doesNotMatch(r.stderr, /threw an exception/);
  });

  it("takes .math-writeup.json's settings from markdownlint's config", () => {
    config({ target: 'github', rules: { 'emphasis-in-math': 'off' }, mathjax: false });
    const r = run('hw.md');
    assert.equal(r.status, 0, r.stderr);
    config({ rules: { 'no-such-rule': 'off' } });
    assert.match(run('hw.md').stderr, /math-writeup rule configuration: unknown rule "no-such-rule"/);
  });

  it('markdownlint-cli2 --fix applies the preferred fixes', () => {
    config(true);
    run('--fix', 'hw.md');
    const text = fs.readFileSync(path.join(dir, 'hw.md'), 'utf8');
    assert.match(text, /The adjoint \$A\^\\ast\$ and \$v\^\\ast\$\./);
  });
});
