// Malformed check blocks give status 'error' with a precise location and message, within the time limit;
// random and garbled blocks never throw.
import * as assert from 'node:assert';
import fc from 'fast-check';
import { isCheckFence, parseCheck, runChecksInText, runParsedCheck, type CheckResult } from '../../src/core/check';
import { findFences } from '../../src/core/scan/fences';
import { LineIndex } from '../../src/core/text';

const PREFIX = '# Title\n\nText before.\n\n```check\n';

function run(body: string, timeLimitMs = 10000): { r: CheckResult; text: string } {
  const text = `${PREFIX}${body}\n\`\`\`\n`;
  const results = runChecksInText(text, { timeLimitMs });
  assert.strictEqual(results.length, 1);
  return { r: results[0], text };
}

/** Position (0-based line, character) of the n-th occurrence of `needle`. */
function pos(text: string, needle: string, nth = 0): { line: number; character: number } {
  let i = -1;
  for (let k = 0; k <= nth; k++) {
    i = text.indexOf(needle, i + 1);
    assert.ok(i >= 0, `${needle} not found`);
  }
  return new LineIndex(text).positionAt(i);
}

function expectErrorAt(body: string, needle: string, message: RegExp, nth = 0): CheckResult {
  const { r, text } = run(body);
  assert.strictEqual(r.status, 'error', `${r.status}: ${r.message}`);
  assert.match(r.message, message);
  assert.ok(r.problems.length >= 1, 'a located problem');
  assert.deepStrictEqual(r.problems[0].range.start, pos(text, needle, nth), `problem at ${JSON.stringify(r.problems[0].range)}`);
  assert.ok(r.elapsedMs < 10000);
  return r;
}

