// Property test of exact differentiation (src/core/check/calculus/exact.ts), which runs without a numeric guard:
// on random expressions built from every construct with an exact rule, the exact gradient equals a high-accuracy
// difference quotient of the function (central differences with two Richardson steps), and the exact Hessian
// equals the same quotient of the exact gradient. Also every first and second derivative of the scalar-function
// table against difference quotients of its value.
import * as assert from 'node:assert';
import fc from 'fast-check';
import { LineIndex } from '../../src/core/text';
import { findFences } from '../../src/core/scan/fences';
import { isCheckFence, parseCheck } from '../../src/core/check';
import { newRun } from '../../src/core/check/engine';
import { Budget, Scope } from '../../src/core/check/evaluation/scope';
import { setGivens } from '../../src/core/check/evaluation/givens';
import { callFunc } from '../../src/core/check/evaluation/evaluate';
import { Unsupported, exactDerivative } from '../../src/core/check/calculus/exact';
import { Mat } from '../../src/core/check/linalg/values';
import { Rng } from '../../src/core/check/rng';
import { scalarFunction } from '../../src/core/check/functions';

const P = 3;
const GIVEN = String.raw`given: A = \begin{bmatrix} 1 & 0.5 & -0.3 \\ 0.2 & -1 & 0.4 \\ 0.7 & 0.1 & 0.6 \end{bmatrix}, B = \begin{bmatrix} 2 & 0.3 & 0 \\ 0.3 & 1.5 & 0.2 \\ 0 & 0.2 & 1 \end{bmatrix}, c = \begin{pmatrix} 0.5 \\ -1 \\ 0.25 \end{pmatrix}, w = \begin{pmatrix} 0 \\ 0 \\ 0 \end{pmatrix}`;

/** Random scalar (S) and vector (V) expressions of the 3-vector v, from the constructs with exact rules. */
const { S } = fc.letrec<{ S: string; V: string }>((tie) => ({
  S: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom('v_1', 'v_2', 'v_3', '0.7', String.raw`c^\top v`),
    tie('S').map((a) => String.raw`\sin(${a})`),
    tie('S').map((a) => String.raw`\tanh(${a})`),
    tie('S').map((a) => String.raw`\arctan(${a})`),
    tie('S').map((a) => String.raw`\operatorname{sigmoid}(${a})`),
    tie('S').map((a) => String.raw`\log(1 + (${a})^2)`),
    tie('S').map((a) => String.raw`\sqrt{2 + \cos(${a})}`),
    tie('S').map((a) => String.raw`\exp(\tanh(${a}))`),
    tie('S').map((a) => String.raw`|${a}|`),
    tie('S').map((a) => String.raw`\operatorname{relu}(${a})`),
    tie('S').map((a) => String.raw`\frac{${a}}{1 + (${a})^2}`),
    tie('S').map((a) => String.raw`(1.5 + \sin(${a}))^{0.7}`),
    tie('S').map((a) => String.raw`2^{\sin(${a})}`),
    fc.tuple(tie('S'), tie('S')).map(([a, b]) => `(${a}) + (${b})`),
    fc.tuple(tie('S'), tie('S')).map(([a, b]) => `(${a}) - (${b})`),
    fc.tuple(tie('S'), tie('S')).map(([a, b]) => `(${a}) (${b})`),
    fc.tuple(tie('S'), tie('S')).map(([a, b]) => String.raw`\max(${a}, ${b})`),
    tie('S').map((a) => String.raw`\operatorname{clip}(${a}, -0.5, 0.5)`),
    tie('S').map((a) => String.raw`\lfloor 2 (${a}) \rfloor (${a})`),
    tie('V').map((x) => String.raw`\operatorname{var}(${x})`),
    fc.tuple(tie('S'), tie('S')).map(([a, b]) => String.raw`\min(${a}, ${b})`),
    tie('V').map((x) => String.raw`c^\top (${x})`),
    tie('V').map((x) => String.raw`(${x})^\top B (${x})`),
    tie('V').map((x) => String.raw`\|${x}\|`),
    tie('V').map((x) => String.raw`\|${x}\|^2`),
    tie('V').map((x) => String.raw`\|${x}\|_1`),
    tie('V').map((x) => String.raw`\|${x}\|_\infty`),
    tie('V').map((x) => String.raw`\log \det(B + (${x}) (${x})^\top)`),
    tie('V').map((x) => String.raw`c^\top (B + (${x}) (${x})^\top)^{-1} c`),
    tie('V').map((x) => String.raw`\operatorname{tr}((B + (${x}) c^\top)^2)`),
    tie('V').map((x) => String.raw`\lambda_{\max}(B + (${x}) (${x})^\top)`),
    tie('V').map((x) => String.raw`\lambda_{\min}(A^\top A + (${x}) (${x})^\top) + \lambda_2(B + (${x}) c^\top + ((${x}) c^\top)^\top)`),
    fc.constant(String.raw`\prod_{i=1}^{3} (1 + \sin(v_i))`),
    fc.constant(String.raw`\sum_{i=1}^{3} \cos(i v_i)`),
  ),
  V: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom('v', 'A v', String.raw`B v - c`),
    tie('V').map((x) => String.raw`\tanh(${x})`),
    tie('V').map((x) => String.raw`\sin(${x})`),
    tie('V').map((x) => String.raw`\max(0, ${x})`),
    tie('V').map((x) => `A (${x})`),
    tie('V').map((x) => String.raw`(B + v v^\top)^{-1} (${x})`),
    fc.tuple(tie('V'), tie('V')).map(([x, y]) => `(${x}) + (${y})`),
    fc.tuple(tie('S'), tie('V')).map(([a, x]) => `(${a}) (${x})`),
    fc.tuple(tie('S'), tie('S'), tie('S')).map(([a, b, d]) => String.raw`\begin{pmatrix} ${a} \\ ${b} \\ ${d} \end{pmatrix}`),
  ),
}));

