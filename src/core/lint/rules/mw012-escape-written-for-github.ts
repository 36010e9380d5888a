// MW012 escape-written-for-github: a formula whose Markdown escapes were written for GitHub (`\\{`, `\\\\`, `\_`).
// GitHub's Markdown pass turns them into exactly the TeX the author meant, so GitHub is fine; VS Code's preview reads
// the formula raw and shows it wrongly. A VS Code finding: silent under `target: github`.
import type { LintRule } from '../types';
import { docsPath } from './util';

export const escapeWrittenForGithub: LintRule = {
  id: 'MW012', alias: 'escape-written-for-github', target: 'vscode',
  description: 'Markdown escapes written for GitHub (`\\\\{`, `\\\\\\\\`, `\\_`): GitHub renders the formula as meant, VS Code\'s preview reads them literally.',
  tags: ['escapes'], defaultSeverity: 'info', fixable: false, specRules: ['GH-ESC-01'], docs: docsPath('MW012'),
  run(ctx) {
    for (const n of ctx.scan.nearMisses) {
      if (n.cause !== 'escaped-for-github') continue;
      ctx.report({ start: n.start, end: n.end, message: n.message });
    }
  },
};
