// The few assertions the web suite needs (the web worker has no Node `assert` module).
export class AssertionError extends Error {
  override name = 'AssertionError';
}

export function ok(value: unknown, message?: string): asserts value {
  if (!value) throw new AssertionError(message ?? `expected a truthy value, got ${String(value)}`);
}

export function equal<T>(actual: T, expected: T, message?: string): void {
  if (actual !== expected) throw new AssertionError(message ?? `expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
}

export function deepEqual<T>(actual: T, expected: T, message?: string): void {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a !== e) throw new AssertionError(message ?? `expected ${e}, got ${a}`);
}

export function match(actual: string, re: RegExp, message?: string): void {
  if (!re.test(actual)) throw new AssertionError(message ?? `expected ${JSON.stringify(actual.slice(0, 500))} to match ${re}`);
}
