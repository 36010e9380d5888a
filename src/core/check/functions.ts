// The one table of scalar functions of the check language (\log, \tanh, \sigma, \operatorname{relu}, …): name →
// implementation, domain rule and whether the function acts entrywise on vectors and matrices. The interpreter
// (evaluation/evaluate.ts `scalarFn`), the compiled entry and row kernels (kernels/fastfamily.ts) and the compiled
// scalar step (kernels/faststep.ts) all read it, so a domain rule is written once. A function the row kernels meet
// often also has a loop of its own (`row`) next to its value, for speed; a test holds the two equal.

export interface ScalarFunction {
  /** The value at x (inside the domain; arcsin/arccos clamp arguments within 1e-12 of ±1). */
  readonly f: (x: number) => number;
  /** The domain, when it is not all numbers (NaN is inside: it propagates). */
  readonly domain?: Domain;
  /** Applied entry by entry to a vector or matrix (`\tanh(W h)`, `\exp(v)`); the others need a number. */
  readonly entrywise: boolean;
  /**
   * Optional: `f` over o[j] = f(x[j]) for j0 ≤ j < cols in one loop of its own (so the compiler inlines the call),
   * for the functions the row kernels meet most; false when an entry is outside the domain.
   */
  readonly row?: RowLoop;
  /** First and second derivative (inside the domain), for exact differentiation (calculus/exact.ts). */
  readonly d1?: (x: number) => number;
  readonly d2?: (x: number) => number;
  /**
   * Optional: true at the points where the function is not twice differentiable (relu and |·| at 0, sgn at 0,
   * round at half-integers, arcsin at ±1); exact differentiation leaves such a point to the difference quotient.
   */
  readonly kink?: (x: number) => boolean;
}

export type RowLoop = (o: Float64Array, x: Float64Array, j0: number, cols: number) => boolean;

export interface Domain {
  /** True when x is outside the domain (the interpreter reports `why`; the compiled paths fall back to it). */
  readonly outside: (x: number) => boolean;
  /** Why x is outside the domain, with x printed by `show` (the interpreter adds where). */
  readonly why: (x: number, show: (x: number) => string) => string;
}

const unitArg = (y: number): number => (Math.abs(y) > 1 ? Math.sign(y) : y);
const outsideUnit = (x: number): boolean => Math.abs(x) - 1 > 1e-12;
const outsideLog = (x: number): boolean => x <= 0;
const outsideSqrt = (x: number): boolean => x < 0;
const asin = (x: number): number => Math.asin(unitArg(x));
const acos = (x: number): number => Math.acos(unitArg(x));
const logDomain: Domain = {
  outside: outsideLog,
  why: (x: number, show: (x: number) => string) => `log of a ${x === 0 ? 'zero' : 'negative'} number (${show(x)})`,
};

/** o[j] = f(x[j]); inlined into each caller above, so every function gets a loop of its own. */
function loop(o: Float64Array, x: Float64Array, j0: number, cols: number, f: (x: number) => number): boolean {
  for (let j = j0; j < cols; j++) o[j] = f(x[j]);
  return true;
}

function logRow(o: Float64Array, x: Float64Array, j0: number, cols: number): boolean {
  for (let j = j0; j < cols; j++) {
    const v = x[j];
    if (outsideLog(v)) return false;
    o[j] = Math.log(v);
  }
  return true;
}

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