describe('check errors', () => {
  it('unknown key → error at the key', () => {
    const r = expectErrorAt('given: a = 1\nclaims: a > 0', 'claims', /unknown key `claims`/);
    assert.strictEqual(r.problems[0].range.end.character - r.problems[0].range.start.character, 6);
  });

  it('unbalanced braces → error at the brace that is never closed', () => {
    expectErrorAt('given: \\sigma = 2\nclaim: \\frac{1}{\\sigma^2 > 0', '{\\sigma', /unbalanced braces/);
  });

  it('unknown symbol → "add it to `given`" at the symbol', () => {
    expectErrorAt('given: \\sigma = 2\nclaim: \\gamma\\sigma > 0', '\\gamma', /unknown symbol `\\gamma`: add it to `given`/);
  });

  it('shape mismatch → "cannot add a 30×10 matrix and a 10-vector" at the sum', () => {
    expectErrorAt(
      'given: X \\sim \\mathcal{N}(0,1)^{30\\times 10}, v \\sim \\mathcal{N}(0,1)^{10}\nclaim: X + v = X',
      'X + v',
      /cannot add a 30×10 matrix and a 10-vector/,
    );
  });

  it('a sweep over nothing → error at the interval', () => {
    expectErrorAt(
      'given: \\sigma = 2, y = 1, w_0 = 0\niterate: w_{t+1} = w_t + 2\\eta\\sigma(y - \\sigma w_t)\nsweep: \\eta \\in [0.5, 0.01]\nclaim: \\text{converges}',
      '[0.5',
      /the sweep is over nothing/,
    );
  });

  it('a 10⁸-step iterate is refused up front at the value of `steps`', () => {
    expectErrorAt(
      'given: w_0 = 0, \\eta = 0.1\niterate: w_{t+1} = w_t + \\eta(1 - w_t)\nsteps: 10^8\nclaim: \\text{converges}',
      '10^8',
      /at most 10\^7/,
    );
  });

  it('a 10⁵×10⁵ matrix is refused at its size', () => {
    const r = expectErrorAt('given: A \\sim \\mathcal{N}(0,1)^{100000\\times 100000}\nclaim: \\lambda_{\\min}(A^\\top A) \\ge 0', '100000', /too large/);
    assert.ok(r.elapsedMs < 1000);
  });

  it('an iterate that needs longer than the time limit stops with a clear message', () => {
    const { r } = run('given: w_0 = 1\niterate: w_{t+1} = w_t + 1\nsteps: 10000000\nclaim: \\text{bounded}', 300);
    assert.strictEqual(r.status, 'error');
    assert.match(r.message, /^time limit 0\.3 s reached after [0-9.e]+ iterations; lower `steps`/);
    assert.ok(r.elapsedMs < 2000, `took ${r.elapsedMs} ms`);
  });

  it('cancellation ends the run with "cancelled"', () => {
    const text = `${PREFIX}given: w_0 = 1\niterate: w_{t+1} = w_t + 1\nsteps: 10000000\nclaim: \\text{bounded}\n\`\`\`\n`;
    const lines = new LineIndex(text);
    const f = findFences(text, lines).filter(isCheckFence)[0];
    const { check, problems } = parseCheck(f, lines);
    assert.deepStrictEqual(problems, []);
    assert.ok(check);
    let polls = 0;
    const r = runParsedCheck(check, { isCancelled: () => ++polls > 5 });
    assert.strictEqual(r.status, 'error');
    assert.strictEqual(r.message, 'cancelled');
  });

  it('progress is reported', () => {
    const text = `${PREFIX}given: \\sigma = 2, y = 1, w_0 = 0\niterate: w_{t+1} = w_t + 2\\eta\\sigma(y - \\sigma w_t)\nsweep: \\eta \\in [0.01, 0.5]\nclaim: \\text{converges} \\iff \\eta < \\frac{1}{\\sigma^2}\n\`\`\`\n`;
    const seen: number[] = [];
    const [r] = runChecksInText(text, { onProgress: (f) => seen.push(f) });
    assert.strictEqual(r.status, 'pass');
    assert.ok(seen.length > 10);
    assert.strictEqual(seen[seen.length - 1], 1);
  });

  it('missing initial value, missing claim, and a claim that uses w_t directly', () => {
    expectErrorAt('given: \\eta = 0.1\niterate: w_{t+1} = w_t - \\eta w_t\nclaim: \\text{converges}', 'w_{t+1}', /initial value `w_0` is missing/);
    expectErrorAt('given: a = 1', 'given', /no `claim:`/);
    expectErrorAt('given: w_0 = 1\niterate: w_{t+1} = w_t / 2\nclaim: w_t < 1', 'w_t <', /a claim cannot use `w_t` with a free t; bind t/);
  });

  it('parse errors keep the title and expect of the block', () => {
    const { r } = run('title: Broken\nexpect: fail\nclaim: (1 + 2');
    assert.strictEqual(r.status, 'error');
    assert.strictEqual(r.title, 'Broken');
    assert.strictEqual(r.expectFail, true);
    assert.match(r.message, /^line 8, column 8: unbalanced parentheses/);
  });

  it('an undefined value inside a claim fails with the reason (not skipped)', () => {
    const { r } = run('given: x = -1\nclaim: \\sqrt{x} > 0');
    assert.strictEqual(r.status, 'fail');
    assert.match(r.message, /undefined: square root of a negative number/);
  });

  it('divergence is classified, not a crash', () => {
    const { r } = run('given: w_0 = 1\niterate: w_{t+1} = w_t^2 + 1\nclaim: \\text{diverges}');
    assert.strictEqual(r.status, 'pass', r.message);
    assert.match(String(r.values.trajectory), /exceeded|overflow/);
  });

  describe('fuzz', () => {
    const keys = ['title', 'given', 'let', 'iterate', 'steps', 'sweep', 'trials', 'claim', 'tolerance', 'plot', 'expect', 'seed', 'bogus'];
    const pieces = [
      '\\sigma', '\\eta', 'w_t', 'w_{t+1}', 'w_0', '=', '+', '-', '\\frac{', '}', '{', '(', ')', '[', ']', '\\|', '|', '^', '_', '\\sqrt',
      '\\log', '\\lceil', '\\rceil', '\\in', '\\{', '\\}', ',', '0.5', '2', '10^{-3}', '\\mathcal{N}(0,1)^{3\\times 2}', '\\sim', 'X', 'I',
      '\\begin{bmatrix}', '\\end{bmatrix}', '&', '\\\\', '\\text{converges}', '\\iff', '\\implies', '<', '\\le', 'T_\\epsilon', '\\nabla',
      '\\arg\\min_\\eta', '\\mathbb{E}[', '\\sum_{i=1}^{3}', 'x_i', '\\lambda_{\\min}(', '^\\top', '^{-1}', '\\partial', ' ', '\n  ', 'é', '\\',
    ];
    const line = fc.tuple(fc.constantFrom(...keys), fc.array(fc.constantFrom(...pieces), { maxLength: 14 })).map(([k, ps]) => `${k}: ${ps.join('')}`);
    const block = fc.array(fc.oneof(line, fc.string({ maxLength: 30 })), { minLength: 1, maxLength: 7 }).map((ls) => ls.join('\n'));

    it('parseCheck + runParsedCheck never throw and always return a status', () => {
      fc.assert(
        fc.property(block, (body) => {
          const text = `${PREFIX}${body.replace(/```/g, '')}\n\`\`\`\n`;
          const lines = new LineIndex(text);
          const fences = findFences(text, lines).filter(isCheckFence);
          for (const f of fences) {
            const { check, problems } = parseCheck(f, lines);
            if (!check) {
              assert.ok(problems.length > 0);
              for (const p of problems) assert.ok(p.range.start.line >= 0 && p.range.start.line < lines.lineCount);
              continue;
            }
            const r = runParsedCheck(check, { timeLimitMs: 200 });
            assert.ok(['pass', 'fail', 'error'].includes(r.status));
            assert.strictEqual(typeof r.message, 'string');
            assert.ok(r.elapsedMs < 3000);
          }
        }),
        { numRuns: 300, seed: 42 },
      );
    });

    it('well-formed random claims over random numbers never throw', () => {
      const expr = fc.letrec((tie) => ({
        e: fc.oneof(
          { depthSize: 'small' },
          fc.constantFrom('a', 'b', '\\sigma', '2', '0.5', '\\pi'),
          fc.tuple(tie('e'), fc.constantFrom('+', '-', '\\cdot', '/', ' '), tie('e')).map(([x, o, y]) => `${x} ${o} ${y}`),
          tie('e').map((x) => `\\frac{${x}}{1 + a^2}`),
          tie('e').map((x) => `|${x}|`),
          tie('e').map((x) => `\\log(${x})`),
          tie('e').map((x) => `\\sqrt{${x}}`),
          tie('e').map((x) => `(${x})^{2}`),
        ),
      })).e;
      fc.assert(
        fc.property(expr, expr, fc.double({ min: -5, max: 5, noNaN: true }), (x, y, a) => {
          const { r } = run(`given: a = ${a.toFixed(3)}, b = 2, \\sigma = 0.3\nclaim: ${x} \\le ${y}`, 500);
          assert.ok(['pass', 'fail', 'error'].includes(r.status));
          if (r.status === 'error') assert.ok(r.problems.length > 0 || r.message.length > 0);
        }),
        { numRuns: 200, seed: 7 },
      );
    });
  });
});
