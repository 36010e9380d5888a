// The CLI's only window on the outside world, so commands can be run in-process by tests.
// `stdout`/`stderr` write `s` as is: callers include the trailing newline.
export interface CliIO {
  stdout(s: string): void;
  stderr(s: string): void;
  cwd: string;
}
