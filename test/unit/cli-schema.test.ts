// The JSON schema of .math-writeup.json: generated from the rule registry (cannot drift), accepts what the CLI
// accepts and flags what it rejects, and is registered by the extension for editors.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';
import { parse } from 'jsonc-parser';
import { configSchemaText, SCHEMA_FILE } from '../../src/cli/configSchema';
import { defaultRegistry } from '../../src/core/lint/registry';
import { parseConfigDocument } from '../../src/node/configFile';

const repo = path.resolve(__dirname, '..', '..', '..');

describe('configuration JSON schema (schemas/math-writeup.schema.json)', () => {
  const registry = defaultRegistry();
  const schemaText = fs.readFileSync(path.join(repo, SCHEMA_FILE), 'utf8');
  // VS Code's own keywords (enumDescriptions, markdownDescription, patternErrorMessage) are not JSON Schema's.
  const validate = new Ajv({ strict: false, allErrors: true }).compile(JSON.parse(schemaText) as object);
  const cliAccepts = (cfg: unknown): boolean => {
    try {
      parseConfigDocument(JSON.stringify(cfg), registry, 'c.json');
      return true;
    } catch {
      return false;
    }
  };

  it('is up to date with the rule registry (node scripts/gen-config-schema.mjs)', () => {
    assert.equal(schemaText, configSchemaText(registry), 'stale: run `node scripts/gen-config-schema.mjs`');
  });

  it('lists every rule id and alias with its description', () => {
    const schema = JSON.parse(schemaText) as { properties: { rules: { properties: Record<string, { description: string }> } } };
    const props = schema.properties.rules.properties;
    for (const r of registry.list()) {
      assert.match(props[r.id].description, new RegExp(`^${r.id} ${r.alias}: `));
      assert.match(props[r.alias].description, new RegExp(`alias of ${r.id}`));
    }
  });

  it('agrees with the CLI on valid and invalid configurations', () => {
    const some = registry.list()[3];
    const samples: unknown[] = [
      {},
      { $schema: './schemas/math-writeup.schema.json', target: 'github', rules: { [some.id]: 'off', [some.alias.toUpperCase()]: true } },
      { rules: { [some.id.toLowerCase()]: 'warning' }, ignores: ['test/**'] },
      { rules: { MW999: 'off' } },
      { rules: { [some.id]: 'loud' } },
      { target: 'gitlab' },
      { colour: true },
      { ignores: 'test/**' },
      { ignores: [''] },
      [],
    ];
    for (const s of samples) {
      assert.equal(validate(s), cliAccepts(s), `schema and CLI disagree on ${JSON.stringify(s)}`);
    }
    assert.equal(validate(samples[1]), true);
    assert.equal(validate(samples[3]), false);
  });

  it("the repository's own .math-writeup.json (JSONC) is valid", () => {
    const text = fs.readFileSync(path.join(repo, '.math-writeup.json'), 'utf8');
    const cfg = parse(text, [], { allowTrailingComma: true }) as unknown;
    assert.equal(validate(cfg), true, JSON.stringify(validate.errors));
    assert.deepEqual(parseConfigDocument(text, registry, '.math-writeup.json').ignores, ['test/**']);
  });

  it("the README's configuration example is valid for the schema and the CLI", () => {
    const readme = fs.readFileSync(path.join(repo, 'README.md'), 'utf8');
    const block = [...readme.matchAll(/```jsonc\n([\s\S]*?)```/g)].find((m) => m[1].includes('"$schema"'));
    assert.ok(block, 'README has a ```jsonc example with $schema');
    const doc = parseConfigDocument(block[1], registry, 'README example');
    assert.deepEqual(doc.ignores, ['test/fixtures/**']);
    assert.equal(validate(parse(block[1], [], { allowTrailingComma: true })), true, JSON.stringify(validate.errors));
  });

  it('the extension registers it for .math-writeup.json (jsonValidation, JSONC language) and the npm package ships it', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8')) as {
      contributes: { jsonValidation: { fileMatch: string; url: string }[]; languages: { id: string; filenames: string[] }[] };
    };
    assert.deepEqual(pkg.contributes.jsonValidation, [{ fileMatch: '.math-writeup.json', url: `./${SCHEMA_FILE}` }]);
    assert.ok(pkg.contributes.languages.some((l) => l.id === 'jsonc' && l.filenames.includes('.math-writeup.json')));
    assert.match(fs.readFileSync(path.join(repo, '.npmignore'), 'utf8'), /^!\/schemas\/$/m);
  });
});
