// The files a command works on: the expanded arguments minus those an ignore rule leaves out (src/node/ignoreFilter.ts).
// A file named on the command line that a rule excludes is left out too, with a note on stderr (as ESLint does), so
// hooks that pass every staged file (pre-commit) respect the project's exclusions.
import type { IgnoreFilter } from '../node/ignoreFilter';

export interface Selected {
  kept: string[];
  /** One line per explicitly named file that was left out. */
  notes: string[];
}

export async function selectFiles(
  files: readonly string[],
  positionals: readonly string[],
  filter: IgnoreFilter,
  configIgnores: (file: string) => Promise<{ dir: string; patterns: readonly string[] } | undefined>,
): Promise<Selected> {
  const named = new Set(positionals);
  const kept: string[] = [];
  const notes: string[] = [];
  for (const file of files) {
    const why = await filter.reason(file, await configIgnores(file));
    if (why === undefined) kept.push(file);
    else if (named.has(file)) notes.push(`math-writeup: ${file}: left out (ignored by ${why}; use --no-ignore to lint it)`);
  }
  return { kept, notes };
}
