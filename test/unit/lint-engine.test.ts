import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { lintText } from '../../src/core/lint/engine';
import { createRegistry, defaultRegistry, ENGINE_RULE, RegistryError, validateRules } from '../../src/core/lint/registry';
import { ConfigError, mergeConfigs, resolveRuleSettings, validateConfig } from '../../src/core/lint/config';
import { applyEdits } from '../../src/core/lint/edits';
import { badRangeRule, dollarSpaceRule, testRegistry, throwingRule, todoRule } from './lint-test-rules';

const registry = testRegistry();
const repoRoot = path.resolve(__dirname, '../../..');

describe('lint engine', () => {
  it('MW044 pairs \\[ with \\] inside a paragraph, never across a blank line', () => {
    const ids = (t: string): string[] => lintText(t).filter((f) => f.ruleId === 'MW044').map((f) => t.slice(f.start, f.end));
    assert.deepEqual(ids('Then \\[ a + b = c \\] holds.\n'), ['\\[ a + b = c \\]']);
    assert.deepEqual(ids('Then \\[ a +\nb = c \\] holds.\n'), ['\\[ a +\nb = c \\]']);
    // a stray \[ must not reach a \] paragraphs later
    assert.deepEqual(ids('A stray \\[ x = 1\n\nLater \\[ y = 2 \\] here.\n'), ['\\[ y = 2 \\]']);
  });

  it('fills every finding field and sorts by position', () => {
    const text = 'a $ b TODO\r\nTODO $ c';
    const fs = lintText(text, { rules: { MW903: 'off' } }, { registry });
    assert.deepEqual(fs.map((f) => [f.ruleId, f.start, f.end]), [['MW902', 2, 4], ['MW901', 6, 10], ['MW901', 12, 16], ['MW902', 17, 19]]);
    const todo = fs[1];
    assert.equal(todo.ruleAlias, 'no-todo');
    assert.equal(todo.severity, 'warning');
    assert.equal(todo.docs, 'docs/rules/MW901.md');
    assert.deepEqual(todo.specRules, ['GH-TEST-01']);
    assert.equal(todo.message, 'TODO left in the text');
    assert.deepEqual(todo.fixes[0].edits, [{ start: 6, end: 10, newText: 'TO DO' }]);
    // CRLF counts as one line break; characters are UTF-16 units
    assert.deepEqual(fs[2].range, { start: { line: 1, character: 0 }, end: { line: 1, character: 4 } });
    assert.deepEqual(fs[0].specRules, ['GH-IN-02'], 'a report may name its own spec rules');
  });

  it('counts columns in UTF-16 code units after astral characters and CJK', () => {
    const fs = lintText('😀中TODO', { rules: { MW903: 'off' } }, { registry });
    assert.deepEqual(fs[0].range.start, { line: 0, character: 3 });
  });

  it('applies severity overrides by id or alias, and off', () => {
    const text = 'TODO $ x';
    const sev = (cfg: Record<string, 'off' | 'error' | 'warning' | 'info'>) =>
      lintText(text, { rules: { MW903: 'off', ...cfg } }, { registry }).map((f) => `${f.ruleId}:${f.severity}`);
    assert.deepEqual(sev({}), ['MW901:warning', 'MW902:error']);
    assert.deepEqual(sev({ 'no-todo': 'error', MW902: 'info' }), ['MW901:error', 'MW902:info']);
    assert.deepEqual(sev({ 'DOLLAR-SPACE': 'off' }), ['MW901:warning']);
  });

  it('drops rules of the other renderer according to target', () => {
    const ids = (target: 'github' | 'vscode' | 'both') =>
      [...new Set(lintText('TODO $ x', { target, rules: { MW903: 'off' } }, { registry }).map((f) => f.ruleId))];
    assert.deepEqual(ids('both'), ['MW901', 'MW902']);
    assert.deepEqual(ids('github'), ['MW901']);
    assert.deepEqual(ids('vscode'), ['MW902']);
  });

  it('turns a throwing rule into one MW000 finding and keeps the other rules', () => {
    const fs = lintText('boom TODO', undefined, { registry });
    assert.deepEqual(fs.map((f) => f.ruleId), ['MW000', 'MW901']);
    assert.match(fs[0].message, /rule MW903 \(explodes\) failed on this document and was skipped: kaboom/);
    assert.equal(fs[0].severity, 'warning');
    // without "boom" its report stands
    assert.deepEqual(lintText('calm', undefined, { registry }).map((f) => f.ruleId), ['MW903']);
  });

  it('turns an invalid report into one MW000 finding instead of a bad range', () => {
    const fs = lintText('oops', { rules: { MW903: 'off' } }, { registry });
    assert.equal(fs.length, 1);
    assert.equal(fs[0].ruleId, 'MW000');
    assert.match(fs[0].message, /rule MW904 \(bad-range\) reported invalid range \[0, 9\)/);
  });

  it('rejects an invalid configuration with a message naming the problem', () => {
    assert.throws(() => lintText('x', { rules: { MW999: 'off' } }, { registry }), (e: Error) => e instanceof ConfigError && /unknown rule "MW999"/.test(e.message));
    assert.throws(() => lintText('x', { target: 'gitlab' as 'github' }, { registry }), /"target" must be one of "github", "vscode", "both"/);
  });

  it('runs with an empty registry and on empty text', () => {
    assert.deepEqual(lintText('TODO', undefined, { registry: createRegistry([]) }), []);
    assert.deepEqual(lintText('', { rules: { MW903: 'off' } }, { registry }), []);
  });

  it('copies fixes so callers cannot corrupt a rule', () => {
    const [f] = lintText('TODO', { rules: { MW903: 'off' } }, { registry });
    assert.equal(applyEdits('TODO', f.fixes[0].edits), 'TO DO');
  });
});

