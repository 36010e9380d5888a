// The one table of scalar functions of the check language (\log, \tanh, \sigma, \operatorname{relu}, …): name →
// implementation, domain rule and whether the function acts entrywise on vectors and matrices. The interpreter
// (evaluation/evaluate.ts `scalarFn`), the compiled entry and row kernels (kernels/fastfamily.ts) and the compiled
// scalar step (kernels/faststep.ts) all read it, so a domain rule or a value is written once.

export interface ScalarFunction {
  /** The value at x (inside the domain; arcsin/arccos clamp arguments within 1e-12 of ±1). */
  readonly f: (x: number) => number;
  /** The domain, when it is not all numbers (NaN is inside: it propagates). */
  readonly domain?: Domain;
  /** Applied entry by entry to a vector or matrix (`\tanh(W h)`, `\exp(v)`); the others need a number. */
  readonly entrywise: boolean;
}

export interface Domain {
  /** True when x is outside the domain (the interpreter reports `why`; the compiled paths fall back to it). */
  readonly outside: (x: number) => boolean;
  /** Why x is outside the domain, with x printed by `show` (the interpreter adds where). */
  readonly why: (x: number, show: (x: number) => string) => string;
}

const unitArg = (y: number): number => (Math.abs(y) > 1 ? Math.sign(y) : y);
const outsideUnit = (x: number): boolean => Math.abs(x) - 1 > 1e-12;
const logDomain: Domain = {
  outside: (x: number) => x <= 0,
  why: (x: number, show: (x: number) => string) => `log of a ${x === 0 ? 'zero' : 'negative'} number (${show(x)})`,
};

const TABLE: Record<string, ScalarFunction> = {
  log: { f: Math.log, domain: logDomain, entrywise: true },
  ln: { f: Math.log, domain: logDomain, entrywise: true },
  lg: { f: Math.log2, domain: logDomain, entrywise: true },
  exp: { f: Math.exp, entrywise: true },
  sqrt: {
    f: Math.sqrt,
    domain: { outside: (x) => x < 0, why: (x, show) => `square root of a negative number (${show(x)})` },
    entrywise: false,
  },
  sin: { f: Math.sin, entrywise: true },
  cos: { f: Math.cos, entrywise: true },
  tan: { f: Math.tan, entrywise: true },
  cot: { f: (x) => 1 / Math.tan(x), entrywise: false },
  sec: { f: (x) => 1 / Math.cos(x), entrywise: false },
  csc: { f: (x) => 1 / Math.sin(x), entrywise: false },
  arcsin: { f: (x) => Math.asin(unitArg(x)), domain: { outside: outsideUnit, why: (x, show) => `arcsin of ${show(x)} (outside [−1, 1])` }, entrywise: false },
  arccos: { f: (x) => Math.acos(unitArg(x)), domain: { outside: outsideUnit, why: (x, show) => `arccos of ${show(x)} (outside [−1, 1])` }, entrywise: false },
  arctan: { f: Math.atan, entrywise: true },
  sinh: { f: Math.sinh, entrywise: true },
  cosh: { f: Math.cosh, entrywise: true },
  tanh: { f: Math.tanh, entrywise: true },
  sgn: { f: Math.sign, entrywise: true },
  round: { f: Math.round, entrywise: false },
  sigmoid: { f: (x) => 1 / (1 + Math.exp(-x)), entrywise: true },
  relu: { f: (x) => Math.max(0, x), entrywise: false },
};

/** The scalar function called `name` (after the parser's renaming: `\operatorname{sign}` is `sgn`), if any. */
export function scalarFunction(name: string): ScalarFunction | undefined {
  return Object.prototype.hasOwnProperty.call(TABLE, name) ? TABLE[name] : undefined;
}