/** The check block with `f(v) = expr`, linked, with its givens set: f as a function of plain numbers. */
function setUp(expr: string): { f: (x: Float64Array) => number; scope: Scope } {
  const text = `# T\n\n\`\`\`check\n${GIVEN}\nlet: f(v) = ${expr}\nclaim: 1 = 1\n\`\`\`\n`;
  const lines = new LineIndex(text);
  const fence = findFences(text, lines).filter(isCheckFence)[0];
  const { check, problems } = parseCheck(fence, lines);
  assert.ok(check, `${expr}: ${JSON.stringify(problems)}`);
  const run = newRun(check.program, new Rng(1), new Budget(Date.now(), 60_000, undefined, undefined));
  const scope = new Scope(run);
  setGivens(check.program, scope, new Map());
  const f = (x: Float64Array): number => {
    const y = callFunc('f', [new Mat(P, 1, x, true)], scope, check.program.claim);
    assert.strictEqual(typeof y, 'number', expr);
    return y as number;
  };
  return { f, scope };
}

/** d/dx_i of g at x by central differences with two Richardson steps (error O(h⁶)), and an error estimate. */
function quotient(g: (x: Float64Array) => number, x: Float64Array, i: number): [number, number] {
  const c = (h: number): number => {
    const xp = x.slice();
    const xm = x.slice();
    xp[i] += h;
    xm[i] -= h;
    return (g(xp) - g(xm)) / (2 * h);
  };
  const h = 1e-2;
  const [d1, d2, d3] = [c(h), c(h / 2), c(h / 4)];
  const r1 = (4 * d2 - d1) / 3;
  const r2 = (4 * d3 - d2) / 3;
  return [(16 * r2 - r1) / 15, Math.abs(r2 - r1)];
}

const close = (exact: number, ref: number, err: number): boolean => Math.abs(exact - ref) <= 1e-6 * Math.max(1, Math.abs(ref)) + 10 * err;

