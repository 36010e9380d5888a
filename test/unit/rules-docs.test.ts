// Every lint rule has a docs page whose examples are true: the failing example triggers the rule, the fix does not.
// The rules tables in README.md and docs/rules/README.md match the registry (scripts/gen-rules-table.mjs).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { lintTextAsync } from '../../src/core/lint/engine';

// The full lint (with GitHub's MathJax pass), as the command line runs it.
const lintText = lintTextAsync;
import { ENGINE_RULE } from '../../src/core/lint/registry';
import { allRules } from '../../src/core/lint/rules/index';
import type { LintRule } from '../../src/core/lint/types';
import { docsIndexTable, PORTABLE_END, PORTABLE_START, portableTable, readmeRulesTable, replaceBetweenMarkers, RULES_END, RULES_START, tableCell, type RuleRowMeta } from '../../src/core/lint/rulesTable';
import { PORTABLE, portableFor } from '../../src/core/tex/portable';

const repoRoot = path.resolve(__dirname, '../../..');

/** Documentation order, then the engine's own diagnostic (the same list scripts/gen-rules-table.mjs uses). */
const documented: readonly RuleRowMeta[] = [...allRules, ENGINE_RULE];

function readDoc(rel: string): string {
  return fs.readFileSync(path.join(repoRoot, rel), 'utf8').replace(/\r\n/g, '\n');
}

/**
 * Body of the first ```markdown (or ````markdown, ~~~markdown) fence after the line `heading`, before the next
 * `## ` heading; undefined if there is none.
 */
