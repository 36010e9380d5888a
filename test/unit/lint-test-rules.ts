// Small rules used only to test the lint engine, directives, fixes and the CLI independently of the real rules.
import type { LintRule } from '../../src/core/lint/types';
import { createRegistry, type Registry } from '../../src/core/lint/registry';

function base(id: string, alias: string, target: 'github' | 'vscode'): Omit<LintRule, 'run' | 'defaultSeverity' | 'fixable'> {
  return { id, alias, description: `test rule ${alias}`, tags: ['test'], target, specRules: ['GH-TEST-01'], docs: `docs/rules/${id}.md` };
}

/** MW901 no-todo (github, warning, fixable): every "TODO" → "TO DO" (a fix keeps every letter, see fixAll). */
export const todoRule: LintRule = {
  ...base('MW901', 'no-todo', 'github'),
  defaultSeverity: 'warning',
  fixable: true,
  run(ctx) {
    for (const m of ctx.text.matchAll(/TODO/g)) {
      ctx.report({
        start: m.index, end: m.index + 4, message: 'TODO left in the text',
        fixes: [{ title: 'Write TO DO', edits: [{ start: m.index, end: m.index + 4, newText: 'TO DO' }], preferred: true }],
      });
    }
  },
};

/** MW902 dollar-space (vscode, error): every "$ " (a dollar followed by a space). */
export const dollarSpaceRule: LintRule = {
  ...base('MW902', 'dollar-space', 'vscode'),
  defaultSeverity: 'error',
  fixable: false,
  run(ctx) {
    for (const m of ctx.text.matchAll(/\$ /g)) {
      ctx.report({ start: m.index, end: m.index + 2, message: 'space after $', specRules: ['GH-IN-02'] });
    }
  },
};

/** MW903 always-throws (github, warning): fails on any text containing "boom". */
export const throwingRule: LintRule = {
  ...base('MW903', 'explodes', 'github'),
  defaultSeverity: 'warning',
  fixable: false,
  run(ctx) {
    ctx.report({ start: 0, end: 0, message: 'reported before failing' });
    if (ctx.text.includes('boom')) throw new Error('kaboom');
  },
};

/** MW904 bad-range (github, info): reports a range past the end of the text when it sees "oops". */
export const badRangeRule: LintRule = {
  ...base('MW904', 'bad-range', 'github'),
  defaultSeverity: 'info',
  fixable: false,
  run(ctx) {
    if (ctx.text.includes('oops')) ctx.report({ start: 0, end: ctx.text.length + 5, message: 'too far' });
  },
};

export function testRegistry(): Registry {
  return createRegistry([todoRule, dollarSpaceRule, throwingRule, badRangeRule]);
}
