// The lint engine: scan once, run every enabled rule on the shared scan, turn reports into findings.
// Pure (no I/O), synchronous, and total: a rule that throws or reports nonsense costs one MW000 finding, never the
// whole lint.
import type { Finding, Fix, Severity } from '../types';
import { scanDocument, type DetailedScan } from '../scan/scanner';
import { LineIndex } from '../text';
import type { LintConfig, LintRule, PageFormula, RuleReport } from './types';
import { defaultRegistry, ENGINE_RULE, type Registry } from './registry';
import { mergeConfigs, resolveRuleSettings } from './config';
import { createSuppressor, parseDirectives } from './directives';
import { NO_VERDICTS, VerdictMap, type GithubValidator, type GithubVerdicts } from '../tex/mathjax';
import { fixKeepsText } from './edits';
import { keepImprovingFixes } from './fixCheck';

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
  /**
   * GitHub's MathJax verdicts the rules may read (MW053, MW052's note); none by default, so the findings depend only
   * on the text, the configuration and what is passed here.
   */
  verdicts?: GithubVerdicts;
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
  const prepared = prepareLint(config, options.registry);
  const lines = new LineIndex(text);
  const raws = keepImprovingFixes(text, collectReports(text, lines, prepared, options), prepared, options.verdicts ?? NO_VERDICTS);
  return finishFindings(text, lines, raws, prepared);
}

/** A rule's report before inline directives are applied (internal to the lint engine and its incremental form). */
export interface RawReport {
  rule: { id: string; alias: string; specRules: string[]; docs: string };
  severity: Severity;
  start: number;
  end: number;
  message: string;
  fixes: Fix[];
  specRules: string[];
}

/** A configuration resolved against a registry: what `collectReports` and `finishFindings` need. */
export interface PreparedLint {
  registry: Registry;
  settings: Map<string, Severity | 'off'>;
  active: LintRule[];
}

/** Resolve `config` (merged over the defaults) against the registry; throws ConfigError for an invalid config. */
export function prepareLint(config?: Partial<LintConfig>, registry: Registry = defaultRegistry()): PreparedLint {
  const settings = resolveRuleSettings(mergeConfigs(registry, config), registry);
  const active = registry.rules.filter((r) => {
    const s = settings.get(r.id);
    return s !== undefined && s !== 'off';
  });
  return { registry, settings, active };
}

function engineReporter(prepared: PreparedLint, raws: RawReport[]): (start: number, end: number, message: string) => void {
  const severity = prepared.settings.get(ENGINE_RULE.id);
  return (start, end, message) => {
    if (severity === undefined || severity === 'off') return;
    raws.push({ rule: ENGINE_RULE, severity, start, end, message, fixes: [], specRules: [] });
  };
}

/**
 * Scan `text` (unless a scan is given) and run every active rule on it: the reports, directives not applied.
 * With `page: false` the rules' page-wide parts are left out (the incremental linter runs them on the whole page).
 */
export function collectReports(
  text: string,
  lines: LineIndex,
  prepared: PreparedLint,
  options: Pick<LintOptions, 'scan' | 'onScan' | 'verdicts'> & { page?: boolean } = {},
): RawReport[] {
  const raws: RawReport[] = [];
  const engineFinding = engineReporter(prepared, raws);
  let scan: DetailedScan | undefined = options.scan;
  if (prepared.active.length > 0 && !scan) {
    try {
      scan = scanDocument(text);
    } catch (e) {
      engineFinding(0, 0, `math-writeup could not scan this document (${errorText(e)}); no rule was run. Please report this.`);
    }
  }
  if (scan) {
    options.onScan?.(scan);
    const s = scan;
    const verdicts = options.verdicts ?? NO_VERDICTS;
    for (const rule of prepared.active) {
      runRule(text, rule, prepared.settings.get(rule.id) as Severity, text.length, raws, engineFinding, (report) => rule.run({ text, lines, scan: s, verdicts, report }));
    }
    if (options.page !== false) raws.push(...collectPageReports(pageFormulas(scan), text.length, prepared));
  }
  return raws;
}

/** The GitHub formulas of a scan as the page-wide rule parts see them. */
export function pageFormulas(scan: DetailedScan): PageFormula[] {
  return scan.math.map((g) => ({ tex: g.tex, display: g.display, start: g.start, end: g.end }));
}

