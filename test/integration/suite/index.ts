// Standard VS Code extension-test entry (extensionTestsPath): the extension host calls run(). The same module runs
// under the code-server harness (test/harness/run-code-server-tests.mjs) and under @vscode/test-electron.
import * as fs from 'fs';
import * as path from 'path';
import Mocha from 'mocha';

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'tdd', color: false, timeout: 60000 });
  const grep = process.env.MW_TEST_GREP;
  if (grep) mocha.grep(grep);
  // Restricted Mode tests need workspace trust on and the folder untrusted (the harness's MW_WORKSPACE_TRUST run);
  // every other test needs a trusted workspace. Each run takes its own files.
  const restricted = process.env.MW_WORKSPACE_TRUST === 'untrusted';
  for (const f of fs.readdirSync(__dirname).sort()) {
    if (f.endsWith('.test.js') && f.startsWith('restricted-') === restricted) mocha.addFile(path.join(__dirname, f));
  }
  const resultsFile = process.env.VSCODE_TEST_RESULTS_FILE;
  const results: { title: string; state: string; error?: string; durationMs?: number }[] = [];
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      if (resultsFile) {
        const passes = results.filter((r) => r.state === 'passed').length;
        fs.writeFileSync(resultsFile, JSON.stringify({ failures, passes, results }, null, 2));
      }
      if (failures > 0) reject(new Error(`${failures} tests failed.`));
      else resolve();
    });
    runner.on('pass', (t) => results.push({ title: t.fullTitle(), state: 'passed', durationMs: t.duration }));
    runner.on('fail', (t, err: unknown) => {
      const e = err as { stack?: string } | undefined;
      results.push({ title: t.fullTitle(), state: 'failed', error: String(e?.stack ?? err) });
    });
  });
}
