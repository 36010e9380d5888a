// What a reader of the preview is told about a near miss: the lint rule that reports it (an id they can look up,
// configure and disable), never the spec's own ids (GH-IN-01 and the like belong to docs/ and the rule files).
import { defaultRegistry } from '../lint/registry';

let bySpec: Map<string, string> | undefined;

/** The id of the lint rule covering spec rule `spec` ("MW020" for "GH-EMPH-01"); undefined when no rule does. */
export function ruleIdForSpec(spec: string): string | undefined {
  if (!bySpec) {
    bySpec = new Map();
    for (const r of defaultRegistry().list()) for (const s of r.specRules) if (!bySpec.has(s)) bySpec.set(s, r.id);
  }
  return bySpec.get(spec);
}

/** " (MW020)" for a near miss of spec rule `spec`, '' when no lint rule covers it. */
export function ruleSuffix(spec: string): string {
  const id = ruleIdForSpec(spec);
  return id ? ` (${id})` : '';
}
