// The scanner's typed causes and the rules that word them: every cause is owned by exactly one lint rule (or is one
// of the few no rule reports), and what users read names rule ids, never the spec's ids.
import assert from 'node:assert/strict';
import { allRules } from '../../src/core/lint/rules/index';
import { explainNearMiss } from '../../src/core/lint/explain';
import { lintText } from '../../src/core/lint/engine';
import { scanDocument } from '../../src/core/scan/scanner';
import { scanToJson } from '../../src/cli/scan';
import type { CauseKind, NearMissCause, PairedDelimiter } from '../../src/core/scan/causes';
import type { GithubMath, NearMiss, VscodeMath } from '../../src/core/scan/types';

const span = { start: 3, end: 4 };
const delim = (lineDelta: number): PairedDelimiter => ({ start: 3, end: 4, quote: '$f(x)_i$', quoteAt: 5, inFormula: true, nth: 1, of: 1, lineDelta });
/** One cause of each kind (a Record over CauseKind: the compiler makes sure none is missing). */
const SAMPLES: Record<CauseKind, NearMissCause> = {
  'unclosed-display': { kind: 'unclosed-display' },
  'escaped-dollar': { kind: 'escaped-dollar' },
  'display-inline': { kind: 'display-inline', reason: 'list' },
  'paired-differently': { kind: 'paired-differently' },
  'stray-dollar': { kind: 'stray-dollar' },
  'in-footnote': { kind: 'in-footnote' },
  'html-suppressed': { kind: 'html-suppressed', tag: span, line: 2 },
  'in-html-block': { kind: 'in-html-block' },
  'in-code': { kind: 'in-code' },
  'in-link': { kind: 'in-link' },
  'in-emphasis': { kind: 'in-emphasis', markup: '_', open: delim(-1), close: delim(2) },
  'in-raw-html': { kind: 'in-raw-html' },
  'html-tag': { kind: 'html-tag', html: '<b >', at: span },
  'link-syntax': { kind: 'link-syntax' },
  'emphasis-pairs': { kind: 'emphasis-pairs', markup: '_', open: delim(0), close: delim(1) },
  strikethrough: { kind: 'strikethrough' },
  'code-span': { kind: 'code-span' },
  'hard-break': { kind: 'hard-break' },
  'text-after-close': { kind: 'text-after-close', char: 'a' },
  'blank-line-in-display': { kind: 'blank-line-in-display' },
  'list-in-display': { kind: 'list-in-display', marker: '+', at: span },
  'display-not-alone': { kind: 'display-not-alone' },
  'text-before-display': { kind: 'text-before-display' },
  'text-before-open': { kind: 'text-before-open', char: '，' },
  'adjacent-formulas': { kind: 'adjacent-formulas' },
  'space-after-open': { kind: 'space-after-open' },
  'space-before-close': { kind: 'space-before-close' },
  'escaped-for-github': { kind: 'escaped-for-github' },
  'row-break-mid-line': { kind: 'row-break-mid-line', at: span },
  'escape-eaten': { kind: 'escape-eaten', sequence: '\\{', sequences: ['\\{'], at: span },
  'entity-decoded': { kind: 'entity-decoded' },
  'tag-dropped': { kind: 'tag-dropped' },
  'tex-differs': { kind: 'tex-differs' },
};

const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 9 } };
const context = { inList: false, inBlockquote: false, inTable: false, inHeading: false };
const vscode: VscodeMath = { syntax: 'dollar', display: false, tex: '\\{a\\}', start: 0, end: 9, range, bodyStart: 1, bodyEnd: 8, context };
const github: GithubMath = { syntax: 'dollar', display: false, delimited: '${a}$', tex: '{a}', start: 0, end: 9, range, bodyStart: 1, bodyEnd: 8, context };
const miss = (cause: NearMissCause): NearMiss => ({ cause, start: 0, end: 9, range, vscode, github });

const SPEC_ID = /GH-[A-Z]+-\d/;

describe('near-miss causes and the rules that word them', () => {
  for (const [kind, cause] of Object.entries(SAMPLES)) {
    it(`${kind}: worded by one rule at most, never with a spec id`, () => {
      const owners = allRules.filter((r) => r.explain?.(miss(cause)) !== undefined).map((r) => r.id);
      assert.ok(owners.length <= 1, `${kind} is worded by ${owners.join(', ')}`);
      const { ruleId, message } = explainNearMiss(miss(cause));
      assert.equal(ruleId, owners[0]);
      assert.ok(message.length > 20, message);
      assert.doesNotMatch(message, SPEC_ID);
      assert.doesNotMatch(message, /does not render this as VS Code does\.$/, `${kind} has no words of its own`);
    });
  }

  it('only code (where neither renderer shows math) has no rule', () => {
    const unowned = Object.values(SAMPLES).filter((c) => explainNearMiss(miss(c)).ruleId === undefined).map((c) => c.kind);
    assert.deepEqual(unowned, ['in-code', 'code-span']);
  });

  it('a rule reports a near miss in the words it gives the hover and the preview', () => {
    const text = 'The optimum $w^*$ and the loss $L^*$ agree.\n\nThe set $\\{1, 2\\}$ is finite, 梯度$g$很小.\n';
    const findings = lintText(text);
    for (const n of scanDocument(text).nearMisses) {
      const { ruleId, message } = explainNearMiss(n);
      assert.ok(findings.some((f) => f.ruleId === ruleId && f.message === message && f.start === n.start), `${ruleId}: ${message}`);
    }
  });

  it('scan output names rule ids and causes, not spec ids', () => {
    const json = scanToJson('m.md', 'Star math $a*b*c$ here.\n\n当$x$时\n\n```\n$x$\n```\n');
    assert.deepEqual(json.nearMisses.map((n) => [n.rule, n.cause]), [['MW020', 'emphasis-pairs'], ['MW001', 'text-before-open']]);
    assert.doesNotMatch(JSON.stringify(json), SPEC_ID);
  });
});
