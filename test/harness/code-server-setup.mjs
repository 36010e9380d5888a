// Shared by the harness runners (run-integration.mjs, run-web-tests.mjs): running a command with streamed output,
// and installing/locating one code-server version through setup-code-server.sh.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Runs a command, streaming its output; resolves with the exit code and the captured stdout. */
export function run(cmd, args, env = {}, capture = false) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      if (!capture) process.stdout.write(d);
    });
    child.on('close', (code) => resolve({ code: code ?? 1, out }));
  });
}

/** Sets up code-server `version` (idempotent); resolves with the CODE_SERVER_* variables the setup exports. */
export async function setup(version) {
  const r = await run('bash', [path.join(root, 'test/harness/setup-code-server.sh')], { CODE_SERVER_VERSION: version }, true);
  if (r.code !== 0) throw new Error(`setting up code-server ${version} failed (exit ${r.code})`);
  const env = {};
  for (const m of r.out.matchAll(/^export (\w+)=(.*)$/gm)) env[m[1]] = m[2];
  if (!env.CODE_SERVER_DIR) throw new Error(`setup of code-server ${version} printed no CODE_SERVER_DIR`);
  return env;
}
