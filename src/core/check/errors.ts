// Errors of the check engine: a located problem, an undefined value, an undecided claim, a shape mismatch.

/** A problem at a place in the document (document offsets, UTF-16). */
export class CheckError extends Error {
  constructor(message: string, readonly start: number, readonly end: number) {
    super(message);
  }
}

/** A formula that is undefined at the current point (log of a negative number, 0/0, …). */
export class UndefinedError extends Error {
  constructor(message: string, readonly start = -1, readonly end = -1) {
    super(message);
  }
}

/**
 * The engine cannot decide a value (a side of a claim overflowed, T_ε was not reached within the steps, a
 * statistical estimate is undecided): the check ends with status error and this reason — never pass, never fail.
 */
export class UndecidedError extends CheckError {}

/** T_ε was not reached within the simulated steps: T_ε > `after` (a minimum over a sweep may still use it). */
export class NotReachedError extends UndecidedError {
  constructor(message: string, start: number, end: number, readonly after: number) {
    super(message, start, end);
  }
}

/** Shape or type error raised by an operation; the evaluator turns it into a CheckError at the operator. */
export class ShapeError extends Error {}

