// Lint configuration: defaults ← .math-writeup.json ← CLI flags (← VS Code settings in the extension).
// Pure: the file is found and read by src/node/configFile.ts; this module validates and merges plain data.
//
// Shape (every key optional):
//   { "target": "github" | "vscode" | "both",
//     "rules": { "MW003": "off", "space-inside-dollars": "error", "MW007": true, "MW008": false } }
// A rule is named by id or alias (any case). `true` turns a rule on at its default severity, `false` is "off".
//
// Target: a rule protects one renderer (meta.target). With target "github" the rules about VS Code's preview are
// off, with "vscode" the GitHub rules are off; "both" (the default) runs everything. The target wins over a
// per-rule setting, so "I only publish on GitHub" silences every VS Code-only rule at once.
import type { Severity, Target } from '../types';
import type { LintConfig, RuleSetting } from './types';
import type { Registry } from './registry';
import { editDistance } from '../editDistance';

export const DEFAULT_CONFIG: Readonly<LintConfig> = Object.freeze({ target: 'both', rules: Object.freeze({}) });

export const TARGETS: readonly Target[] = ['github', 'vscode', 'both'];
export const RULE_SETTINGS: readonly RuleSetting[] = ['off', 'error', 'warning', 'info'];

/** One problem in a configuration; `path` is where it is, e.g. ["rules", "MW999"]. */
export interface ConfigProblem {
  path: string[];
  message: string;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
  constructor(readonly problems: ConfigProblem[]) {
    super(problems.map((p) => p.message).join('; '));
  }
}

const SEVERITY_TYPOS: Record<string, RuleSetting> = {
  warn: 'warning', err: 'error', information: 'info', hint: 'info', none: 'off', disable: 'off', disabled: 'off',
  ignore: 'off',
};

function quoteList(xs: readonly string[]): string {
  return xs.map((x) => `"${x}"`).join(', ');
}

/** Close rule names for a "did you mean" hint (prefix or small edit distance). */
function suggest(name: string, registry: Registry): string {
  const n = name.toLowerCase();
  let best: { d: number; label: string } | undefined;
  for (const m of registry.list()) {
    for (const cand of [m.id, m.alias]) {
      const d = Math.abs(n.length - cand.length) > 3 ? Infinity : editDistance(n, cand.toLowerCase());
      if (d <= Math.max(2, Math.floor(cand.length / 4)) && (!best || d < best.d)) best = { d, label: cand };
    }
  }
  return best ? ` (did you mean "${best.label}"?)` : '';
}

/** Message for a rule name the registry does not know. */
export function unknownRuleMessage(name: string, registry: Registry, where = ''): string {
  return `unknown rule "${name}"${where}${suggest(name, registry)}; rules are named by id (e.g. MW001) or alias`;
}

/**
 * Check an untrusted configuration object (parsed JSON, VS Code settings) and return the valid part with rule keys
 * normalised to ids, plus every problem found. Never throws.
 */
export function validateConfig(raw: unknown, registry: Registry): { config: Partial<LintConfig>; problems: ConfigProblem[] } {
  const problems: ConfigProblem[] = [];
  const config: Partial<LintConfig> = {};
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { config, problems: [{ path: [], message: 'configuration must be a JSON object like {"rules": {}}' }] };
  }
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    if (key === '$schema') continue;
    if (key === 'target') {
      if (typeof value === 'string' && (TARGETS as readonly string[]).includes(value)) config.target = value as Target;
      else problems.push({ path: ['target'], message: `"target" must be one of ${quoteList(TARGETS)}, not ${JSON.stringify(value)}` });
    } else if (key === 'rules') {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        problems.push({ path: ['rules'], message: '"rules" must be an object like {"MW003": "off"}' });
        continue;
      }
      const rules: Record<string, RuleSetting> = {};
      for (const [name, setting] of Object.entries(value as Record<string, unknown>)) {
        const meta = registry.get(name);
        if (!meta) {
          problems.push({ path: ['rules', name], message: unknownRuleMessage(name, registry) });
          continue;
        }
        const s = normalizeSetting(setting, meta.defaultSeverity);
        if (typeof s === 'string') rules[meta.id] = s;
        else problems.push({ path: ['rules', name], message: `rule "${name}": ${s.error}` });
      }
      config.rules = rules;
    } else {
      problems.push({ path: [key], message: `unknown setting "${key}"; known settings are "target" and "rules"` });
    }
  }
  return { config, problems };
}

function normalizeSetting(v: unknown, defaultSeverity: Severity): RuleSetting | { error: string } {
  if (v === true) return defaultSeverity;
  if (v === false) return 'off';
  if (typeof v === 'string') {
    if ((RULE_SETTINGS as readonly string[]).includes(v)) return v as RuleSetting;
    const typo = SEVERITY_TYPOS[v.toLowerCase()];
    return {
      error: `severity must be one of ${quoteList(RULE_SETTINGS)}, true or false, not "${v}"` + (typo ? ` (did you mean "${typo}"?)` : ''),
    };
  }
  return { error: `severity must be one of ${quoteList(RULE_SETTINGS)}, true or false, not ${JSON.stringify(v) ?? String(v)}` };
}

/**
 * Merge configuration layers, later ones winning (defaults ← file ← CLI ← editor). Rule keys may be ids or
 * aliases; they are normalised to ids so that `"MW003"` in one layer and `"space-inside-dollars"` in a later one
 * meet. Throws `ConfigError` if a layer is invalid (use `validateConfig` first to report problems gently).
 */
export function mergeConfigs(registry: Registry, ...layers: (Partial<LintConfig> | undefined)[]): LintConfig {
  const out: LintConfig = { target: DEFAULT_CONFIG.target, rules: {} };
  for (const layer of layers) {
    if (!layer) continue;
    const { config, problems } = validateConfig(layer, registry);
    if (problems.length > 0) throw new ConfigError(problems);
    if (config.target) out.target = config.target;
    Object.assign(out.rules, config.rules);
  }
  return out;
}

/** True when a rule that protects `ruleTarget` applies under the configured `target`. */
export function appliesToTarget(ruleTarget: Target, target: Target): boolean {
  return ruleTarget === 'both' || target === 'both' || ruleTarget === target;
}

/**
 * Effective setting of every registered rule (MW000 included) under a merged configuration: the rule's default
 * severity unless configured, and 'off' when the target excludes the rule.
 */
export function resolveRuleSettings(config: LintConfig, registry: Registry): Map<string, RuleSetting> {
  const out = new Map<string, RuleSetting>();
  for (const m of registry.list()) {
    const configured = config.rules[m.id];
    out.set(m.id, appliesToTarget(m.target, config.target) ? (configured ?? m.defaultSeverity) : 'off');
  }
  return out;
}
