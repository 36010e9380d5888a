// The CLI's only window on the outside world, so commands can be run in-process by tests.
// `stdout`/`stderr` write `s` as is: callers include the trailing newline.
export interface CliIO {
  stdout(s: string): void;
  stderr(s: string): void;
  cwd: string;
}

/** File names in text output go through this (control characters escaped); JSON output carries them verbatim. */
export { escapeFileName } from '../node/files';
