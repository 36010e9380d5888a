// Entry of the `math-writeup` CLI (bundled to dist/cli.js; bin/math-writeup.js calls `main()`).
// `runCli` is the whole CLI as a function of (argv, io, stdin) so tests run it in-process.
// Nothing escapes as a stack trace: every error becomes one line on stderr and exit code 2
// (`--debug` or MATH_WRITEUP_DEBUG=1 adds the stack).
import type { CliIO } from './io';
import { UsageError } from './args';
import type { Registry } from '../core/lint/registry';
import { version } from './version';

export const USAGE = `Usage: math-writeup <command> [options]

Commands:
  lint <files|dirs|globs…>   check Markdown math against GitHub's rules (and VS Code's preview); --fix repairs
  scan <file|->              list the formulas GitHub renders and the near misses
  check <files…>             run the numeric checks of \`\`\`check blocks
  render <file> -o <out.html> write the writeup as one self-contained HTML page (KaTeX, like the preview)
  lsp --stdio                the language server for Neovim, Helix, Emacs, … (Language Server Protocol)

Options:
  -h, --help      show help (also "math-writeup <command> --help")
  -v, --version   print the version
  --debug         print stack traces of internal errors (or set MATH_WRITEUP_DEBUG=1)`;

export { version };

/** Read all of standard input as UTF-8 (invalid UTF-8 or a NUL byte is an error naming stdin). */
export function readStdin(): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    process.stdin.on('data', (c: Buffer) => chunks.push(c));
    process.stdin.on('error', reject);
    process.stdin.on('end', () => {
      const buf = Buffer.concat(chunks);
      if (buf.includes(0)) {
        reject(new Error('standard input: binary data (NUL byte)'));
        return;
      }
      try {
        resolve(new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(buf));
      } catch {
        reject(new Error('standard input: not valid UTF-8'));
      }
    });
  });
}

export interface CliDeps {
  /** Lint rules to use instead of the project's (for tests). */
  registry?: Registry;
  /** `lint` validates formulas with GitHub's MathJax in a worker thread (the real process; see main()). */
  mathjaxWorker?: boolean;
}

/** Run the CLI; resolves to the exit code. Never rejects. */
export async function runCli(
  argv: string[],
  io: CliIO,
  stdin: () => Promise<string> = readStdin,
  deps: CliDeps = {},
): Promise<number> {
  // --debug is global: accepted anywhere before a `--`.
  const dd = argv.indexOf('--');
  const isDebugFlag = (a: string, i: number): boolean => a === '--debug' && (dd < 0 || i < dd);
  const debug = argv.some(isDebugFlag) || process.env.MATH_WRITEUP_DEBUG === '1';
  const cleaned = argv.filter((a, i) => !isDebugFlag(a, i));
  const [command, ...args] = cleaned;
  try {
    switch (command) {
      case undefined:
        io.stderr(USAGE + '\n');
        return 2;
      case '-h':
      case '--help':
      case 'help':
        io.stdout(USAGE + '\n');
        return 0;
      case '-v':
      case '--version':
        io.stdout(version() + '\n');
        return 0;
      case 'lint':
        // Each command loads its modules on first use: startup stays small (a --cache hit loads no rules).
        return await (await import('./lint')).runLintCommand(args, io, deps.registry, stdin, deps.mathjaxWorker === true);
      case 'scan':
        return await (await import('./scan')).runScanCommand(args, io, stdin);
      case 'check':
        return await (await import('./check')).runCheckCommand(args, io);
      case 'render':
        return await (await import('./render')).runRenderCommand(args, io);
      case 'lsp':
        return await (await import('../lsp/command')).runLspCommand(args, io);
      default:
        throw new UsageError(
          command.startsWith('-')
            ? `unknown option ${command}; run "math-writeup --help" for usage`
            : `unknown command "${command}"; commands are lint, scan, check, render (run "math-writeup --help")`,
        );
    }
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`math-writeup: ${e.message}\n`);
      return 2;
    }
    const msg = e instanceof Error ? e.message : String(e);
    io.stderr(`math-writeup: ${msg.split('\n')[0]}${debug ? '' : ' (run with --debug for details)'}\n`);
    if (debug && e instanceof Error && e.stack) io.stderr(e.stack + '\n');
    return 2;
  }
}

/** Process entry: real stdio, exit code via process.exitCode so pending output is flushed. */
export function main(): void {
  const io: CliIO = {
    stdout: (s) => void process.stdout.write(s),
    stderr: (s) => void process.stderr.write(s),
    cwd: process.cwd(),
    isTTY: process.stdout.isTTY === true,
    env: process.env,
  };
  // A closed pipe (`math-writeup lint . | head`) is not an error worth a stack trace.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  });
  runCli(process.argv.slice(2), io, readStdin, { mathjaxWorker: true }).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`math-writeup: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exitCode = 2;
    },
  );
}

if (require.main === module) main();

/** Entry of the GitHub Action (bin/math-writeup-action.js), loaded on use. */
export function actionMain(): void {
  void import('../action/main').then((m) => m.actionMain());
}

/** The markdownlint custom rule (lib/markdownlint.js → `math-writeup/markdownlint`), loaded on use. */
export function markdownlintRule(): unknown {
  // A synchronous, lazy load: markdownlint requires custom rules synchronously, and the CLI should not pay for it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('../markdownlint/rule') as typeof import('../markdownlint/rule')).mathWriteupRule;
}
