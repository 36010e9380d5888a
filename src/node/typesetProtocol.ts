// Messages between the extension host and the MathJax typeset worker (src/node/typesetWorker.ts).
import type { FormulaRequest } from '../core/render/mathjaxFormulas';
import type { TypesetResult } from '../core/render/mathjaxTypeset';

export interface ToTypesetWorker {
  id: number;
  formulas: FormulaRequest[];
}

export interface FromTypesetWorker {
  id: number;
  results: TypesetResult[];
}
