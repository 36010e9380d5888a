// The line "Run all checks" ends with (no `vscode` import: unit tests read it directly).
import type { CheckResult } from '../core/check/types';

/** The summary of a run of several checks: counts, then the titles of the checks that failed or stopped. */
export function runSummary(results: readonly CheckResult[]): { passed: number; failed: number; errors: number; text: string } {
  const passed = results.filter((r) => r.status === 'pass').length;
  const failedOnes = results.filter((r) => r.status === 'fail');
  const errorOnes = results.filter((r) => r.status !== 'pass' && r.status !== 'fail');
  const n = results.length;
  let text = `${n} check${n === 1 ? '' : 's'}: ${passed} passed, ${failedOnes.length} failed, ${errorOnes.length} error${errorOnes.length === 1 ? '' : 's'}.`;
  const quote = (r: CheckResult) => `"${r.title || `line ${r.line + 1}`}"`;
  if (failedOnes.length > 0) text += ` Failed: ${failedOnes.map(quote).join(', ')}.`;
  if (errorOnes.length > 0) text += ` Errors: ${errorOnes.map(quote).join(', ')}.`;
  return { passed, failed: failedOnes.length, errors: errorOnes.length, text };
}
