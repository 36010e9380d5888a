// What the lint and check commands hand to their output formats (text, json, sarif, github, junit, step summary).
import type { CheckResult } from '../../core/check/types';
import type { Finding } from '../../core/types';

export interface LintFileResult {
  /** The path as the user named it (relative to the working directory, or as given). */
  file: string;
  /** A file problem (unreadable, binary, bad config) instead of findings. */
  error?: string;
  findings: Finding[];
  /** The linted text (after --fix): fixes are positioned against it. */
  text?: string;
  fixed?: { count: number; byRule: Record<string, number> };
}

export interface CheckFileOutcome {
  file: string;
  results: CheckResult[];
}

/** Collapse line breaks so a message stays on one output line. */
export function oneLine(s: string): string {
  return s.replace(/\s*(?:\r\n|\r|\n)\s*/g, ' ').trim();
}
