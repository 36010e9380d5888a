// Row kernels for two-index definitions (src/core/check/kernels/fastfamily.ts): the matrix filled row by row (with the
// upper triangle mirrored when the expression is provably symmetric) must equal, bit for bit, the matrix of the
// per-entry closures, which reproduce the interpreter; every problem must make the fast path bail out.
import * as assert from 'node:assert';
import type { Node } from '../../src/core/check/parser/ast';
import { runChecksInText } from '../../src/core/check';
import { type FastEnv, FastPathBail, compileEntry } from '../../src/core/check/kernels/entry';
import { fillFamily } from '../../src/core/check/kernels/fastfamily';
import { swapInvariant } from '../../src/core/check/kernels/symmetry';
import { Rng } from '../../src/core/check/rng';
import { Mat, type Value } from '../../src/core/check/linalg/values';

// --- a tiny AST builder (offsets are irrelevant here) ---------------------------------------------------------
const at = { s: 0, e: 0 };
const sym = (key: string): Node => ({ k: 'sym', base: key, deco: '', key, baseKey: key, ...at });
const num = (v: number): Node => ({ k: 'num', v, ...at });
const bin = (op: '+' | '-' | '*' | '/' | 'pow', a: Node, b: Node): Node => ({ k: 'bin', op, a, b, ...at });
const fn = (name: string, ...args: Node[]): Node => ({ k: 'fn', name, args, ...at });
const idx = (base: string, ...ix: Node[]): Node => ({ k: 'index', base: sym(base), idx: ix, ...at });
const neg = (a: Node): Node => ({ k: 'neg', a, ...at });
const abs = (a: Node): Node => ({ k: 'abs', a, ...at });
const PI: Node = { k: 'const', name: 'pi', ...at };
const i = sym('i');
const j = sym('j');

function envOf(values: Record<string, Value>): FastEnv {
  return {
    slotOf: (n) => (n.k === 'sym' ? (n.key === 'i' ? 0 : n.key === 'j' ? 1 : undefined) : undefined),
    constSym: (n) => (n.k === 'sym' ? values[n.key] : undefined),
    indexedSym: () => undefined,
    isStatic: () => false,
  };
}

/** The reference: one closure call per entry (the path the interpreter tests cover). */
function perEntry(expr: Node, env: FastEnv, a: number, rows: number, b: number, cols: number): Float64Array {
  const f = compileEntry(expr, env);
  assert.ok(f, 'the expression compiles');
  const out = new Float64Array(rows * cols);
  const ix = new Float64Array(2);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      ix[0] = a + r;
      ix[1] = b + c;
      out[r * cols + c] = f(ix);
    }
  }
  return out;
}

function assertBitEqual(got: Float64Array, want: Float64Array, what: string): void {
  assert.strictEqual(got.length, want.length);
  for (let t = 0; t < got.length; t++) {
    if (!Object.is(got[t], want[t])) assert.fail(`${what}: entry ${t} is ${got[t]}, expected ${want[t]}`);
  }
}

function gaussianMat(r: number, c: number, seed: number): Mat {
  const rng = new Rng(seed);
  const m = Mat.zeros(r, c);
  for (let t = 0; t < r * c; t++) m.d[t] = rng.gaussian();
  return m;
}

function gramOf(g: Mat): Mat {
  const n = g.r;
  const k = Mat.zeros(n, n);
  for (let a = 0; a < n; a++) {
    for (let b = 0; b < n; b++) {
      let s = 0;
      for (let p = 0; p < g.c; p++) s += g.d[a * g.c + p] * g.d[b * g.c + p];
      k.d[a * n + b] = s;
    }
  }
  return k;
}

const noPoll = (): void => undefined;

