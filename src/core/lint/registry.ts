// The one explicit registry of lint rules. Rules are plain objects listed in order in ./rules/index.ts; nothing
// registers itself. The registry validates them once (unique ids and aliases, docs page path, known severity and
// target) and resolves a user-written name — id or alias, any case — to the rule.
import type { Severity, Target } from '../types';
import type { LintRule, RuleMeta } from './types';
import { allRules } from './rules/index';

/** Metadata of a registered rule; the engine's own diagnostic (MW000) applies to every target. */
export type RegisteredMeta = Omit<RuleMeta, 'target'> & { target: Target };

/**
 * The engine's own diagnostic. Reported for directives naming an unknown rule or malformed
 * (`<!-- math-writeup-disable MW999 -->`), and when a rule fails internally on a document.
 * It can be configured and disabled like any rule.
 */
export const ENGINE_RULE: Readonly<RegisteredMeta> = Object.freeze({
  id: 'MW000',
  alias: 'invalid-directive',
  description:
    'math-writeup itself could not do what the document asks: an inline directive names an unknown rule or is ' +
    'malformed, or a rule failed internally on this document',
  tags: ['engine'],
  defaultSeverity: 'warning',
  fixable: false,
  target: 'both',
  specRules: [],
  docs: 'docs/rules/MW000.md',
});

export interface Registry {
  /** The lint rules, in registry order (without the engine's MW000). */
  readonly rules: readonly LintRule[];
  /** Rule (or MW000) by id or alias, case-insensitive. */
  get(name: string): RegisteredMeta | undefined;
  /** The runnable rule by id or alias, case-insensitive (undefined for MW000 and unknown names). */
  rule(name: string): LintRule | undefined;
  /** Canonical id for an id or alias, e.g. "text-before-dollar" → "MW001". */
  canonicalId(name: string): string | undefined;
  /** Every rule's metadata including MW000, sorted by id (for docs and README tables). */
  list(): RegisteredMeta[];
}

export class RegistryError extends Error {
  override name = 'RegistryError';
}

const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info'];
const ID_RE = /^MW\d{3}$/;
const ALIAS_RE = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;

/** Problems that make a rule list unusable; empty when it is valid. */
export function validateRules(rules: readonly LintRule[]): string[] {
  const problems: string[] = [];
  const names = new Map<string, string>([
    [ENGINE_RULE.id.toLowerCase(), ENGINE_RULE.id],
    [ENGINE_RULE.alias.toLowerCase(), ENGINE_RULE.id],
  ]);
  rules.forEach((r, i) => {
    const where = `rule #${i} (${typeof r.id === 'string' ? r.id : 'no id'})`;
    if (typeof r.id !== 'string' || !ID_RE.test(r.id)) problems.push(`${where}: id must look like "MW001"`);
    if (typeof r.alias !== 'string' || !ALIAS_RE.test(r.alias)) {
      problems.push(`${where}: alias must be lower-case words joined by "-", e.g. "space-inside-dollars"`);
    }
    for (const n of [r.id, r.alias]) {
      if (typeof n !== 'string') continue;
      const owner = names.get(n.toLowerCase());
      if (owner !== undefined) problems.push(`${where}: name "${n}" is already used by ${owner}`);
      else names.set(n.toLowerCase(), r.id);
    }
    if (typeof r.description !== 'string' || r.description.trim() === '') problems.push(`${where}: empty description`);
    if (!Array.isArray(r.tags)) problems.push(`${where}: tags must be an array`);
    if (!SEVERITIES.includes(r.defaultSeverity)) {
      problems.push(`${where}: defaultSeverity must be one of ${SEVERITIES.join(', ')}`);
    }
    if (typeof r.fixable !== 'boolean') problems.push(`${where}: fixable must be a boolean`);
    if (r.target !== 'github' && r.target !== 'vscode') problems.push(`${where}: target must be "github" or "vscode"`);
    if (!Array.isArray(r.specRules)) problems.push(`${where}: specRules must be an array`);
    if (r.docs !== `docs/rules/${r.id}.md`) problems.push(`${where}: docs must be "docs/rules/${r.id}.md"`);
    if (typeof r.run !== 'function') problems.push(`${where}: run must be a function`);
  });
  return problems;
}

/** Build a registry; throws `RegistryError` listing every problem if the rules are invalid. */
export function createRegistry(rules: readonly LintRule[]): Registry {
  const problems = validateRules(rules);
  if (problems.length > 0) throw new RegistryError(`invalid lint rules:\n  ${problems.join('\n  ')}`);
  const frozen = Object.freeze([...rules]);
  const byName = new Map<string, RegisteredMeta>();
  const runnable = new Map<string, LintRule>();
  for (const m of [ENGINE_RULE, ...frozen]) {
    byName.set(m.id.toLowerCase(), m);
    byName.set(m.alias.toLowerCase(), m);
  }
  for (const r of frozen) {
    runnable.set(r.id.toLowerCase(), r);
    runnable.set(r.alias.toLowerCase(), r);
  }
  const meta = (m: RegisteredMeta): RegisteredMeta => {
    const { id, alias, description, tags, defaultSeverity, fixable, target, specRules, docs } = m;
    return { id, alias, description, tags: [...tags], defaultSeverity, fixable, target, specRules: [...specRules], docs };
  };
  return Object.freeze({
    rules: frozen,
    get: (name: string) => byName.get(name.trim().toLowerCase()),
    rule: (name: string) => runnable.get(name.trim().toLowerCase()),
    canonicalId: (name: string) => byName.get(name.trim().toLowerCase())?.id,
    list: () => [ENGINE_RULE, ...frozen].map(meta).sort((a, b) => a.id.localeCompare(b.id)),
  });
}

let cached: Registry | undefined;

/** The registry of the project's rules (./rules/index.ts), built once. */
export function defaultRegistry(): Registry {
  cached ??= createRegistry(allRules);
  return cached;
}