describe('lint configuration', () => {
  it('validates and normalises rule names to ids', () => {
    const { config, problems } = validateConfig({ target: 'github', rules: { 'no-todo': 'error', MW902: false, mw903: true } }, registry);
    assert.deepEqual(problems, []);
    assert.deepEqual(config, { target: 'github', rules: { MW901: 'error', MW902: 'off', MW903: 'warning' } });
  });

  it('names unknown rules, bad severities and unknown settings', () => {
    const { problems } = validateConfig({ rules: { 'dolar-space': 'warn', MW901: 'warn', MW902: 3 }, colour: 'red', target: 5 }, registry);
    const msgs = problems.map((p) => p.message);
    assert.ok(msgs.some((m) => /unknown rule "dolar-space" \(did you mean "dollar-space"\?\)/.test(m)), msgs.join('\n'));
    assert.ok(msgs.some((m) => /rule "MW901": severity must be one of "off", "error", "warning", "info", true or false, not "warn" \(did you mean "warning"\?\)/.test(m)));
    assert.ok(msgs.some((m) => /rule "MW902": .* not 3/.test(m)));
    assert.ok(msgs.some((m) => /unknown setting "colour"/.test(m)));
    assert.ok(msgs.some((m) => /"target" must be one of/.test(m)));
    assert.deepEqual(problems.find((p) => /dolar/.test(p.message))?.path, ['rules', 'dolar-space']);
    assert.match(validateConfig([], registry).problems[0].message, /must be a JSON object/);
  });

  it('merges layers with later ones winning, across ids and aliases', () => {
    const merged = mergeConfigs(registry, { target: 'vscode', rules: { MW901: 'error', MW902: 'info' } }, undefined, { rules: { 'no-todo': 'off' } }, { target: 'both' });
    assert.deepEqual(merged, { target: 'both', rules: { MW901: 'off', MW902: 'info' } });
  });

  it('resolves effective settings with defaults and target', () => {
    const s = resolveRuleSettings(mergeConfigs(registry, { target: 'github', rules: { MW902: 'error', MW904: 'error' } }), registry);
    assert.equal(s.get('MW000'), 'warning');
    assert.equal(s.get('MW901'), 'warning');
    assert.equal(s.get('MW902'), 'off', 'target github wins over a per-rule setting of a vscode rule');
    assert.equal(s.get('MW904'), 'error');
  });
});

describe('rule registry', () => {
  it('looks rules up by id or alias, case-insensitively, including MW000', () => {
    assert.equal(registry.get('NO-TODO')?.id, 'MW901');
    assert.equal(registry.canonicalId(' mw902 '), 'MW902');
    assert.equal(registry.get('invalid-directive'), ENGINE_RULE);
    assert.equal(registry.rule('MW000'), undefined);
    assert.equal(registry.rule('explodes'), throwingRule);
    assert.equal(registry.get('nope'), undefined);
    assert.deepEqual(registry.list().map((m) => m.id), ['MW000', 'MW901', 'MW902', 'MW903', 'MW904']);
  });

  it('rejects duplicate ids and aliases, bad docs paths and reserved names', () => {
    assert.throws(() => createRegistry([todoRule, { ...dollarSpaceRule, id: 'MW901', docs: 'docs/rules/MW901.md' }]), (e: Error) =>
      e instanceof RegistryError && /name "MW901" is already used by MW901/.test(e.message));
    assert.match(validateRules([{ ...todoRule, alias: 'Dollar-Space' }, dollarSpaceRule]).join('\n'), /alias must be lower-case/);
    assert.match(validateRules([{ ...badRangeRule, alias: 'dollar-space' }, dollarSpaceRule]).join('\n'), /name "dollar-space" is already used by MW904/);
    assert.match(validateRules([{ ...todoRule, docs: 'docs/todo.md' }]).join('\n'), /docs must be "docs\/rules\/MW901.md"/);
    assert.match(validateRules([{ ...todoRule, alias: 'invalid-directive' }]).join('\n'), /already used by MW000/);
    assert.match(validateRules([{ ...todoRule, defaultSeverity: 'fatal' as 'error' }]).join('\n'), /defaultSeverity/);
  });

  it('the project registry is valid and every rule (and MW000) has its docs page', () => {
    const reg = defaultRegistry();
    for (const m of reg.list()) {
      assert.ok(fs.existsSync(path.join(repoRoot, m.docs)), `missing docs page ${m.docs} for ${m.id}`);
    }
  });
});