function markdownFenceAfter(doc: string, heading: string): string | undefined {
  const lines = doc.split('\n');
  let i = lines.findIndex((l) => l.trimEnd() === heading);
  if (i < 0) return undefined;
  for (i++; i < lines.length; i++) {
    if (lines[i].startsWith('## ')) return undefined;
    const open = /^(`{3,}|~{3,})markdown\s*$/.exec(lines[i]);
    if (!open) continue;
    const close = new RegExp(`^\\${open[1][0]}{${open[1].length},}\\s*$`);
    const body: string[] = [];
    for (i++; i < lines.length; i++) {
      if (close.test(lines[i])) return `${body.join('\n')}\n`;
      body.push(lines[i]);
    }
    return undefined;
  }
  return undefined;
}

describe('rule docs pages', () => {
  it('ids and aliases are unique (case-insensitive, across ids and aliases)', () => {
    const seen = new Map<string, string>();
    for (const r of documented) {
      for (const name of [r.id, r.alias]) {
        const key = name.toLowerCase();
        assert.ok(!seen.has(key), `${name} (${r.id}) clashes with ${seen.get(key)}`);
        seen.set(key, r.id);
      }
    }
  });

  it('every page under docs/rules/ belongs to a rule', () => {
    const ids = new Set(documented.map((r) => r.id));
    const pages = fs.readdirSync(path.join(repoRoot, 'docs', 'rules')).filter((f) => /^MW\d+\.md$/.test(f));
    for (const p of pages) assert.ok(ids.has(p.slice(0, -3)), `docs/rules/${p} has no rule in the registry`);
  });

  for (const rule of documented) {
    describe(`${rule.id} ${rule.alias}`, () => {
      const read = (): string => {
        assert.equal(rule.docs, `docs/rules/${rule.id}.md`, 'docs path');
        assert.ok(fs.existsSync(path.join(repoRoot, rule.docs)), `${rule.docs} is missing`);
        return readDoc(rule.docs);
      };

      it('page exists with the title, metadata and sections', () => {
        const doc = read();
        assert.equal(doc.split('\n')[0], `# ${rule.id} ${rule.alias}`, 'title line');
        for (const section of ['## Failing example', '## Fix', '## How to disable']) {
          assert.ok(doc.split('\n').includes(section), `missing section "${section}"`);
        }
        assert.match(doc, /\*\*What GitHub shows:\*\* \S/, 'missing "What GitHub shows"');
        assert.ok(doc.includes(`- **Default severity:** ${rule.defaultSeverity}\n`), `severity line must say ${rule.defaultSeverity}`);
        assert.match(doc, new RegExp(`- \\*\\*Fixable:\\*\\* ${rule.fixable ? 'yes' : 'no'}\\b`), `fixable line must say ${rule.fixable ? 'yes' : 'no'}`);
        for (const spec of rule.specRules) assert.ok(doc.includes(spec), `page does not cite ${spec}`);
        assert.ok(doc.includes(`<!-- math-writeup-disable-next-line ${rule.id} -->`), 'disable-next-line directive');
        assert.ok(doc.includes(`"rules": { "${rule.alias}": "off" }`), 'config snippet with the alias');
      });

      it('the failing example triggers the rule', async () => {
        const example = markdownFenceAfter(read(), '## Failing example');
        assert.ok(example !== undefined, 'no ```markdown fence after "## Failing example"');
        const all = await lintText(example);
        const fired = all.filter((f) => f.ruleId === rule.id);
        assert.ok(fired.length > 0, `${rule.id} did not fire on:\n${example}\nfindings: ${JSON.stringify(all.map((f) => f.ruleId))}`);
      });

      it('the fix example does not trigger the rule', async () => {
        const example = markdownFenceAfter(read(), '## Fix');
        assert.ok(example !== undefined, 'no ```markdown fence after "## Fix"');
        const fired = (await lintText(example)).filter((f) => f.ruleId === rule.id);
        assert.deepEqual(fired.map((f) => f.message), [], `${rule.id} still fires on the fix example`);
      });

      it('the fix example is what the rule\'s preferred fixes write (unless the page says it is fixed by hand)', async () => {
        const doc = read();
        const bad = markdownFenceAfter(doc, '## Failing example');
        const good = markdownFenceAfter(doc, '## Fix');
        assert.ok(bad !== undefined && good !== undefined);
        if (doc.includes('<!-- fixed by hand:')) return;
        const edits = (await lintText(bad)).filter((f) => f.ruleId === rule.id).flatMap((f) => (f.fixes?.find((x) => x.preferred) ?? f.fixes?.[0])?.edits ?? []);
        let fixed = bad;
        for (const e of [...edits].sort((x, y) => y.start - x.start)) fixed = fixed.slice(0, e.start) + e.newText + fixed.slice(e.end);
        assert.equal(fixed, good, `${rule.docs}: the "Fix" example differs from what the rule writes; make it match or mark it <!-- fixed by hand: … -->`);
      });

      const examples = 'examples' in rule ? (rule as LintRule).examples ?? [] : [];
      for (const [i, ex] of examples.entries()) {
        it(`example ${i + 1} the rule owns: it reports exactly these messages, and the page shows it`, async () => {
          const messages = (await lintText(ex.markdown)).filter((f) => f.ruleId === rule.id).map((f) => f.message);
          assert.deepEqual(messages, [...ex.messages]);
          assert.ok(read().includes(`\`\`\`markdown\n${ex.markdown}\`\`\``), `${rule.docs} does not show example ${i + 1} in a \`\`\`markdown fence`);
        });
      }

      it('the page itself lints clean (its examples are in code)', async () => {
        const findings = await lintText(read());
        assert.deepEqual(findings.map((f) => `${f.ruleId} ${f.range.start.line + 1}: ${f.message}`), []);
      });
    });
  }
});

