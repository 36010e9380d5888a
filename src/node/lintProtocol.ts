// Messages between the extension host and the lint worker (dist/lintWorker.js).
import type { LintConfig } from '../core/lint/types';
import type { Finding } from '../core/types';
import type { IncrementalLintStats } from '../core/lint/incremental';
import type { FindingsDelta } from '../core/lint/findingsDelta';

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

/** The document was closed: drop its linter and the findings last sent for it. */
export interface ForgetRequest {
  type: 'forget';
  key: string;
}

export type ToLintWorker = LintRequest | ForgetRequest;

/**
 * The findings of an answer: in full, or as a delta against the previous findings message for the same key
 * (`baseSeq` is that message's `seq`; both sides keep the last findings per key until `forget`).
 */
export type FindingsPayload = { findings: Finding[] } | { delta: FindingsDelta; baseSeq: number };

/** `lintMs`: time in the linter; `queuedMs`: time the request waited in the worker before that. */
export type FromLintWorker =
  | ({ type: 'findings'; id: number; key: string; seq: number; phase: 'fast' | 'mathjax'; lintMs: number; queuedMs: number; stats: IncrementalLintStats } & FindingsPayload)
  | { type: 'superseded'; id: number }
  | { type: 'failed'; id: number; message: string };
