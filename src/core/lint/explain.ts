// What a reader is told about a near miss outside the Problems list (hovers, the preview's markers, `scan`): the
// words of the lint rule that owns its cause, and that rule's id (an id they can look up, configure and disable),
// never the spec's ids.
import type { NearMiss } from '../scan/types';
import type { CauseKind } from '../scan/causes';
import { defaultRegistry } from './registry';

export interface NearMissExplanation {
  /** The lint rule owning the cause ("MW020"); undefined for the few causes no rule reports. */
  ruleId?: string;
  message: string;
}

/** Causes no lint rule reports (GitHub and VS Code both show code, or both show the text): said here. */
const UNOWNED: Partial<Record<CauseKind, string>> = {
  'in-code': 'GitHub shows this as code: `$` inside code is never math.',
  'code-span': 'GitHub shows this as plain text: a code span inside the formula breaks it. Use the `` $`…`$ `` form for the whole formula.',
};

/** The explanation of a near miss by the rule owning its cause (the first rule of the registry whose `explain` words it). */
export function explainNearMiss(n: NearMiss): NearMissExplanation {
  for (const rule of defaultRegistry().rules) {
    const message = rule.explain?.(n);
    if (message !== undefined) return { ruleId: rule.id, message };
  }
  return { message: UNOWNED[n.cause.kind] ?? 'GitHub does not render this as VS Code does.' };
}
