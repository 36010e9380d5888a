// The CLI's only window on the outside world, so commands can be run in-process by tests.
// `stdout`/`stderr` write `s` as is: callers include the trailing newline.
export interface CliIO {
  stdout(s: string): void;
  stderr(s: string): void;
  cwd: string;
  /** stdout is a terminal (colours by default); absent: not a terminal. */
  isTTY?: boolean;
  /** Environment variables the CLI reads (NO_COLOR); absent: none. */
  env?: Readonly<Record<string, string | undefined>>;
}

/** File names in text output go through this (control characters escaped); JSON output carries them verbatim. */
export { escapeFileName } from '../node/files';
