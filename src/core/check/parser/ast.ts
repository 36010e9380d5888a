// Syntax tree of the check language. Offsets (s, e) are document offsets (UTF-16).
import type { Tok } from './lexer';

interface Loc {
  s: number;
  e: number;
}

/** A name as written: base (`w`, `\sigma`, `\hat{y}`), decoration (`^{\star}`), subscript tokens. */
export interface SymNode extends Loc {
  k: 'sym';
  base: string;
  deco: string;
  sub?: Tok[];
  /** Canonical key of the full name, e.g. `\sigma_{\max}`, `w^{\star}`, `w_{0}`. */
  key: string;
  /** Key without the subscript (base + decoration). */
  baseKey: string;
}

export type Measure = 'converges' | 'bounded' | 'diverges' | 'rate' | 'T' | 'limit' | 'iterations';

export type Node = Loc &
  (
    | { k: 'num'; v: number }
    | Omit<SymNode, 's' | 'e'>
    | { k: 'const'; name: 'pi' | 'e' | 'infty' | 'I'; }
    | { k: 'zeros' | 'ones'; size: Node }
    | { k: 'eyeN'; size: Node }
    | { k: 'bin'; op: '+' | '-' | '*' | '/' | 'dot' | 'pow'; a: Node; b: Node }
    | { k: 'neg'; a: Node }
    | { k: 'not'; a: Node }
    | { k: 'logic'; op: 'iff' | 'implies' | 'and' | 'or'; a: Node; b: Node }
    | { k: 'rel'; ops: RelOp[]; items: Node[] }
    | { k: 'fn'; name: string; args: Node[]; base?: Node }
    | { k: 'app'; f: SymNode; args: Node[] }
    | { k: 'abs'; a: Node }
    | { k: 'norm'; a: Node; p: '2' | 'F' | '1' | 'inf' }
    /**
     * `A^\top`, `A^T`. Written with the letter T (`letter` holds the T), it is read as a power when the base is a
     * number and T is defined (`\gamma^T` with T = 5, or T bound by `\forall T`): `pow` is that T, set by `link`.
     */
    | { k: 'transpose'; a: Node; letter?: Node; pow?: Node }
    | { k: 'ceil' | 'floor'; a: Node }
    | { k: 'fact'; a: Node }
    | { k: 'matrix'; rows: Node[][] }
    | { k: 'tuple'; items: Node[] }
    | { k: 'set'; items: Node[] }
    | { k: 'interval'; lo: Node; hi: Node }
    | { k: 'sumprod'; op: 'sum' | 'prod'; v: string; lo: Node; hi: Node; body: Node }
    | ({ k: 'agg'; op: 'min' | 'max' | 'argmin' | 'argmax'; body: Node } & StepRange)
    | ({ k: 'forall'; body: Node } & StepRange)
    | { k: 'indicator'; cond: Node }
    | { k: 'E'; body: Node }
    | { k: 'grad'; order: 1 | 2; f: Node; at?: Node[] }
    | { k: 'partial'; order: number; f: Node; wrt: SymNode[] }
    | { k: 'measure'; m: Measure; eps?: Node; of?: SymNode }
    | { k: 'index'; base: Node; idx: Node[] }
    | { k: 'dist'; name: 'N' | 'U'; args: Node[] }
  );

/**
 * The bound variable of `\max_{t \le T}`, `\min_t`, `\forall t \le T:` (steps of an iterate; for `\max_\eta` a
 * swept variable): lower and upper bound as written, `strict` when written with `<`.
 */
export interface StepRange {
  v: SymNode;
  lo?: Node;
  loStrict?: boolean;
  hi?: Node;
  hiStrict?: boolean;
}

export type RelOp = '<' | '<=' | '>' | '>=' | '=' | '~=' | '!=' | 'in';

/** A binding of `given` or `let`. */
export type Binding = Loc & {
  /** Location of the bound name. */
  nameS: number;
  nameE: number;
  key: string;
  display: string;
} & (
    | { kind: 'value'; expr: Node; sqrtOf?: boolean }
    | {
        kind: 'draw';
        dist: Node & { k: 'dist' };
        dims: Node[];
        /** The step letter of `\xi_t \sim …` (a fresh draw per step when it is the iterate's). */
        perStep?: string;
        /** Key of the full name (`\sigma_{i}`), used when the subscript is not the step index. */
        ownKey?: string;
        /** `\text{fixed}`: drawn once, the same in every trial. */
        fixed?: boolean;
      }
    | { kind: 'each'; set: Node }
    | { kind: 'func'; params: string[]; expr: Node }
    | { kind: 'family'; indices: string[]; ranges: [Node, Node][]; expr: Node }
  );

export interface Equation extends Loc {
  base: string;
  /** Subscript tokens of the left side (`t+1`). */
  sub: Tok[];
  display: string;
  nameS: number;
  nameE: number;
  expr: Node;
}

export interface Sweep extends Loc {
  key: string;
  display: string;
  nameS: number;
  nameE: number;
  range: Node;
  log?: boolean;
  points?: number;
}
