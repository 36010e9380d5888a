// Compiled scalar step of a recurrence: the update expressions of `iterate` are compiled once per sweep point into
// nested closures over one Float64Array (the closures of fastfamily.ts; no code is generated from document text).
// Slots: x_t of each iterated variable, then the step counter t, then x_{t+1} of the variables already updated
// (a later equation may use an earlier one's new value). Everything fixed during the run (given values, sweep
// value, definitions that do not change with t) is folded in as a constant; definitions that change with t are
// compiled in place. Only scalar states without per-step draws are compiled; anything else (vectors, user
// functions, sums, …) makes the compiler return undefined and the stepper keeps the interpreter.
// The closures do the interpreter's operations in the same order, so the numbers are bit-identical; any case where
// the interpreter would raise an error (division by zero, log of a negative number, …) bails out and the caller
// re-runs that step through the interpreter, which reports the error exactly as before.
import type { Node } from '../parser/ast';
import { evalLet, evalRef } from '../evaluation/evaluate';
import { StopError, type Ref, type Scope } from '../evaluation/scope';
import { compileEntry, type EntryFn, type FastEnv } from './entry';

/** Writes x_{t+1} into `out` from x_t; throws FastPathBail when the interpreter must take the step. */
export type CompiledStep = (x: Float64Array, t: number, out: Float64Array) => void;

interface ScalarSlot {
  base: string;
  offset: number;
}

/** Nesting of definitions compiled in place (a cycle is reported by the interpreter). */
const MAX_INLINE = 64;

/**
 * The compiled step for scalar state variables `slots` (x has one number per variable), evaluated in `sim` (the
 * stepper's scope); undefined when some update is outside the compiled subset.
 */
export function compileScalarStep(sim: Scope, slots: ScalarSlot[], dim: number): CompiledStep | undefined {
  const prog = sim.run.prog;
  if (prog.perStep.size > 0 || sim.run.interpretOnly) return undefined;
  const tSlot = dim;
  const nextBase = dim + 1;
  const offsetOf = new Map(slots.map((s) => [s.base, s.offset]));
  // variables whose x_{t+1} is known when the current equation is compiled
  const updated = new Set<string>();
  const inlining = new Set<string>();
  // a fixed value that is a number (anything else, or an error, leaves the symbol to the interpreter)
  const isNumber = (ref: Ref, n: Node): boolean => {
    try {
      return typeof (ref.r === 'let' ? evalLet(ref.key, sim, n) : evalRef(ref, sim, n)) === 'number';
    } catch (e) {
      if (e instanceof StopError) throw e;
      return false;
    }
  };
  const fixedRef = (ref: Ref): boolean => ref.r === 'val' || ref.r === 'const' || (ref.r === 'let' && !prog.dynamicLets.has(ref.key));
  const env: FastEnv = {
    slotOf: () => undefined,
    constSym(n) {
      const ref = prog.refs.get(n);
      if (!ref || !fixedRef(ref)) return undefined;
      try {
        return ref.r === 'let' ? evalLet(ref.key, sim, n) : evalRef(ref, sim, n);
      } catch (e) {
        if (e instanceof StopError) throw e;
        return undefined;
      }
    },
    indexedSym(n) {
      const ref = prog.refs.get(n);
      if (!ref || ref.r !== 'index' || !fixedRef(ref.base)) return undefined;
      try {
        return { base: ref.base.r === 'let' ? evalLet(ref.base.key, sim, n) : evalRef(ref.base, sim, n), idx: ref.idx };
      } catch (e) {
        if (e instanceof StopError) throw e;
        return undefined;
      }
    },
    isStatic: () => false,
    nodeFn(n) {
      if (n.k === 'app') {
        // `w_t (1 - w_t)`: a product (the interpreter's mul of two numbers)
        const ar = prog.appRefs.get(n);
        if (!ar || ar.r !== 'mul' || n.args.length !== 1) return false;
        const a = compileEntry(n.f, env);
        const b = a && compileEntry(n.args[0], env);
        if (!a || !b) return false;
        return (ix) => a(ix) * b(ix);
      }
      if (n.k !== 'sym') return undefined;
      const ref = prog.refs.get(n);
      if (!ref) return false;
      switch (ref.r) {
        case 'state': {
          const off = offsetOf.get(ref.base);
          if (off === undefined) return false;
          if (!ref.next) return (ix) => ix[off];
          if (!updated.has(ref.base)) return false;
          const slot = nextBase + off;
          return (ix) => ix[slot];
        }
        case 'time':
          return (ix) => ix[tSlot];
        case 'let': {
          if (!prog.dynamicLets.has(ref.key)) return isNumber(ref, n) ? undefined : false;
          const def = prog.lets.get(ref.key);
          if (!def || def.kind !== 'value' || def.sqrtOf || inlining.has(ref.key) || inlining.size >= MAX_INLINE) return false;
          inlining.add(ref.key);
          try {
            return compileEntry(def.expr, env) ?? false;
          } finally {
            inlining.delete(ref.key);
          }
        }
        case 'val':
        case 'const':
          return isNumber(ref, n) ? undefined : false;
        case 'index':
          return undefined;
        default:
          return false;
      }
    },
  };
  const fns: { f: EntryFn; slot: number }[] = [];
  for (const eq of prog.equations) {
    const off = offsetOf.get(eq.base);
    if (off === undefined) return undefined;
    let f: EntryFn | undefined;
    try {
      f = compileEntry(eq.expr, env);
    } catch (e) {
      if (e instanceof StopError) throw e;
      return undefined;
    }
    if (!f) return undefined;
    fns.push({ f, slot: nextBase + off });
    updated.add(eq.base);
  }
  if (updated.size !== slots.length) return undefined;
  const ix = new Float64Array(2 * dim + 1);
  if (dim === 1 && fns.length === 1) {
    // the common case of one scalar recurrence
    const f = fns[0].f;
    return (x, t, out) => {
      ix[0] = x[0];
      ix[1] = t;
      const y = f(ix);
      ix[2] = y;
      out[0] = y;
    };
  }
  return (x, t, out) => {
    for (let i = 0; i < dim; i++) ix[i] = x[i];
    ix[tSlot] = t;
    for (const { f, slot } of fns) ix[slot] = f(ix);
    for (let i = 0; i < dim; i++) out[i] = ix[nextBase + i];
  };
}
