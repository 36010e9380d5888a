// Shared by the files-* tests: run the CLI in-process with test rules, and a fresh temporary folder per test.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../../src/cli/main';
import type { CliIO } from '../../src/cli/io';
import type { Registry } from '../../src/core/lint/registry';

export interface CliRun {
  code: number;
  out: string;
  err: string;
}

/** `math-writeup <argv>` in `cwd`, with `registry`'s rules; stdout and stderr captured. */
export async function runCliWith(registry: Registry, argv: string[], cwd: string): Promise<CliRun> {
  let out = '';
  let err = '';
  const io: CliIO = { stdout: (s) => (out += s), stderr: (s) => (err += s), cwd };
  const code = await runCli(argv, io, () => Promise.resolve(''), { registry });
  return { code, out, err };
}

/** Registers mocha hooks giving each test a fresh folder (with a `.git`, so config lookup stays inside it). */
export function useTempDir(prefix: string): { readonly dir: string; p(rel: string): string } {
  const state = { dir: '', p: (rel: string): string => path.join(state.dir, rel) };
  beforeEach(() => {
    state.dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    fs.mkdirSync(path.join(state.dir, '.git'));
  });
  afterEach(() => fs.rmSync(state.dir, { recursive: true, force: true }));
  return state;
}