describe('rules tables', () => {
  it('README.md table is up to date (node scripts/gen-rules-table.mjs)', () => {
    const file = path.join(repoRoot, 'README.md');
    assert.ok(fs.existsSync(file), 'README.md is missing');
    const r = replaceBetweenMarkers(fs.readFileSync(file, 'utf8'), readmeRulesTable(documented), 'README.md');
    assert.ok(r.ok, r.ok ? '' : r.error);
    assert.equal(r.changed, false, 'README.md rules table is stale: run `node scripts/gen-rules-table.mjs`');
  });

  it('docs/rules/README.md table of portable spellings is up to date, and every row is written by its rule', () => {
    const r = replaceBetweenMarkers(readDoc('docs/rules/README.md'), portableTable(PORTABLE), 'docs/rules/README.md', PORTABLE_START, PORTABLE_END);
    assert.ok(r.ok, r.ok ? '' : r.error);
    assert.equal(r.changed, false, 'docs/rules/README.md portable spellings table is stale: run `node scripts/gen-rules-table.mjs`');
    for (const e of PORTABLE) {
      assert.ok(allRules.some((x) => x.id === e.rule), `${e.rule} is no rule`);
      assert.equal(portableFor(e.rule, e.written), e.portable, `${e.written} has one spelling for ${e.rule}`);
      assert.ok(readDoc(`docs/rules/${e.rule}.md`).includes(e.portable), `docs/rules/${e.rule}.md does not name ${e.portable}`);
    }
  });

  it('docs/rules/README.md index is up to date', () => {
    const r = replaceBetweenMarkers(readDoc('docs/rules/README.md'), docsIndexTable(documented), 'docs/rules/README.md');
    assert.ok(r.ok, r.ok ? '' : r.error);
    assert.equal(r.changed, false, 'docs/rules/README.md index is stale: run `node scripts/gen-rules-table.mjs`');
  });

  it('README table: one row per rule, linking the docs page, five cells each', () => {
    const table = readmeRulesTable(documented).split('\n');
    assert.equal(table.length, documented.length + 2);
    assert.equal(table[0], '| Rule | Alias | Default | Fixable | What it catches |');
    for (const [i, r] of documented.entries()) {
      const row = table[i + 2];
      assert.ok(row.startsWith(`| [${r.id}](docs/rules/${r.id}.md) | \`${r.alias}\` | ${r.defaultSeverity} | ${r.fixable ? 'yes' : 'no'} | `), row);
      // Unescaped pipes are the cell separators: exactly six per row.
      assert.equal(row.replace(/\\\|/g, '').split('|').length - 1, 6, `cells of ${r.id}`);
    }
  });

  it('tableCell escapes pipes and joins lines', () => {
    assert.equal(tableCell('a `|x|` b'), 'a `\\|x\\|` b');
    assert.equal(tableCell('one\n  two'), 'one two');
  });

  it('replaceBetweenMarkers replaces, is idempotent, keeps CRLF, and rejects missing or repeated markers', () => {
    const doc = `intro\n${RULES_START}\nold\n${RULES_END}\noutro\n`;
    const once = replaceBetweenMarkers(doc, '| new |', 'X.md');
    assert.ok(once.ok);
    assert.equal(once.text, `intro\n${RULES_START}\n| new |\n${RULES_END}\noutro\n`);
    assert.equal(once.changed, true);
    const twice = replaceBetweenMarkers(once.text, '| new |', 'X.md');
    assert.ok(twice.ok);
    assert.equal(twice.changed, false);

    const crlf = replaceBetweenMarkers(doc.replace(/\n/g, '\r\n'), 'a\nb', 'X.md');
    assert.ok(crlf.ok);
    assert.equal(crlf.text, `intro\r\n${RULES_START}\r\na\r\nb\r\n${RULES_END}\r\noutro\r\n`);

    const missing = replaceBetweenMarkers('no markers', 'x', 'README.md');
    assert.ok(!missing.ok);
    assert.match(missing.error, /README\.md lacks the markers/);
    const repeated = replaceBetweenMarkers(`${doc}${RULES_START}\n`, 'x', 'README.md');
    assert.ok(!repeated.ok);
    assert.match(repeated.error, /more than one/);
    const reversed = replaceBetweenMarkers(`${RULES_END}\n${RULES_START}\n`, 'x', 'README.md');
    assert.ok(!reversed.ok);
    assert.match(reversed.error, /comes before/);
  });
});
