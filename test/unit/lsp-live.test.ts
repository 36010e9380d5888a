// src/core/lint/live.ts, the per-document linting of the language server and the web extension: findings at
// once, GitHub's MathJax verdicts in a second answer, and a newer version abandoning an older version's pass.
import assert from 'node:assert/strict';
import { LiveLinter } from '../../src/core/lint/live';
import { GithubValidator } from '../../src/core/tex/mathjax';
import { mergeConfigs } from '../../src/core/lint/config';
import { defaultRegistry } from '../../src/core/lint/registry';
import type { Finding } from '../../src/core/types';

const config = mergeConfigs(defaultRegistry());
const codes = (fs: readonly Finding[]): string[] => fs.map((f) => f.ruleId).sort();

describe('LiveLinter (language server and web extension)', function () {
  this.timeout(30000);

  it('answers at once, then republishes with GitHub MathJax verdicts', async () => {
    const live = new LiveLinter(new GithubValidator());
    const text = 'Then $\\undefinedLiveOne{x}$ fails.\n';
    const republished = new Promise<Finding[]>((resolve) => {
      const first = live.lint(text, 1, config, { republish: resolve, idleMs: 0 });
      assert.ok(!codes(first).includes('MW053'), 'the fast answer has no MathJax verdict yet');
      assert.equal(live.version, 1);
    });
    const full = await republished;
    assert.ok(codes(full).includes('MW053'));
    assert.deepEqual(live.findings, full);
  });

  it('a newer version abandons the older MathJax pass; only the newer republishes', async () => {
    const live = new LiveLinter(new GithubValidator());
    const calls: string[] = [];
    live.lint('A $\\undefinedLiveTwo{x}$.\n', 1, config, { republish: () => calls.push('v1'), idleMs: 0 });
    const second = new Promise<Finding[]>((resolve) => {
      live.lint('A $\\undefinedLiveThree{x}$.\n', 2, config, { republish: (f) => (calls.push('v2'), resolve(f)), idleMs: 0 });
    });
    const full = await second;
    assert.deepEqual(calls, ['v2']);
    assert.match(full.find((f) => f.ruleId === 'MW053')?.message ?? '', /undefinedLiveThree/);
  });

  it('lints nothing when linting is off (no configuration)', () => {
    const live = new LiveLinter(new GithubValidator());
    assert.deepEqual(live.lint('其中$x$\n', 3, undefined, { republish: () => assert.fail('no MathJax pass when off') }), []);
    assert.equal(live.version, 3);
  });
});