/** Run the page-wide parts of the active rules on every formula of the page (`length`: the document's length). */
export function collectPageReports(formulas: readonly PageFormula[], length: number, prepared: PreparedLint): RawReport[] {
  const raws: RawReport[] = [];
  const engineFinding = engineReporter(prepared, raws);
  for (const rule of prepared.active) {
    const page = rule.runPage;
    if (!page) continue;
    runRule(undefined, rule, prepared.settings.get(rule.id) as Severity, length, raws, engineFinding, (report) => page.call(rule, { formulas, report }));
  }
  return raws;
}

/** Apply the document's inline directives to `raws` and turn them into findings sorted by position, then rule id. */
export function finishFindings(text: string, lines: LineIndex, raws: readonly RawReport[], prepared: PreparedLint): Finding[] {
  const all = [...raws];
  const engineFinding = engineReporter(prepared, all);
  const { directives, problems } = parseDirectives(text, lines, prepared.registry);
  for (const p of problems) engineFinding(p.start, p.end, p.message);
  const suppressed = createSuppressor(directives);

  const findings: Finding[] = [];
  for (const r of all) {
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
  /** The document (undefined for page-wide parts, which see formulas only and offer no fixes). */
  text: string | undefined,
  rule: LintRule,
  severity: Severity,
  length: number,
  raws: RawReport[],
  engineFinding: (start: number, end: number, message: string) => void,
  invoke: (report: (r: RuleReport) => void) => void,
): void {
  const mine: RawReport[] = [];
  let invalid: string | undefined;
  try {
    invoke((r: RuleReport) => {
      if (invalid) return;
      invalid = badReport(r, length);
      if (invalid) return;
      // A fix that changes nothing, or drops a letter or digit of the text it replaces, is never offered.
      const fixes = (r.fixes ?? []).filter((f) => text === undefined || fixKeepsText(text, f)).map((f) => ({ ...f, edits: f.edits.map((e) => ({ ...e })) }));
      mine.push({ rule, severity, start: r.start, end: r.end, message: r.message, fixes, specRules: r.specRules ?? [...rule.specRules] });
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
 * lintText plus GitHub's MathJax: every formula GitHub renders is validated by `validator` (MathJax configured like
 * GitHub) before the rules run, so MW053 and the KaTeX/MathJax disagreement notes are complete. The verdicts of the
 * document's formulas are held for this call, whatever the validator's cache keeps. `isCancelled` is polled between
 * formulas.
 */
export async function lintTextAsync(
  text: string,
  config: Partial<LintConfig> | undefined,
  options: Omit<LintOptions, 'verdicts'> & { validator: GithubValidator; isCancelled?: () => boolean },
): Promise<Finding[]> {
  const scan = options.scan ?? scanDocument(text);
  const { verdicts } = await validateFormulas(options.validator, scan.math, { isCancelled: options.isCancelled });
  return lintText(text, config, { ...options, scan, verdicts });
}

/**
 * Judge `formulas` with `validator` (each distinct formula once; the validator's cache answers the ones it holds)
 * and return their verdicts, held in `into` (a new map unless given) — so a lint reads them however small the
 * validator's cache is — and how many were newly validated. Stops early when `isCancelled` returns true.
 */
export async function validateFormulas(
  validator: GithubValidator,
  formulas: readonly GithubFormula[],
  options: {
    isCancelled?: () => boolean;
    /** Called between newly validated formulas so a caller on a UI thread can yield to its event loop. */
    pause?: () => Promise<void>;
    into?: VerdictMap;
  } = {},
): Promise<{ verdicts: VerdictMap; fresh: number }> {
  const verdicts = options.into ?? new VerdictMap();
  let fresh = 0;
  for (const g of distinctFormulas(formulas)) {
    if (verdicts.verdict(g.tex, g.display) !== undefined) continue;
    const known = validator.verdict(g.tex, g.display);
    if (known !== undefined) {
      verdicts.set(g.tex, g.display, known);
      continue;
    }
    if (options.isCancelled?.()) break;
    verdicts.set(g.tex, g.display, await validator.validate(g.tex, g.display));
    fresh++;
    if (options.pause) await options.pause();
  }
  return { verdicts, fresh };
}

/** Each formula once (the same TeX in the same mode is one MathJax verdict), as `{ tex, display }`, in order. */
export function distinctFormulas(formulas: readonly GithubFormula[]): GithubFormula[] {
  const seen = new Set<string>();
  const out: GithubFormula[] = [];
  for (const g of formulas) {
    const key = (g.display ? 'D' : 'I') + g.tex;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ tex: g.tex, display: g.display });
  }
  return out;
}
