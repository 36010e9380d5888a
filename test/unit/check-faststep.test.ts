// The compiled scalar step (src/core/check/kernels/faststep.ts) against the interpreter: for random update expressions
// the two give bit-identical trajectories, the same error when a step is undefined, and the same check results.
import * as assert from 'node:assert';
import fc from 'fast-check';
import { recurrenceOf, runChecksInText } from '../../src/core/check';

const fence = (...lines: string[]) => ['```check', ...lines, '```', ''].join('\n');

/** A random expression of w_t, v_t (and w_{t+1} when `withNext`), t, the givens a, b, the let q and numbers. */
function expr(withNext: boolean): fc.Arbitrary<string> {
  const leaves = ['w_t', 'v_t', 't', 'a', 'b', 'q', '0.5', '2', '3.7', '0', ...(withNext ? ['w_{t+1}'] : [])];
  const { e } = fc.letrec<{ e: string }>((tie) => ({
    e: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.constantFrom(...leaves),
      fc.tuple(tie('e'), tie('e')).map(([x, y]) => `(${x} + ${y})`),
      fc.tuple(tie('e'), tie('e')).map(([x, y]) => `(${x} - ${y})`),
      fc.tuple(tie('e'), tie('e')).map(([x, y]) => `${x} \\cdot ${y}`),
      fc.tuple(tie('e'), tie('e')).map(([x, y]) => `\\frac{${x}}{${y}}`),
      fc.tuple(tie('e'), fc.constantFrom('2', '3', '0.5', '-1')).map(([x, p]) => `(${x})^{${p}}`),
      tie('e').map((x) => `w_t (${x})`),
      tie('e').map((x) => `-(${x})`),
      tie('e').map((x) => `|${x}|`),
      tie('e').map((x) => `\\sqrt{${x}}`),
      fc.tuple(fc.constantFrom('\\sin', '\\cos', '\\exp', '\\tanh', '\\log'), tie('e')).map(([f, x]) => `${f}(${x})`),
      fc.tuple(fc.constantFrom('\\max', '\\min'), tie('e'), tie('e')).map(([f, x, y]) => `${f}(${x}, ${y})`),
    ),
  }));
  return e;
}

function block(e1: string, e2: string): string {
  return fence(
    'given: a = 0.3, b = -1.25, w_0 = 0.4, v_0 = -0.2',
    'let: q = w_t - v_t',
    `iterate: w_{t+1} = ${e1}, v_{t+1} = ${e2}`,
    'steps: 40',
    String.raw`claim: \text{bounded}`,
  );
}

function trajectoryOrError(text: string, interpretOnly: boolean): { compiled: boolean; xs?: Float64Array; error?: string } {
  const rec = recurrenceOf(text, { interpretOnly });
  try {
    return { compiled: rec.compiled, xs: rec.iterate(30, true) };
  } catch (e) {
    return { compiled: rec.compiled, error: e instanceof Error ? e.message : String(e) };
  }
}

describe('check compiled step', () => {
  it('gives bit-identical trajectories (or the same error) as the interpreter on random updates', () => {
    fc.assert(
      fc.property(expr(false), expr(true), (e1, e2) => {
        const text = block(e1, e2);
        const fast = trajectoryOrError(text, false);
        const slow = trajectoryOrError(text, true);
        assert.strictEqual(fast.compiled, true, `not compiled: ${e1} / ${e2}`);
        assert.strictEqual(slow.compiled, false);
        assert.strictEqual(fast.error, slow.error);
        if (slow.xs) {
          const xs = fast.xs as Float64Array;
          assert.strictEqual(xs.length, slow.xs.length);
          for (let i = 0; i < xs.length; i++) assert.ok(Object.is(xs[i], slow.xs[i]), `entry ${i}: ${xs[i]} vs ${slow.xs[i]}`);
        }
      }),
      { numRuns: 300, seed: 9 },
    );
  });

  it('gives the same check results as the interpreter', () => {
    fc.assert(
      fc.property(expr(false), expr(true), (e1, e2) => {
        const text = block(e1, e2);
        const fast = runChecksInText(text)[0];
        const slow = runChecksInText(text, { interpretOnly: true })[0];
        assert.strictEqual(fast.status, slow.status);
        assert.strictEqual(fast.message, slow.message);
        assert.deepStrictEqual(JSON.stringify(fast.values), JSON.stringify(slow.values));
        assert.deepStrictEqual(JSON.stringify(fast.plots), JSON.stringify(slow.plots));
      }),
      { numRuns: 40, seed: 9 },
    );
  });

  it('compiles the logistic map and matches its closed form at r = 4 (w_t = sin²(2^t θ))', () => {
    const text = fence('given: w_0 = \\sin(0.3)^2', 'iterate: w_{t+1} = 4 w_t (1 - w_t)', 'steps: 10', String.raw`claim: \text{bounded}`);
    const rec = recurrenceOf(text);
    assert.strictEqual(rec.compiled, true);
    const xs = rec.iterate(10, true);
    for (let t = 0; t <= 10; t++) assert.ok(Math.abs(xs[t] - Math.sin(2 ** t * 0.3) ** 2) < 1e-9, `t = ${t}`);
  });

  it('reports an undefined step exactly as the interpreter does (log of a negative number)', () => {
    const text = fence('given: w_0 = 2', String.raw`iterate: w_{t+1} = \log(w_t) - 1`, 'steps: 10', String.raw`claim: \text{bounded}`);
    const fast = runChecksInText(text)[0];
    const slow = runChecksInText(text, { interpretOnly: true })[0];
    assert.strictEqual(fast.status, slow.status);
    assert.strictEqual(fast.message, slow.message);
    assert.match(fast.message, /log of a negative number/);
    assert.strictEqual(recurrenceOf(text).compiled, true);
  });

  it('keeps vector states and per-step draws on the interpreter', () => {
    const vecText = fence(String.raw`given: w_0 = \begin{bmatrix} 1 \\ 2 \end{bmatrix}`, 'iterate: w_{t+1} = 0.5 w_t', 'steps: 10', String.raw`claim: \text{converges}`);
    assert.strictEqual(recurrenceOf(vecText).compiled, false);
    const noisy = fence(String.raw`given: w_0 = 0, \xi_t \sim \mathcal{N}(0, 1)`, String.raw`iterate: w_{t+1} = \tanh(w_t) + \xi_t`, 'steps: 10', String.raw`claim: \text{bounded}`);
    assert.strictEqual(recurrenceOf(noisy).compiled, false);
  });
});
