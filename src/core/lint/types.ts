// Contract of the lint engine: declarative rules in one registry, findings as data.
import type { Finding, Fix, Severity, Target } from '../types';
import type { DetailedScan, NearMiss } from '../scan/types';
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
  /**
   * The rule reads GitHub's MathJax verdicts (peekGithubProblems), which arrive in the background: the incremental
   * linter runs it again on a block whose formulas got verdicts since.
   */
  readsGithubVerdicts?: boolean;
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

/** A formula GitHub renders, in page order, with its place in the document. */
export interface PageFormula {
  tex: string;
  display: boolean;
  start: number;
  end: number;
}

/**
 * What a rule's page-wide part sees: every formula of the page, in order. Most rules look at one block at a time
 * (`run`), which lets the editor lint only the blocks an edit touched; a limit that counts over the whole page
 * (GitHub's 2000-brace budget) goes in `runPage`, which always sees the whole document.
 */
export interface PageRuleContext {
  formulas: readonly PageFormula[];
  report(r: RuleReport): void;
}

/** A documented example a rule owns: Markdown (shown on its docs page) and the messages the rule reports on it, in order. */
export interface RuleExample {
  markdown: string;
  messages: readonly string[];
}

export interface LintRule extends RuleMeta {
  /**
   * Examples the rule owns: a unit test lints each and expects exactly these messages from the rule, and checks
   * that its docs page shows the Markdown in a ```markdown fence.
   */
  examples?: readonly RuleExample[];
  /** Findings that depend only on the top-level block they are in (and its scan). */
  run(ctx: RuleContext): void;
  /**
   * The rule's words for a near miss whose cause it owns (the scan's typed causes, scan/causes.ts); undefined for
   * the causes of other rules. Used by the rule's own findings and by the hovers and the preview.
   */
  explain?(n: NearMiss): string | undefined;
  /** Findings that depend on the whole page. */
  runPage?(ctx: PageRuleContext): void;
}

export type RuleSetting = 'off' | Severity;

export interface LintConfig {
  target: Target;
  /** Keyed by rule id or alias. */
  rules: Record<string, RuleSetting>;
}

export type { Finding };
