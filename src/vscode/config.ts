// Typed reader of the `mathWriteup.*` settings (package.json is the schema).
import * as vscode from 'vscode';
import type { LintConfig, RuleSetting } from '../core/lint/types';
import type { Target } from '../core/types';

export const SECTION = 'mathWriteup';

export interface ExtensionSettings {
  enable: boolean;
  lint: Partial<LintConfig> & { rules: Record<string, RuleSetting> };
  debounceMs: number;
  timeLimitMs: number;
  runOnSave: boolean;
}

const TARGETS: readonly Target[] = ['github', 'vscode', 'both'];
const RULE_SETTINGS: readonly RuleSetting[] = ['off', 'error', 'warning', 'info'];

function clamp(v: unknown, lo: number, hi: number, dflt: number): number {
  return typeof v === 'number' && Number.isFinite(v) ? Math.min(hi, Math.max(lo, v)) : dflt;
}

/** Settings for a document (resource-scoped, so a folder's settings.json applies to its files). */
export function readSettings(scope?: vscode.Uri): ExtensionSettings {
  const c = vscode.workspace.getConfiguration(SECTION, scope);
  const target = c.get<string>('target', 'both');
  const rawRules = c.get<Record<string, unknown>>('rules', {}) ?? {};
  const rules: Record<string, RuleSetting> = {};
  for (const [key, value] of Object.entries(rawRules)) {
    if (typeof value === 'string' && (RULE_SETTINGS as readonly string[]).includes(value)) rules[key] = value as RuleSetting;
    else if (value === false) rules[key] = 'off';
  }
  return {
    enable: c.get<boolean>('enable', true) !== false,
    lint: { target: (TARGETS as readonly string[]).includes(target) ? (target as Target) : 'both', rules },
    debounceMs: clamp(c.get('lint.debounceMs'), 0, 5000, 150),
    timeLimitMs: 1000 * clamp(c.get('checks.timeLimitSeconds'), 1, 600, 10),
    runOnSave: c.get<boolean>('checks.runOnSave', false) === true,
  };
}

export function isWriteup(doc: vscode.TextDocument): boolean {
  return doc.languageId === 'markdown' && doc.uri.scheme !== 'output' && doc.uri.scheme !== 'vscode-scm';
}
