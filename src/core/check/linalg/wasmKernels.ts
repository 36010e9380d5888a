// The check engine's dense kernels in WebAssembly with 128-bit SIMD (wasm/kernels.wat): the Cholesky factorisation
// that certifies extreme eigenvalues runs about twice as fast as the best scalar JavaScript. Instantiated once, on
// first use, from bytes compiled into the bundle; where WebAssembly or its SIMD is unavailable, `wasmKernels()`
// returns undefined and the engine keeps its JavaScript kernels (same results up to summation order).
import { KERNELS_WASM } from './wasm/kernels';

// The part of the WebAssembly JavaScript API used here (a global of every JavaScript engine this runs on; the core
// compiles without the DOM library, which is where TypeScript declares it).
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
declare const WebAssembly: {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
};

interface Exports {
  memory: WasmMemory;
  /** Rows i0…i1 − 1 one at a time; 0, or 1 + the row whose pivot is not positive. */
  cholRows(a: number, l: number, n: number, sign: number, sigma: number, i0: number, i1: number): number;
  /** The same two rows at a time (a 2×2 register block). */
  cholRows2(a: number, l: number, n: number, sign: number, sigma: number, i0: number, i1: number): number;
}

export interface WasmKernels {
  /**
   * Cholesky factor of sign·A − σI into `out` (n·n, row-major lower triangle; the upper triangle is left as it was)
   * and true, or false when a pivot is not positive. `poll` runs between blocks of rows (time limit, cancel).
   */
  cholesky(A: Float64Array, n: number, sign: 1 | -1, sigma: number, out: Float64Array, poll?: () => void): boolean;
}

/** Rows per call (even): row i costs about i·n/2 multiply-adds, so a call is ≲ 3·10⁶ of them — `poll` runs every
 * millisecond or so whatever n is. */
function rowsPerCall(n: number): number {
  return 2 * Math.max(1, Math.floor(3e6 / (n * n)));
}

let instance: Exports | null | undefined;

function load(): Exports | null {
  if (instance !== undefined) return instance;
  instance = null;
  try {
    if (typeof WebAssembly !== 'object' || WebAssembly === null) return null;
    const bytes = new Uint8Array(KERNELS_WASM);
    if (!WebAssembly.validate(bytes)) return null; // e.g. an engine without SIMD
    const ex = new WebAssembly.Instance(new WebAssembly.Module(bytes), {}).exports as unknown as Exports;
    instance = ex;
  } catch {
    instance = null;
  }
  return instance;
}

let kernels: WasmKernels | null | undefined;

/** The kernels, or undefined when this engine cannot run them. */
export function wasmKernels(): WasmKernels | undefined {
  if (kernels !== undefined) return kernels ?? undefined;
  const ex = load();
  if (!ex) {
    kernels = null;
    return undefined;
  }
  const memory = ex.memory;
  /** A view of the memory with room for `bytes` (growing it when needed; views die with a grow). */
  const viewFor = (bytes: number): Float64Array => {
    const have = memory.buffer.byteLength;
    if (have < bytes) memory.grow(Math.ceil((bytes - have) / 65536));
    return new Float64Array(memory.buffer);
  };
  kernels = {
    cholesky(A, n, sign, sigma, out, poll) {
      const size = n * n;
      // A at offset 0, L after it (byte offsets)
      const heap = viewFor(2 * size * 8);
      heap.set(A.length === size ? A : A.subarray(0, size), 0);
      const step = rowsPerCall(n);
      for (let i = 0; i < n; i += step) {
        if (poll) poll();
        if (ex.cholRows2(0, size * 8, n, sign, sigma, i, Math.min(n, i + step)) !== 0) return false;
      }
      // only the lower triangle is meaningful: copy row prefixes (the caller's upper triangle stays as it was)
      const L = new Float64Array(memory.buffer, size * 8, size);
      for (let i = 0, r = 0; i < n; i++, r += n) out.set(L.subarray(r, r + i + 1), r);
      return true;
    },
  };
  return kernels;
}
