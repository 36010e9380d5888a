// The one table of scalar functions (src/core/check/functions.ts): a function's row loop (used by the row kernels)
// gives exactly its value `f` entry by entry and refuses exactly the entries outside its domain; the interpreter
// reports the domain rule with the place.
import * as assert from 'node:assert';
import fc from 'fast-check';
import { runChecksInText } from '../../src/core/check';
import { scalarFunction } from '../../src/core/check/functions';

const NAMES = ['log', 'ln', 'lg', 'exp', 'sqrt', 'sin', 'cos', 'tan', 'cot', 'sec', 'csc', 'arcsin', 'arccos', 'arctan', 'sinh', 'cosh', 'tanh', 'sgn', 'round', 'sigmoid', 'relu'];

describe('scalar function table', () => {
  it('every row loop equals its function entry by entry and stops exactly at an entry outside the domain', () => {
    const withRows = NAMES.filter((n) => scalarFunction(n)?.row);
    assert.ok(withRows.length >= 8, `row loops: ${withRows.join(', ')}`);
    fc.assert(
      fc.property(
        fc.constantFrom(...withRows),
        fc.array(fc.oneof(fc.double({ min: -3, max: 3, noNaN: true }), fc.constantFrom(0, 1, -1, 1 + 1e-13, -1 - 1e-13, 1.5, NaN)), { minLength: 1, maxLength: 40 }),
        (name, xs) => {
          const fn = scalarFunction(name);
          assert.ok(fn?.row);
          const x = Float64Array.from(xs);
          const o = new Float64Array(x.length);
          const ok = fn.row(o, x, 0, x.length);
          const bad = xs.findIndex((v) => fn.domain?.outside(v) ?? false);
          assert.strictEqual(ok, bad < 0, `${name}(${xs.join(', ')})`);
          const upTo = bad < 0 ? xs.length : bad;
          for (let j = 0; j < upTo; j++) assert.ok(Object.is(o[j], fn.f(xs[j])), `${name}(${xs[j]}): row ${o[j]}, f ${fn.f(xs[j])}`);
        },
      ),
      { numRuns: 400, seed: 9 },
    );
  });

  it('outside the domain, a scalar and a compiled family both say which rule and where', () => {
    const text = (body: string) => ['```check', body, '```', ''].join('\n');
    const scalar = runChecksInText(text(String.raw`given: a = -2` + '\n' + String.raw`claim: \log(a) > 0`))[0];
    assert.strictEqual(scalar.status, 'fail');
    assert.strictEqual(scalar.message, 'undefined: log of a negative number (−2) in `log(a)`');
    const family = runChecksInText(text(String.raw`let: H_{ij} = \log(i - j), i, j = 1, \dots, 40` + '\n' + String.raw`claim: H[2, 1] = 0`))[0];
    // the row kernel refuses the entry, the interpreter evaluates the family again and says where
    assert.strictEqual(family.status, 'fail');
    assert.strictEqual(family.message, 'undefined: log of a zero number (0) in `log(i - j)`');
  });
});
