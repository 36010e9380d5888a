// The lint engine: scan once, run every enabled rule on the shared scan, turn reports into findings.
// Pure (no I/O), synchronous, and total: a rule that throws or reports nonsense costs one MW000 finding, never the
// whole lint.
import type { Finding, Fix, Severity } from '../types';
import { scanDocument, type DetailedScan } from '../scan/scanner';
import { LineIndex } from '../text';
import type { LintConfig, LintRule, RuleReport } from './types';
import { defaultRegistry, ENGINE_RULE, type Registry } from './registry';
import { mergeConfigs, resolveRuleSettings } from './config';
import { createSuppressor, parseDirectives } from './directives';
import { peekGithubProblems, validateGithub } from '../tex/mathjax';

/** A formula as GitHub hands it to MathJax. */
export interface GithubFormula {
  tex: string;
  display: boolean;
}

export interface LintOptions {
  /** Rules to run; defaults to the project's registry. */
  registry?: Registry;
  /** A scan of exactly this text, when the caller already has one (e.g. the preview); otherwise scanned here. */
  scan?: DetailedScan;
  /** Receives the scan used, so a caller can reuse it (e.g. to validate the formulas in the background). */
  onScan?: (scan: DetailedScan) => void;
}

interface Raw {
  rule: { id: string; alias: string; specRules: string[]; docs: string };
  severity: Severity;
  start: number;
  end: number;
  message: string;
  fixes: Fix[];
  specRules: string[];
}

function errorText(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}

/** Problems with a report, or undefined when it is well formed. */
function badReport(r: RuleReport, length: number): string | undefined {
  const okOffset = (o: unknown): o is number => typeof o === 'number' && Number.isInteger(o) && o >= 0 && o <= length;
  if (!okOffset(r.start) || !okOffset(r.end) || r.end < r.start) return `invalid range [${r.start}, ${r.end})`;
  if (typeof r.message !== 'string' || r.message === '') return 'empty message';
  for (const fix of r.fixes ?? []) {
    if (!Array.isArray(fix.edits)) return 'a fix without edits';
    for (const e of fix.edits) {
      if (!okOffset(e.start) || !okOffset(e.end) || e.end < e.start || typeof e.newText !== 'string') {
        return `a fix edit with invalid range [${e.start}, ${e.end})`;
      }
    }
  }
  return undefined;
}

/**
 * Lint `text` and return its findings sorted by position (then rule id).
 *
 * `config` is merged over the defaults (target "both", every rule at its default severity); rule keys may be ids or
 * aliases. An invalid `config` throws `ConfigError` (validate untrusted input with `validateConfig` first).
 * Inline directives (`<!-- math-writeup-disable … -->`) are honoured; a directive naming an unknown rule yields an
 * MW000 finding. A rule that throws, or reports an invalid range, yields one MW000 finding and its reports for this
 * document are dropped.
 */
export function lintText(text: string, config?: Partial<LintConfig>, options: LintOptions = {}): Finding[] {
  const registry = options.registry ?? defaultRegistry();
  const settings = resolveRuleSettings(mergeConfigs(registry, config), registry);
  const lines = new LineIndex(text);
  const raws: Raw[] = [];
  const engineSeverity = settings.get(ENGINE_RULE.id);
  const engineFinding = (start: number, end: number, message: string): void => {
    if (engineSeverity === undefined || engineSeverity === 'off') return;
    raws.push({ rule: ENGINE_RULE, severity: engineSeverity, start, end, message, fixes: [], specRules: [] });
  };

  const active = registry.rules.filter((r) => {
    const s = settings.get(r.id);
    return s !== undefined && s !== 'off';
  });
  let scan: DetailedScan | undefined = options.scan;
  if (active.length > 0 && !scan) {
    try {
      scan = scanDocument(text);
    } catch (e) {
      engineFinding(0, 0, `math-writeup could not scan this document (${errorText(e)}); no rule was run. Please report this.`);
    }
  }
  if (scan) {
    options.onScan?.(scan);
    for (const rule of active) runRule(rule, settings.get(rule.id) as Severity, text, lines, scan, raws, engineFinding);
  }

  const { directives, problems } = parseDirectives(text, lines, registry);
  for (const p of problems) engineFinding(p.start, p.end, p.message);
  const suppressed = createSuppressor(directives);

  const findings: Finding[] = [];
  for (const r of raws) {
    const range = lines.range(r.start, r.end);
    if (suppressed(r.rule.id, range.start.line)) continue;
    findings.push({
      ruleId: r.rule.id,
      ruleAlias: r.rule.alias,
      specRules: r.specRules,
      message: r.message,
      severity: r.severity,
      start: r.start,
      end: r.end,
      range,
      fixes: r.fixes,
      docs: r.rule.docs,
    });
  }
  return findings.sort((a, b) => a.start - b.start || a.end - b.end || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0));
}

