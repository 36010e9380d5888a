// Messages between the extension host and the lint worker (dist/lintWorker.js).
import type { LintConfig } from '../core/lint/types';
import type { Finding } from '../core/types';
import type { IncrementalLintStats } from '../core/lint/incremental';

export interface LintRequest {
  type: 'lint';
  id: number;
  /** Identity of the document: a newer request for the same key supersedes an older one. */
  key: string;
  text: string;
  config: Partial<LintConfig>;
  /** Also validate the formulas with GitHub's MathJax and send a second, complete answer if that adds anything. */
  mathjax: boolean;
}

export type ToLintWorker = LintRequest;

/** `lintMs`: time in the linter; `queuedMs`: time the request waited in the worker before that. */
export type FromLintWorker =
  | { type: 'findings'; id: number; phase: 'fast' | 'mathjax'; findings: Finding[]; lintMs: number; queuedMs: number; stats: IncrementalLintStats }
  | { type: 'superseded'; id: number }
  | { type: 'failed'; id: number; message: string };
