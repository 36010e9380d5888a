// Contract of the lint engine: declarative rules in one registry, findings as data.
import type { Finding, Fix, Severity, Target } from '../types';
import type { DetailedScan } from '../scan/scanner';
import type { LineIndex } from '../text';

export interface RuleMeta {
  /** Stable id, e.g. "MW001". */
  id: string;
  /** Readable alias usable everywhere an id is, e.g. "text-before-dollar". */
  alias: string;
  description: string;
  tags: string[];
  defaultSeverity: Severity;
  fixable: boolean;
  /** Renderer the rule protects: findings of 'github' rules are dropped when target is 'vscode', and vice versa. */
  target: Exclude<Target, 'both'>;
  /** Spec rules (github-math-rules.md) the rule covers. */
  specRules: string[];
  /** Path of the docs page relative to the repository root, e.g. "docs/rules/MW001.md". */
  docs: string;
}

export interface RuleReport {
  start: number;
  end: number;
  message: string;
  fixes?: Fix[];
  specRules?: string[];
}

export interface RuleContext {
  text: string;
  lines: LineIndex;
  /** The full scan (GitHub formulas, VS Code formulas, near misses, tokens with positions). */
  scan: DetailedScan;
  report(r: RuleReport): void;
}

export interface LintRule extends RuleMeta {
  run(ctx: RuleContext): void;
}

export type RuleSetting = 'off' | Severity;

export interface LintConfig {
  target: Target;
  /** Keyed by rule id or alias. */
  rules: Record<string, RuleSetting>;
}

export type { Finding };