function runRule(
  rule: LintRule,
  severity: Severity,
  text: string,
  lines: LineIndex,
  scan: DetailedScan,
  raws: Raw[],
  engineFinding: (start: number, end: number, message: string) => void,
): void {
  const mine: Raw[] = [];
  let invalid: string | undefined;
  try {
    rule.run({
      text,
      lines,
      scan,
      report(r: RuleReport) {
        if (invalid) return;
        invalid = badReport(r, text.length);
        if (invalid) return;
        const fixes = (r.fixes ?? []).map((f) => ({ ...f, edits: f.edits.map((e) => ({ ...e })) }));
        mine.push({ rule, severity, start: r.start, end: r.end, message: r.message, fixes, specRules: r.specRules ?? [...rule.specRules] });
      },
    });
  } catch (e) {
    engineFinding(0, 0, `rule ${rule.id} (${rule.alias}) failed on this document and was skipped: ${errorText(e)}. Please report this.`);
    return;
  }
  if (invalid) {
    engineFinding(0, 0, `rule ${rule.id} (${rule.alias}) reported ${invalid} and was skipped for this document. Please report this.`);
    return;
  }
  for (const r of mine) raws.push(r);
}

/**
 * lintText plus GitHub's MathJax: every formula GitHub renders is validated with MathJax configured like GitHub
 * (loaded lazily, cached per formula) before the rules run, so MW053 and the KaTeX/MathJax disagreement notes are
 * complete. `isCancelled` is polled between formulas.
 */
export async function lintTextAsync(
  text: string,
  config?: Partial<LintConfig>,
  options: LintOptions & { isCancelled?: () => boolean } = {},
): Promise<Finding[]> {
  const scan = options.scan ?? scanDocument(text);
  await validateGithubFormulas(text, options.isCancelled, scan);
  return lintText(text, config, { ...options, scan });
}

/**
 * Validate with GitHub's MathJax every formula of `text` it has not seen yet (results are cached, and MW053 reads
 * them). Returns how many formulas were newly validated, so a caller that linted synchronously knows whether a
 * re-lint would add findings. Stops early when `isCancelled` returns true.
 */
export async function validateGithubFormulas(
  text: string,
  isCancelled?: () => boolean,
  scan: DetailedScan = scanDocument(text),
  /** Called between formulas so a caller on a UI thread can yield to its event loop. */
  pause?: () => Promise<void>,
): Promise<number> {
  const seen = new Set<string>();
  let fresh = 0;
  for (const g of scan.math) {
    const key = (g.display ? 'D' : 'I') + g.tex;
    if (seen.has(key)) continue;
    seen.add(key);
    if (peekGithubProblems(g.tex, g.display) !== undefined) continue;
    if (isCancelled?.()) break;
    await validateGithub(g.tex, g.display);
    fresh++;
    if (pause) await pause();
  }
  return fresh;
}

/** The distinct formulas of `text` that GitHub's MathJax has not judged yet (for a background validator). */
export function unvalidatedGithubFormulas(text: string, scan: DetailedScan = scanDocument(text)): GithubFormula[] {
  const seen = new Set<string>();
  const out: GithubFormula[] = [];
  for (const g of scan.math) {
    const key = (g.display ? 'D' : 'I') + g.tex;
    if (seen.has(key)) continue;
    seen.add(key);
    if (peekGithubProblems(g.tex, g.display) === undefined) out.push({ tex: g.tex, display: g.display });
  }
  return out;
}
