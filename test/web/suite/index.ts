// Entry of the web-extension test suite (bundled by test/harness/run-web-tests.mjs for the web-worker extension
// host, with mocha's browser build). Writes the results file the harness reads through the workspace's file
// system (the runner links it into the workspace): the web worker has no Node `fs`.
import * as vscode from 'vscode';
import 'mocha/mocha';

declare const mocha: { setup(options: Mocha.MochaOptions): void; run(done: (failures: number) => void): Mocha.Runner };

export function run(): Promise<void> {
  mocha.setup({ ui: 'tdd', reporter: undefined, timeout: 60000 });
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- registers the suite after mocha.setup
  require('./web.test');
  const results: { title: string; state: string; error?: string; durationMs?: number }[] = [];
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      const folder = vscode.workspace.workspaceFolders?.[0];
      const body = JSON.stringify({ failures, passes: results.filter((r) => r.state === 'passed').length, results }, null, 2);
      const written = folder
        ? vscode.workspace.fs.writeFile(vscode.Uri.joinPath(folder.uri, 'results.json'), new TextEncoder().encode(body))
        : Promise.resolve();
      Promise.resolve(written).then(
        () => (failures > 0 ? reject(new Error(`${failures} tests failed.`)) : resolve()),
        (e: unknown) => reject(e instanceof Error ? e : new Error(String(e))),
      );
    });
    runner.on('pass', (t: Mocha.Test) => results.push({ title: t.fullTitle(), state: 'passed', durationMs: t.duration }));
    runner.on('fail', (t: Mocha.Test, err: Error) => results.push({ title: t.fullTitle(), state: 'failed', error: String(err?.stack ?? err) }));
  });
}
