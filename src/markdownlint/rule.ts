// math-writeup's rules as one markdownlint custom rule (`require('math-writeup/markdownlint')`, bundled to
// dist/markdownlint.js), so markdownlint and markdownlint-cli2 users get GitHub's math findings without another
// tool: `"customRules": ["math-writeup/markdownlint"]` in .markdownlint-cli2.jsonc. Each finding is reported as
// `MW020 emphasis-in-math: message` with its column range and, when its preferred fix is one edit on one line,
// markdownlint's fixInfo (so `markdownlint-cli2 --fix` applies it). The rule's configuration in markdownlint's
// config takes the same settings as .math-writeup.json: { "target": …, "rules": {…}, "mathjax": false }.
import { mergeConfigs, validateConfig } from '../core/lint/config';
import { defaultRegistry } from '../core/lint/registry';
import { lintText, lintTextAsync } from '../core/lint/engine';
import { LineIndex } from '../core/text';
import { GithubValidator } from '../core/tex/mathjax';
import type { Finding } from '../core/types';
import { DOCS_BASE_URL } from '../cli/format/sarif';

/** The parts of markdownlint's rule API this rule uses (markdownlint's own types are not a runtime need). */
export interface RuleParams {
  name: string;
  lines: readonly string[];
  config: unknown;
}
export interface RuleOnErrorInfo {
  lineNumber: number;
  detail?: string;
  context?: string;
  information?: URL;
  range?: number[];
  fixInfo?: { lineNumber?: number; editColumn?: number; deleteCount?: number; insertText?: string };
}
export interface MarkdownlintRule {
  names: string[];
  description: string;
  information: URL;
  tags: string[];
  parser: 'none';
  asynchronous: true;
  function: (params: RuleParams, onError: (info: RuleOnErrorInfo) => void) => Promise<void>;
}

function report(f: Finding, lines: LineIndex, lineTexts: readonly string[], onError: (info: RuleOnErrorInfo) => void): void {
  const start = f.range.start;
  const sameLine = f.range.end.line === start.line;
  const lineLength = lineTexts[start.line]?.length ?? 0;
  const info: RuleOnErrorInfo = { lineNumber: start.line + 1, detail: `${f.ruleId} ${f.ruleAlias}: ${f.message}` };
  // markdownlint wants a range inside the line: a finding at the end of a line marks its last character.
  if (lineLength > 0) {
    const col = Math.min(start.character, lineLength - 1);
    const end = Math.min(sameLine ? Math.max(f.range.end.character, col + 1) : lineLength, lineLength);
    info.range = [col + 1, end - col];
  }
  try {
    info.information = new URL(DOCS_BASE_URL + f.docs);
  } catch {
    // a docs path that is not a URL part: no link
  }
  const fix = f.fixes.find((x) => x.preferred) ?? (f.fixes.length === 1 ? f.fixes[0] : undefined);
  if (fix && fix.edits.length === 1) {
    const e = fix.edits[0];
    const a = lines.positionAt(e.start);
    const b = lines.positionAt(e.end);
    if (a.line === b.line && !e.newText.includes('\n')) {
      info.fixInfo = { lineNumber: a.line + 1, editColumn: a.character + 1, deleteCount: b.character - a.character, insertText: e.newText };
    }
  }
  onError(info);
}

const registry = defaultRegistry();
/** GitHub's MathJax for the documents this rule lints (its cache spans them; the findings do not depend on it). */
const validator = new GithubValidator();

export const mathWriteupRule: MarkdownlintRule = {
  names: ['math-writeup', 'github-math'],
  description: 'Math that GitHub (or VS Code’s preview) will not render as written (math-writeup rules MW001–MW053)',
  information: new URL(`${DOCS_BASE_URL}docs/rules/README.md`),
  tags: ['math', 'github'],
  parser: 'none',
  asynchronous: true,
  async function(params, onError) {
    const raw = params.config && typeof params.config === 'object' ? { ...(params.config as Record<string, unknown>) } : {};
    const mathjax = raw.mathjax !== false;
    delete raw.mathjax;
    const { config: layer, problems } = validateConfig(raw, registry);
    if (problems.length > 0) throw new Error(`math-writeup rule configuration: ${problems[0].message}`);
    const config = mergeConfigs(registry, layer);
    const text = params.lines.join('\n');
    const findings = mathjax ? await lintTextAsync(text, config, { registry, validator }) : lintText(text, config, { registry });
    const lines = new LineIndex(text);
    for (const f of findings) report(f, lines, params.lines, onError);
  },
};
