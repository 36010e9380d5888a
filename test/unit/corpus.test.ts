// The corpus test: real-style writeups (test/fixtures/corpus/*.md), each with a sidecar `.expect` file listing every
// finding the spec (github-math-rules.md) calls for, judged by hand. The test lints each document with GitHub's
// MathJax verdicts in (lintTextAsync), matches findings to expectations, prints precision and recall per rule and
// overall, and fails on any false alarm or miss that is not listed as a known gap — and on a listed gap that no longer
// occurs, so the list stays true.
//
// `.expect` lines (1-based line numbers; `#` starts a comment line; ` -- ` starts a note, usually the spec rule):
//   12 MW001 为$X                      a finding of MW001 overlapping the first `为$X` on line 12
//   known-miss 14 MW006 $$$$ -- why   the spec calls for it, the linter does not report it yet
//   known-false-alarm 9 MW004 $200 -- why   the linter reports it, the spec says it is wrong
// A finding matches an expectation when the rule is the same and the finding's range overlaps an occurrence of the
// snippet on that line (a multi-line formula matches a snippet on any of its lines).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { lintText, lintTextAsync } from '../../src/core/lint/engine';
import { GithubValidator } from '../../src/core/tex/mathjax';
import { fixAll, keepsWordCharacters, wordCharacters } from '../../src/core/lint/edits';
import type { Finding } from '../../src/core/types';

const corpusDir = path.resolve(__dirname, '../../../test/fixtures/corpus');

type Kind = 'expected' | 'known-miss' | 'known-false-alarm';

interface Expectation {
  kind: Kind;
  line: number;
  rule: string;
  snippet: string;
  note: string;
  /** Source line of the .expect file, for messages. */
  at: string;
}

export function parseExpectations(spec: string, file: string): Expectation[] {
  const out: Expectation[] = [];
  spec.split('\n').forEach((raw, i) => {
    const text = raw.trim();
    if (text === '' || text.startsWith('#')) return;
    const noteAt = text.indexOf(' -- ');
    const head = noteAt < 0 ? text : text.slice(0, noteAt);
    const note = noteAt < 0 ? '' : text.slice(noteAt + 4).trim();
    const m = /^(?:(known-miss|known-false-alarm)\s+)?(\d+)\s+(MW\d{3})\s+(.+)$/.exec(head);
    if (!m) throw new Error(`${file}:${i + 1}: cannot read "${raw}"`);
    out.push({ kind: (m[1] as Kind | undefined) ?? 'expected', line: Number(m[2]), rule: m[3], snippet: m[4], note, at: `${file}:${i + 1}` });
  });
  return out;
}

/** Source spans of the snippet's occurrences on its line. */
function snippetSpans(text: string, e: Expectation): { start: number; end: number }[] {
  const lines = text.split('\n');
  if (e.line < 1 || e.line > lines.length) throw new Error(`${e.at}: line ${e.line} is outside the document`);
  const lineStart = lines.slice(0, e.line - 1).reduce((n, l) => n + l.length + 1, 0);
  const spans: { start: number; end: number }[] = [];
  for (let k = lines[e.line - 1].indexOf(e.snippet); k >= 0; k = lines[e.line - 1].indexOf(e.snippet, k + 1)) {
    spans.push({ start: lineStart + k, end: lineStart + k + e.snippet.length });
  }
  if (spans.length === 0) throw new Error(`${e.at}: "${e.snippet}" does not occur on line ${e.line}`);
  return spans;
}

interface Outcome {
  truePositives: { e: Expectation; f: Finding }[];
  /** Expected findings the linter did not report (unlisted, and listed as known misses). */
  misses: Expectation[];
  knownMisses: Expectation[];
  /** Findings nobody expected, and findings listed as known false alarms. */
  falseAlarms: Finding[];
  knownFalseAlarms: { e: Expectation; f: Finding }[];
  /** Known gaps that did not happen: the linter now reports the miss / no longer reports the false alarm. */
  stale: Expectation[];
}

export function compare(text: string, findings: readonly Finding[], expectations: readonly Expectation[]): Outcome {
  const left = [...findings];
  const take = (e: Expectation): Finding | undefined => {
    const spans = snippetSpans(text, e);
    const k = left.findIndex((f) => f.ruleId === e.rule && spans.some((s) => f.start < s.end && s.start < Math.max(f.end, f.start + 1)));
    return k < 0 ? undefined : left.splice(k, 1)[0];
  };
  const out: Outcome = { truePositives: [], misses: [], knownMisses: [], falseAlarms: [], knownFalseAlarms: [], stale: [] };
  for (const e of expectations.filter((x) => x.kind === 'expected')) {
    const f = take(e);
    if (f) out.truePositives.push({ e, f });
    else out.misses.push(e);
  }
  for (const e of expectations.filter((x) => x.kind === 'known-false-alarm')) {
    const f = take(e);
    if (f) out.knownFalseAlarms.push({ e, f });
    else out.stale.push(e);
  }
  for (const e of expectations.filter((x) => x.kind === 'known-miss')) {
    const f = take(e);
    if (f) out.stale.push(e);
    else out.knownMisses.push(e);
  }
  out.falseAlarms = left;
  return out;
}

