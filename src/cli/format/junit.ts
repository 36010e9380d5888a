// `check --format junit`: JUnit XML, one <testsuite> per file and one <testcase> per ```check block, so CI systems
// that read test reports (GitLab, Jenkins, GitHub test-report actions) list every check with its verdict. A failed
// claim is a <failure>, a check that could not run an <error>; `expect: fail` checks pass when refuted.
import type { CheckResult } from '../../core/check/types';
import { oneLine, type CheckFileOutcome } from './types';

/** Text as XML character data or attribute value: escaped, and without the characters XML 1.0 cannot hold. */
export function xmlEscape(s: string): string {
  return s
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

const seconds = (ms: number): string => (Number.isFinite(ms) && ms > 0 ? ms / 1000 : 0).toFixed(3);

function testcase(file: string, r: CheckResult): string {
  const title = oneLine(r.title) || `check at line ${r.line + 1}`;
  const name = r.expectFail ? `${title} [expect: fail]` : title;
  const attrs = `name="${xmlEscape(name)}" classname="${xmlEscape(file)}" file="${xmlEscape(file)}" line="${r.line + 1}" time="${seconds(r.elapsedMs)}"`;
  const details = [
    `${file}:${r.line + 1}: ${r.message}`,
    ...r.problems.map((p) => `${file}:${p.range.start.line + 1}:${p.range.start.character + 1}: ${p.message}`),
    `seed: ${r.seed}`,
  ].join('\n');
  if (r.status === 'pass') return `    <testcase ${attrs}>\n      <system-out>${xmlEscape(details)}</system-out>\n    </testcase>\n`;
  const tag = r.status === 'fail' ? 'failure' : 'error';
  return (
    `    <testcase ${attrs}>\n      <${tag} message="${xmlEscape(oneLine(r.message))}" type="${r.status}">${xmlEscape(details)}</${tag}>\n` +
    `    </testcase>\n`
  );
}

export function checkJunit(outcomes: readonly CheckFileOutcome[]): string {
  const count = (rs: readonly CheckResult[], s: CheckResult['status']): number => rs.filter((r) => r.status === s).length;
  const all = outcomes.flatMap((o) => o.results);
  const total = (rs: readonly CheckResult[]): number => rs.reduce((s, r) => s + (Number.isFinite(r.elapsedMs) ? r.elapsedMs : 0), 0);
  let xml = '<?xml version="1.0" encoding="UTF-8"?>\n';
  xml += `<testsuites name="math-writeup check" tests="${all.length}" failures="${count(all, 'fail')}" errors="${count(all, 'error')}" time="${seconds(total(all))}">\n`;
  for (const o of outcomes) {
    xml += `  <testsuite name="${xmlEscape(o.file)}" tests="${o.results.length}" failures="${count(o.results, 'fail')}" errors="${count(o.results, 'error')}" skipped="0" time="${seconds(total(o.results))}">\n`;
    for (const r of o.results) xml += testcase(o.file, r);
    xml += '  </testsuite>\n';
  }
  return xml + '</testsuites>\n';
}
