// Messages between the extension host and the GitHub-MathJax worker (dist/texWorker.js).
import type { TexProblem } from '../core/tex/types';

export interface TexFormula {
  tex: string;
  display: boolean;
}

export type ToTexWorker = { type: 'validate'; id: number; formulas: TexFormula[] } | { type: 'cancel'; id: number };

export type FromTexWorker =
  | { type: 'batch'; id: number; results: { tex: string; display: boolean; problems: TexProblem[] }[] }
  | { type: 'done'; id: number; validated: number }
  | { type: 'failed'; id: number; message: string };
