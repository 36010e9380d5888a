// Messages between the extension host and the MathJax typeset worker (src/node/typesetWorker.ts).
import type { FormulaRequest } from '../core/render/mathjaxFormulas';

export interface ToTypesetWorker {
  id: number;
  formulas: FormulaRequest[];
}

export interface FromTypesetWorker {
  id: number;
  /** `refused`: the red text GitHub shows instead of the formula. */
  results: { key: string; svg: string; refused?: string; error?: string }[];
}
