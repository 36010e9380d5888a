// Linting of one document an editor has open, for the adapters that lint in their own thread (the language server
// and the web extension): the incremental linter (an edit re-lints its chunk), then — once typing pauses — GitHub's
// MathJax on the formulas it has not judged yet, and a second answer only if that changed the findings. A newer
// version (or `supersede()`) abandons a MathJax pass that is still running at its next formula.
import type { Finding } from '../types';
import { IncrementalLinter } from './incremental';
import { validateFormulas } from './engine';
import { sameFindings } from './findingsDelta';
import type { Registry } from './registry';
import type { LintConfig } from './types';
import type { GithubValidator } from '../tex/mathjax';

export interface LiveLintOptions {
  /** Called with the complete findings when GitHub's MathJax verdicts changed them. */
  republish(findings: Finding[]): void;
  /** A MathJax pass failed (MathJax could not be loaded). */
  failed?(e: unknown): void;
  /** Quiet time after a lint before the MathJax pass starts (default 400 ms). */
  idleMs?: number;
  /** Yields between formulas so a newer edit is seen promptly (default: a zero timeout). */
  pause?: () => Promise<void>;
}

export class LiveLinter {
  readonly #linter: IncrementalLinter;
  readonly #validator: GithubValidator;
  #generation = 0;
  /** Document version of `findings` (-1: none yet, or to be linted again). */
  version = -1;
  findings: Finding[] = [];

  /** `validator`: GitHub's MathJax, shared by the documents of one editor session. */
  constructor(validator: GithubValidator, registry?: Registry) {
    this.#validator = validator;
    this.#linter = new IncrementalLinter({ registry, verdicts: validator });
  }

  /** A newer version is coming (or the document closed): a running MathJax pass stops at its next formula. */
  supersede(): void {
    this.#generation++;
  }

  /**
   * Lints `text` (document version `version`) now and returns its findings; no config means linting is off (no
   * findings). Then, after the idle time, runs GitHub's MathJax pass (see the file comment).
   */
  lint(text: string, version: number, config: LintConfig | undefined, options: LiveLintOptions): Finding[] {
    const generation = ++this.#generation;
    this.version = version;
    this.findings = config ? this.#linter.lint(text, config).findings : [];
    if (config) {
      setTimeout(() => {
        this.#mathjaxPass(text, config, generation, options).catch((e: unknown) => options.failed?.(e));
      }, options.idleMs ?? 400);
    }
    return this.findings;
  }

  async #mathjaxPass(text: string, config: LintConfig, generation: number, options: LiveLintOptions): Promise<void> {
    const superseded = (): boolean => this.#generation !== generation;
    if (superseded()) return;
    const pause = options.pause ?? ((): Promise<void> => new Promise((r) => setTimeout(r, 0)));
    const { verdicts, fresh } = await validateFormulas(this.#validator, this.#linter.formulas(), { isCancelled: superseded, pause });
    if (fresh === 0 || superseded()) return;
    this.#linter.holdVerdicts(verdicts);
    const { findings } = this.#linter.lint(text, config);
    if (sameFindings(this.findings, findings)) return;
    this.findings = findings;
    options.republish(findings);
  }
}
