// The parser and the numbers never certify a false claim (issue 9, item 6): `!=` is not read into `5! = 121`, a side
// that overflowed is an error, deep nesting is a located error, parsing counts against the time limit, and a
// claim the engine cannot decide (T_ε beyond the run, `\text{rate}(w)`) is an error, never a fail.
import * as assert from 'node:assert';
import { runChecksInText, type CheckResult } from '../../src/core/check';
import { LineIndex } from '../../src/core/text';

const PREFIX = '# T\n\n```check\n';

function run(body: string, timeLimitMs = 10000): { r: CheckResult; text: string } {
  const text = `${PREFIX}${body}\n\`\`\`\n`;
  const results = runChecksInText(text, { timeLimitMs });
  assert.strictEqual(results.length, 1);
  return { r: results[0], text };
}

function at(text: string, needle: string): { line: number; character: number } {
  const i = text.indexOf(needle);
  assert.ok(i >= 0);
  return new LineIndex(text).positionAt(i);
}

describe('check soundness', () => {
  it('`5! = 121` is a factorial followed by `=`: fails (120 ≠ 121); `5! = 120` passes', () => {
    const { r } = run('claim: 5! = 121');
    assert.strictEqual(r.status, 'fail', r.message);
    assert.match(r.message, /120/);
    assert.strictEqual(run('claim: 5! = 120').r.status, 'pass');
    assert.strictEqual(run('claim: 3!\\ne 7').r.status, 'pass');
  });

  it('`!=` written together is refused as ambiguous at the `!`', () => {
    const { r, text } = run('claim: 5!=121');
    assert.strictEqual(r.status, 'error', r.message);
    assert.match(r.message, /`!=` is ambiguous/);
    assert.deepStrictEqual(r.problems[0].range.start, at(text, '!='));
  });

  it('a side that overflowed is an error with the reason, never a pass', () => {
    const { r, text } = run('claim: 10^{308}\\cdot10^{308} > 0');
    assert.strictEqual(r.status, 'error', r.message);
    assert.match(r.message, /∞ \(overflow/);
    assert.deepStrictEqual(r.problems[0].range.start, at(text, '10^{308}'));
    const nan = run('given: a = 10^{308}\\cdot10^{308}\nclaim: a - a = 0').r;
    assert.strictEqual(nan.status, 'error', nan.message);
    assert.match(nan.message, /NaN/);
    // with expect: fail the overflow is still an error, not a refutation
    assert.strictEqual(run('claim: 10^{308}\\cdot10^{308} < 0\nexpect: fail').r.status, 'error');
    // a written \infty is a value, not an overflow
    assert.strictEqual(run('claim: 10^{300} < \\infty').r.status, 'pass');
  });

  it('10,000 nested parentheses: a located error, no stack overflow', function () {
    this.timeout(5000);
    const deep = '('.repeat(10000) + '1' + ')'.repeat(10000);
    const { r } = run(`claim: ${deep} = 1`);
    assert.strictEqual(r.status, 'error', r.message);
    assert.match(r.message, /nested more than 200 levels/);
    assert.ok(r.problems.length === 1 && r.problems[0].range.start.line === 3, JSON.stringify(r.problems));
    const braces = run(`claim: ${'\\sqrt{'.repeat(5000)}4${'}'.repeat(5000)} > 0`).r;
    assert.strictEqual(braces.status, 'error');
    assert.match(braces.message, /nested more than/);
    const minus = run(`claim: ${'-'.repeat(20000)}1 = 1`).r;
    assert.strictEqual(minus.status, 'error');
    const chain = run(`claim: ${Array(5000).fill('1').join(' + ')} = 5000`).r;
    assert.strictEqual(chain.status, 'error', chain.message);
    assert.match(chain.message, /more than 2000 operations deep/);
    assert.strictEqual(run(`claim: ${Array(500).fill('1').join(' + ')} = 500`).r.status, 'pass');
  });

  it('parsing counts against the time limit', function () {
    this.timeout(20000);
    // a large matrix in `given`: reading it takes longer than the 1 ms limit
    const row = Array(300).fill('1.5').join(' & ');
    const big = `\\begin{bmatrix} ${Array(300).fill(row).join(' \\\\ ')} \\end{bmatrix}`;
    const { r } = run(`given: A = ${big}\nclaim: \\operatorname{Tr}(A) = 450`, 1);
    assert.strictEqual(r.status, 'error', r.message);
    assert.match(r.message, /time limit/);
  });

  it('T_ε beyond the run is an error with the predicted count, never a fail', () => {
    const body = 'given: w_0 = 0, \\epsilon = 10^{-6}\niterate: w_{t+1} = 0.99 w_t + 0.01\nsteps: 100\nclaim: T_\\epsilon = 1375';
    for (const expect of ['', '\nexpect: fail']) {
      const { r } = run(body + expect);
      assert.strictEqual(r.status, 'error', r.message);
      assert.match(r.message, /not reached within 100 steps/);
      // (0.99)^T ≤ 1e-6 ⟺ T ≥ 1374.6
      assert.match(r.message, /raise `steps` to at least 1375/);
    }
    assert.strictEqual(run(body.replace('steps: 100', 'steps: 2000')).r.status, 'pass');
  });

  it('`\\text{rate}(w)` is refused (the rate is that of the whole state)', () => {
    const { r } = run('given: w_0 = 1, z_0 = 1\niterate: w_{t+1} = 0.5 w_t, z_{t+1} = 0.9 z_t\nclaim: \\text{rate}(w) = 0.5');
    assert.strictEqual(r.status, 'error');
    assert.match(r.message, /rate.*whole state/);
  });

  it('a for-each message reports every combination with its own numbers', () => {
    const { r } = run('given: \\sigma \\in \\{1, 2\\}, \\eta = 0.1, w_0 = 0\niterate: w_{t+1} = w_t + 2\\eta\\sigma(1 - \\sigma w_t)\nclaim: \\text{converges}');
    assert.strictEqual(r.status, 'pass', r.message);
    assert.match(r.message, /holds for all 2 combinations: σ = 1: .*ρ = 0\.8.*; σ = 2: .*ρ = 0\.2/);
  });
});