describe('exact derivatives: property', function () {
  // 300 random expressions with second-order difference quotients: about 2 s alone, several times that on a loaded CI machine
  this.timeout(120000);
  it('random expressions: the exact gradient equals the difference quotient of f, the exact Hessian that of the exact gradient', () => {
    let checked = 0;
    let refused = 0;
    // points off the values fast-check likes (0, ±1.5, all entries equal), where |·|, relu and ties have kinks
    const shift = [0.01 * Math.PI, 0.02 * Math.E, -0.03 * Math.SQRT2];
    const point = fc.array(fc.double({ min: -1.5, max: 1.5, noNaN: true }), { minLength: P, maxLength: P }).map((xs) => xs.map((t, i) => t + shift[i]));
    fc.assert(
      fc.property(S, point, (expr, xs) => {
        const { f, scope } = setUp(expr);
        const x = Float64Array.from(xs);
        const args = [new Mat(P, 1, x, true)];
        const f0 = f(x);
        const grad = (y: Float64Array): Float64Array => exactDerivative('f', [new Mat(P, 1, y, true)], [0], P, 1, f(y), scope);
        let g: Float64Array;
        let H: Float64Array;
        try {
          g = exactDerivative('f', args, [0], P, 1, f0, scope);
          H = exactDerivative('f', args, [0], P, 2, f0, scope);
        } catch (e) {
          // every construct has a rule, so only a point on a kink is refused (counted below)
          assert.ok(e instanceof Unsupported, String(e));
          refused++;
          if (process.env.MW_DEBUG) console.log(expr, xs);
          return;
        }
        for (let i = 0; i < P; i++) {
          const [d, err] = quotient(f, x, i);
          // a kink within the stencil shows as a large error estimate: that coordinate says nothing
          if (err > 1e-4 * Math.max(1, Math.abs(d))) continue;
          assert.ok(close(g[i], d, err), `∂f/∂v_${i + 1} of ${expr} at (${xs.join(', ')}): exact ${g[i]}, quotient ${d} ± ${err}`);
          checked++;
          for (let j = 0; j < P; j++) {
            let gj: [number, number];
            try {
              gj = quotient((y) => grad(y)[j], x, i);
            } catch {
              continue; // the stencil touched a kink
            }
            if (gj[1] > 1e-4 * Math.max(1, Math.abs(gj[0]))) continue;
            assert.ok(close(H[i * P + j], gj[0], gj[1]), `∂²f/∂v_${i + 1}∂v_${j + 1} of ${expr} at (${xs.join(', ')}): exact ${H[i * P + j]}, quotient ${gj[0]} ± ${gj[1]}`);
          }
        }
      }),
      { numRuns: 300, seed: 7 },
    );
    assert.ok(checked > 600, `only ${checked} gradient entries compared`);
    assert.ok(refused <= 6, `${refused} of 300 points refused`);
    if (process.env.MW_DEBUG) console.log({ checked, refused });
  });

  it('every first and second derivative of the scalar-function table matches difference quotients of its value', () => {
    const names = ['log', 'ln', 'lg', 'exp', 'sqrt', 'sin', 'cos', 'tan', 'cot', 'sec', 'csc', 'arcsin', 'arccos', 'arctan', 'sinh', 'cosh', 'tanh', 'sgn', 'round', 'sigmoid', 'relu'];
    fc.assert(
      fc.property(fc.constantFrom(...names), fc.double({ min: -0.95, max: 3, noNaN: true }), (name, x) => {
        const fn = scalarFunction(name);
        assert.ok(fn?.d1 && fn.d2, `${name} has derivatives`);
        const h = 1e-4;
        const inside = (y: number): boolean => !(fn.domain?.outside(y) ?? false) && !(fn.kink?.(y) ?? false);
        // stay clear of the domain's edge, kinks, poles and jumps
        if (![x - 2 * h, x, x + 2 * h].every(inside) || Math.abs(Math.cos(x)) < 0.05 || Math.abs(Math.sin(x)) < 0.05) return;
        if (Math.round(x - 2 * h) !== Math.round(x + 2 * h) || Math.sign(x - 2 * h) !== Math.sign(x + 2 * h)) return;
        const d1 = (fn.f(x + h) - fn.f(x - h)) / (2 * h);
        const d2 = (fn.f(x + h) - 2 * fn.f(x) + fn.f(x - h)) / (h * h);
        const scale1 = Math.max(1, Math.abs(fn.d1(x)));
        const scale2 = Math.max(1, Math.abs(fn.d2(x)));
        assert.ok(Math.abs(fn.d1(x) - d1) <= 1e-5 * scale1 * Math.max(1, Math.abs(fn.d2(x)) + Math.abs(fn.d1(x))), `${name}'(${x}) = ${fn.d1(x)}, quotient ${d1}`);
        assert.ok(Math.abs(fn.d2(x) - d2) <= 1e-3 * scale2, `${name}''(${x}) = ${fn.d2(x)}, quotient ${d2}`);
      }),
      { numRuns: 2000, seed: 3 },
    );
  });
});
