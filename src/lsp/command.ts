// `math-writeup lsp --stdio`: the language server on standard input/output (the transport every LSP client
// supports). Runs until the client sends `exit` (or closes standard input).
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import type { CliIO } from '../cli/io';
import { UsageError } from '../cli/args';
import { defaultRegistry } from '../core/lint/registry';
import type { LintConfig } from '../core/lint/types';
import { GithubValidator } from '../core/tex/mathjax';
import { findConfigFile, loadConfigFile } from '../node/configFile';
import { findAsset } from '../node/assets';
import { MathWriteupServer, type ServerHost } from './server';

export const LSP_USAGE = `Usage: math-writeup lsp --stdio

Starts the Math Writeup language server (Language Server Protocol over standard input/output) for editors
other than VS Code: Neovim, Helix, Emacs (eglot), Zed, … See "Other editors" in the README.`;

/** The Node side of the server: configuration files from disk, rule docs shipped with the package. */
export function nodeServerHost(): ServerHost {
  const registry = defaultRegistry();
  const byDir = new Map<string, Promise<Partial<LintConfig> | undefined>>();
  const docsRoot = findAsset('docs', 'rules');
  return {
    loadFileConfig(uri) {
      if (!uri.startsWith('file:')) return Promise.resolve(undefined); // untitled or virtual documents
      const dir = path.dirname(fileURLToPath(uri));
      let p = byDir.get(dir);
      if (!p) {
        p = findConfigFile(dir).then((f) => (f ? loadConfigFile(f, registry) : undefined));
        byDir.set(dir, p);
      }
      return p;
    },
    forgetFileConfigs: () => byDir.clear(),
    // The rule pages shipped with the package (offline, and they match the installed version).
    docsHref: (docs) => (docsRoot ? pathToFileURL(path.join(docsRoot, path.basename(docs))).href : undefined),
    validator: new GithubValidator(),
  };
}

export async function runLspCommand(args: string[], io: CliIO): Promise<number> {
  if (args.includes('-h') || args.includes('--help')) {
    io.stdout(LSP_USAGE + '\n');
    return 0;
  }
  const unknown = args.filter((a) => a !== '--stdio');
  if (unknown.length > 0) throw new UsageError(`lsp: unknown option ${unknown[0]} (the server speaks over --stdio)`);
  const connection = createConnection(ProposedFeatures.all, process.stdin, process.stdout);
  new MathWriteupServer(connection, nodeServerHost());
  connection.listen();
  // The connection ends the process on `exit` (code 0 after `shutdown`, else 1); until then, keep running.
  return new Promise<number>((resolve) => {
    process.stdin.on('end', () => resolve(0));
  });
}