interface Counts {
  tp: number;
  fp: number;
  fn: number;
}

const pct = (a: number, b: number): string => (b === 0 ? '   —  ' : `${((100 * a) / b).toFixed(1).padStart(5)}%`);

function table(counts: Map<string, Counts>): string {
  const rows = [...counts.entries()].sort(([a], [b]) => a.localeCompare(b));
  const total: Counts = { tp: 0, fp: 0, fn: 0 };
  const lines = ['rule    expected  reported  true  false-alarms  misses  precision  recall'];
  const row = (name: string, c: Counts): string =>
    `${name.padEnd(7)} ${String(c.tp + c.fn).padStart(8)}  ${String(c.tp + c.fp).padStart(8)}  ${String(c.tp).padStart(4)}  ${String(c.fp).padStart(12)}  ${String(c.fn).padStart(6)}  ${pct(c.tp, c.tp + c.fp).padStart(9)}  ${pct(c.tp, c.tp + c.fn).padStart(6)}`;
  for (const [rule, c] of rows) {
    lines.push(row(rule, c));
    total.tp += c.tp;
    total.fp += c.fp;
    total.fn += c.fn;
  }
  lines.push(row('all', total));
  return lines.join('\n');
}

describe('corpus: real-style writeups with every expected finding marked', function () {
  // GitHub's MathJax is loaded once for the whole corpus (a few seconds on a loaded machine).
  this.timeout(120000);
  const docs = fs.readdirSync(corpusDir).filter((f) => f.endsWith('.md')).sort();
  const counts = new Map<string, Counts>();
  const count = (rule: string): Counts => {
    let c = counts.get(rule);
    if (!c) counts.set(rule, (c = { tp: 0, fp: 0, fn: 0 }));
    return c;
  };
  const problems: string[] = [];
  const outcomes = new Map<string, Outcome>();

  before(async () => {
    const validator = new GithubValidator();
    for (const doc of docs) {
      const text = fs.readFileSync(path.join(corpusDir, doc), 'utf8');
      const expectFile = doc.replace(/\.md$/, '.expect');
      const expectations = parseExpectations(fs.readFileSync(path.join(corpusDir, expectFile), 'utf8'), expectFile);
      const outcome = compare(text, await lintTextAsync(text, undefined, { validator }), expectations);
      outcomes.set(doc, outcome);
      const where = (f: Finding): string => `${doc}:${f.range.start.line + 1}:${f.range.start.character + 1} ${f.ruleId} ${JSON.stringify(text.slice(f.start, Math.min(f.end, f.start + 60)))}`;
      for (const { e } of outcome.truePositives) count(e.rule).tp++;
      for (const e of [...outcome.misses, ...outcome.knownMisses]) count(e.rule).fn++;
      for (const f of outcome.falseAlarms) count(f.ruleId).fp++;
      for (const { f } of outcome.knownFalseAlarms) count(f.ruleId).fp++;
      for (const f of outcome.falseAlarms) problems.push(`false alarm: ${where(f)} — ${f.message}`);
      for (const e of outcome.misses) problems.push(`miss: ${doc}:${e.line} ${e.rule} ${JSON.stringify(e.snippet)} (${e.at}${e.note ? `: ${e.note}` : ''})`);
      for (const e of outcome.stale) problems.push(`known gap no longer happens, update ${e.at}: ${e.kind} ${e.line} ${e.rule} ${JSON.stringify(e.snippet)}`);
    }
    const known = [...outcomes.values()].reduce((n, o) => n + o.knownMisses.length + o.knownFalseAlarms.length, 0);
    console.log(`\n      corpus: ${docs.length} documents, ${known} known gaps\n${table(counts).replace(/^/gm, '      ')}\n`);
  });

  it('has at least ten documents, Chinese and English, each with its expectations', () => {
    assert.ok(docs.length >= 10, `${docs.length} documents`);
    assert.ok(docs.some((d) => d.startsWith('zh-')) && docs.some((d) => d.startsWith('en-')));
  });

  it('reports every expected finding and nothing else (known gaps aside)', () => {
    assert.deepEqual(problems, []);
  });

  for (const doc of docs) {
    it(`${doc}: lint --fix keeps every letter and digit and leaves nothing fixable`, () => {
      const text = fs.readFileSync(path.join(corpusDir, doc), 'utf8');
      const fixed = fixAll(text, (t) => lintText(t)).text;
      assert.ok(keepsWordCharacters(wordCharacters(text), wordCharacters(fixed)), 'a letter or digit was lost');
      const left = lintText(fixed).filter((f) => f.fixes.length > 0);
      assert.deepEqual(left.map((f) => `${f.ruleId}@${f.range.start.line + 1}: ${f.message}`), []);
    });
  }
});