const TABLE: Record<string, ScalarFunction> = {
  log: { f: Math.log, d1: (x) => 1 / x, d2: (x) => -1 / (x * x), domain: logDomain, entrywise: true, row: logRow },
  ln: { f: Math.log, d1: (x) => 1 / x, d2: (x) => -1 / (x * x), domain: logDomain, entrywise: true, row: logRow },
  lg: { f: Math.log2, d1: (x) => 1 / (x * Math.LN2), d2: (x) => -1 / (x * x * Math.LN2), domain: logDomain, entrywise: true },
  exp: { f: Math.exp, d1: Math.exp, d2: Math.exp, entrywise: true, row: (o, x, j0, cols) => loop(o, x, j0, cols, Math.exp) },
  sqrt: {
    f: Math.sqrt,
    d1: (x) => 0.5 / Math.sqrt(x),
    d2: (x) => -0.25 / (x * Math.sqrt(x)),
    kink: (x) => x === 0,
    domain: { outside: outsideSqrt, why: (x, show) => `square root of a negative number (${show(x)})` },
    entrywise: false,
    row: (o, x, j0, cols) => {
      for (let j = j0; j < cols; j++) {
        const v = x[j];
        if (outsideSqrt(v)) return false;
        o[j] = Math.sqrt(v);
      }
      return true;
    },
  },
  sin: { f: Math.sin, d1: Math.cos, d2: (x) => -Math.sin(x), entrywise: true, row: (o, x, j0, cols) => loop(o, x, j0, cols, Math.sin) },
  cos: { f: Math.cos, d1: (x) => -Math.sin(x), d2: (x) => -Math.cos(x), entrywise: true, row: (o, x, j0, cols) => loop(o, x, j0, cols, Math.cos) },
  tan: { f: Math.tan, d1: (x) => 1 / Math.cos(x) ** 2, d2: (x) => (2 * Math.tan(x)) / Math.cos(x) ** 2, entrywise: true },
  cot: { f: (x) => 1 / Math.tan(x), d1: (x) => -1 / Math.sin(x) ** 2, d2: (x) => (2 * Math.cos(x)) / Math.sin(x) ** 3, entrywise: false },
  sec: { f: (x) => 1 / Math.cos(x), d1: (x) => Math.sin(x) / Math.cos(x) ** 2, d2: (x) => (1 + Math.sin(x) ** 2) / Math.cos(x) ** 3, entrywise: false },
  csc: { f: (x) => 1 / Math.sin(x), d1: (x) => -Math.cos(x) / Math.sin(x) ** 2, d2: (x) => (1 + Math.cos(x) ** 2) / Math.sin(x) ** 3, entrywise: false },
  arcsin: {
    f: asin,
    d1: (x) => 1 / Math.sqrt(1 - x * x),
    d2: (x) => x / (1 - x * x) ** 1.5,
    kink: (x) => Math.abs(x) >= 1,
    domain: { outside: outsideUnit, why: (x, show) => `arcsin of ${show(x)} (outside [−1, 1])` },
    entrywise: false,
    row: (o, x, j0, cols) => {
      for (let j = j0; j < cols; j++) {
        const v = x[j];
        if (outsideUnit(v)) return false;
        o[j] = asin(v);
      }
      return true;
    },
  },
  arccos: {
    f: acos,
    d1: (x) => -1 / Math.sqrt(1 - x * x),
    d2: (x) => -x / (1 - x * x) ** 1.5,
    kink: (x) => Math.abs(x) >= 1,
    domain: { outside: outsideUnit, why: (x, show) => `arccos of ${show(x)} (outside [−1, 1])` },
    entrywise: false,
    row: (o, x, j0, cols) => {
      for (let j = j0; j < cols; j++) {
        const v = x[j];
        if (outsideUnit(v)) return false;
        o[j] = acos(v);
      }
      return true;
    },
  },
  arctan: { f: Math.atan, d1: (x) => 1 / (1 + x * x), d2: (x) => (-2 * x) / ((1 + x * x) * (1 + x * x)), entrywise: true },
  sinh: { f: Math.sinh, d1: Math.cosh, d2: Math.sinh, entrywise: true },
  cosh: { f: Math.cosh, d1: Math.sinh, d2: Math.cosh, entrywise: true },
  tanh: { f: Math.tanh, d1: (x) => 1 - Math.tanh(x) ** 2, d2: (x) => -2 * Math.tanh(x) * (1 - Math.tanh(x) ** 2), entrywise: true, row: (o, x, j0, cols) => loop(o, x, j0, cols, Math.tanh) },
  sgn: { f: Math.sign, d1: () => 0, d2: () => 0, kink: (x) => x === 0, entrywise: true },
  round: { f: Math.round, d1: () => 0, d2: () => 0, kink: (x) => Number.isInteger(x - 0.5), entrywise: false },
  sigmoid: { f: sigmoid, d1: (x) => sigmoid(x) * (1 - sigmoid(x)), d2: (x) => sigmoid(x) * (1 - sigmoid(x)) * (1 - 2 * sigmoid(x)), entrywise: true },
  relu: { f: (x) => Math.max(0, x), d1: (x) => (x > 0 ? 1 : 0), d2: () => 0, kink: (x) => x === 0, entrywise: false },
};

/** The scalar function called `name` (after the parser's renaming: `\operatorname{sign}` is `sgn`), if any. */
export function scalarFunction(name: string): ScalarFunction | undefined {
  return Object.prototype.hasOwnProperty.call(TABLE, name) ? TABLE[name] : undefined;
}