describe('two-index definitions through row kernels', () => {
  const n = 23;
  const K = gramOf(gaussianMat(n, 5, 3));
  const C = Mat.zeros(n, n);
  for (let a = 0; a < n; a++) for (let b = 0; b < n; b++) C.d[a * n + b] = K.d[a * n + b] / Math.sqrt(K.d[a * n + a] * K.d[b * n + b]);
  const A = gaussianMat(n, n, 9); // not symmetric
  const v = new Mat(n, 1, gaussianMat(n, 1, 4).d, true);
  const env = envOf({ K, C, A, v, c: 0.25 });

  const cases: [string, Node, boolean][] = [
    ['C = K_ij/√(K_ii K_jj)', bin('/', idx('K', i, j), fn('sqrt', bin('*', idx('K', i, i), idx('K', j, j)))), true],
    [
      'NTK H = C(π − arccos(min(1, max(−1, C))))/(2π)',
      bin('/', bin('*', idx('C', i, j), bin('-', PI, fn('arccos', fn('min', num(1), fn('max', num(-1), idx('C', i, j)))))), bin('*', num(2), PI)),
      true,
    ],
    ['A_ij − 2A_ji + i/j (not symmetric)', bin('+', bin('-', idx('A', i, j), bin('*', num(2), idx('A', j, i))), bin('/', i, j)), false],
    ['(i − j)² + j^i', bin('+', bin('pow', bin('-', i, j), num(2)), bin('pow', j, bin('/', i, num(7)))), false],
    ['v_i v_j + |v_j| − c', bin('-', bin('+', bin('*', idx('v', i), idx('v', j)), abs(idx('v', j))), sym('c')), false],
    ['A[j, 3] · A[i, j] (column gather)', bin('*', idx('A', j, num(3)), idx('A', i, j)), false],
    ['A[j, i] via vector indices', idx('A', bin('-', bin('+', j, num(1)), num(1)), i), false],
    ['exp(−|i − j|)·cos(i j) + tan(c j)', bin('+', bin('*', fn('exp', neg(abs(bin('-', i, j)))), fn('cos', bin('*', i, j))), fn('tan', bin('*', sym('c'), j))), false],
    ['min(i, j, 5) · max(K_ij, 0)', bin('*', fn('min', i, j, num(5)), fn('max', idx('K', i, j), num(0))), true],
    ['0 · (i − j) (signed zeros)', bin('*', num(0), bin('-', i, j)), false],
    // (1 + i) + j and (1 + j) + i may round differently: associativity is not assumed
    ['log(1 + i + j)', fn('log', bin('+', bin('+', num(1), i), j)), false],
    ['log(1 + (i + j))', fn('log', bin('+', num(1), bin('+', i, j))), true],
    ['i² (constant along rows)', bin('pow', i, num(2)), false],
  ];

  for (const [name, expr, symmetric] of cases) {
    it(`${name}: same bits as the per-entry closures${symmetric ? ' (mirrored)' : ''}`, () => {
      assert.strictEqual(swapInvariant(expr, env), symmetric, 'symmetry detection');
      const got = fillFamily(expr, env, 1, n, 1, n, noPoll);
      assert.ok(got, 'compiled');
      assertBitEqual(got, perEntry(expr, env, 1, n, 1, n), name);
    });
  }

  it('a rectangular or shifted index range is filled without mirroring, same bits', () => {
    const expr = cases[0][1];
    const got = fillFamily(expr, env, 2, 7, 1, 19, noPoll);
    assert.ok(got);
    assertBitEqual(got, perEntry(expr, env, 2, 7, 1, 19), 'rectangular');
  });

  it('a matrix that differs from its transpose only by the sign of a zero is not treated as symmetric', () => {
    const Z = Mat.zeros(4, 4);
    Z.d[1] = -0; // Z[0][1] = −0, Z[1][0] = +0
    const zenv = envOf({ Z });
    const expr = bin('*', idx('Z', i, j), num(1));
    assert.strictEqual(swapInvariant(expr, zenv), false);
    const got = fillFamily(expr, zenv, 1, 4, 1, 4, noPoll);
    assert.ok(got);
    assert.ok(Object.is(got[1], -0) && Object.is(got[4], 0));
  });

  it('large families (several 32×32 tiles, odd size) are mirrored exactly and every formula keeps its bits', () => {
    const m = 77;
    const Kl = gramOf(gaussianMat(m, 6, 11));
    const Cl = Mat.zeros(m, m);
    for (let a = 0; a < m; a++) for (let b = 0; b < m; b++) Cl.d[a * m + b] = Kl.d[a * m + b] / Math.sqrt(Kl.d[a * m + a] * Kl.d[b * m + b]);
    const Al = gaussianMat(m, m, 12);
    const vl = new Mat(m, 1, gaussianMat(m, 1, 13).d, true);
    const lenv = envOf({ K: Kl, C: Cl, A: Al, v: vl, c: 0.25 });
    for (const [name, expr, symmetric] of cases) {
      assert.strictEqual(swapInvariant(expr, lenv), symmetric, `${name}: symmetry detection`);
      const got = fillFamily(expr, lenv, 1, m, 1, m, noPoll);
      assert.ok(got, `${name}: compiled`);
      assertBitEqual(got, perEntry(expr, lenv, 1, m, 1, m), `${name} (n = ${m})`);
    }
  });

  it('a large matrix whose only asymmetry is a signed zero in a far tile is not treated as symmetric', () => {
    const m = 70;
    const Z = Mat.zeros(m, m);
    Z.d[3 * m + 66] = -0; // Z[3][66] = −0, Z[66][3] = +0: tiles (0, 2) and (2, 0)
    const expr = bin('*', idx('Z', i, j), num(1));
    assert.strictEqual(swapInvariant(expr, envOf({ Z })), false);
    Z.d[3 * m + 66] = 0;
    Z.d[40 * m + 41] = 2;
    Z.d[41 * m + 40] = 2;
    assert.strictEqual(swapInvariant(expr, envOf({ Z })), true);
    Z.d[41 * m + 40] = 3;
    assert.strictEqual(swapInvariant(expr, envOf({ Z })), false);
  });

  it('problems anywhere make it bail out (out-of-range index, √ of a negative, division by zero, arccos outside [−1, 1])', () => {
    const bad: [string, Node][] = [
      ['A[i, j + 1]', idx('A', i, bin('+', j, num(1)))],
      ['v[i + j]', idx('v', bin('+', i, j))],
      ['√(i − j)', fn('sqrt', bin('-', i, j))],
      ['1/(i − j)', bin('/', num(1), bin('-', i, j))],
      ['K_ij / (i − 3)', bin('/', idx('K', i, j), bin('-', i, num(3)))],
      ['arccos(K_ij)', fn('arccos', idx('K', i, j))],
      ['log(K_ij) (K has negative entries off the diagonal)', fn('log', idx('K', i, j))],
      ['(−1)^(j/2)', bin('pow', num(-1), bin('/', j, num(2)))],
    ];
    for (const [name, expr] of bad) {
      assert.throws(() => fillFamily(expr, env, 1, n, 1, n, noPoll), FastPathBail, name);
      assert.throws(() => perEntry(expr, env, 1, n, 1, n), FastPathBail, `${name} (reference)`);
    }
  });

  it('a symmetric expression whose only problem lies below the diagonal still bails out', () => {
    const S = Mat.zeros(5, 5);
    for (let t = 0; t < 25; t++) S.d[t] = 1;
    S.d[4 * 5 + 1] = -1;
    S.d[1 * 5 + 4] = -1;
    const senv = envOf({ S });
    const expr = fn('sqrt', idx('S', i, j));
    assert.ok(swapInvariant(expr, senv));
    assert.throws(() => fillFamily(expr, senv, 1, 5, 1, 5, noPoll), FastPathBail);
  });

  it('expressions outside the compiled subset are left to the interpreter', () => {
    assert.strictEqual(fillFamily(fn('tr', idx('A', i, j)), env, 1, n, 1, n, noPoll), undefined);
    assert.strictEqual(fillFamily(bin('*', sym('A'), j), env, 1, n, 1, n, noPoll), undefined);
    assert.strictEqual(fillFamily(bin('*', sym('unknown'), j), env, 1, n, 1, n, noPoll), undefined);
  });

  it('polls once per row, and what poll throws stops the fill', () => {
    const rows: number[] = [];
    fillFamily(cases[0][1], env, 1, n, 1, n, (r) => rows.push(r));
    assert.deepStrictEqual(rows, Array.from({ length: n }, (_, t) => t));
    class Stop extends Error {}
    assert.throws(
      () =>
        fillFamily(cases[0][1], env, 1, n, 1, n, (r) => {
          if (r === 5) throw new Stop('time limit');
        }),
      Stop,
    );
  });

  describe('through the engine (compiled definition vs the interpreter)', () => {
    const fence = (...lines: string[]) => ['```check', ...lines, '```', ''].join('\n');
    // P wraps the same formula in a one-term sum, which only the interpreter evaluates
    const agree = (formula: string, given: string, derived: string) => {
      const text = fence(
        'title: fast path vs interpreter',
        `given: ${given}`,
        `let: ${derived}`,
        String.raw`let: H_{ij} = ${formula}, i, j = 1, \dots, n`,
        String.raw`let: P_{ij} = \sum_{k=1}^{1} ${formula}, i, j = 1, \dots, n`,
        String.raw`claim: \|H - P\|_F = 0`,
      );
      return runChecksInText(text)[0];
    };

    it('symmetric and non-symmetric formulas give exactly the interpreter’s matrix', () => {
      const given = String.raw`n = 30, G \sim \mathcal{N}(0, 1)^{n \times 4}, A \sim \mathcal{N}(0, 1)^{n \times n}`;
      for (const formula of [
        String.raw`\frac{K[i, j]}{\sqrt{K[i, i] K[j, j]}}`,
        String.raw`A[i, j] - A[j, i] + \frac{i}{j}`,
        String.raw`\exp(-|i - j|) \min(K[i, j], 1) + (i - j)^2`,
        String.raw`\max(A[i, j], A[j, i]) \cdot K[j, j]`,
      ]) {
        const r = agree(formula, given, String.raw`K = G G^\top`);
        assert.strictEqual(r.status, 'pass', `${formula}: ${r.message}`);
      }
    });
  });
});
