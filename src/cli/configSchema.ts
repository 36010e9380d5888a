// The JSON schema of `.math-writeup.json`, generated from the rule registry (scripts/gen-config-schema.mjs writes
// it to schemas/math-writeup.schema.json; a unit test keeps the file in step). Editors use it through `$schema` or
// the extension's `jsonValidation` contribution: completion and hover for settings, rule ids and aliases.
import { RULE_SETTINGS, TARGETS } from '../core/lint/config';
import type { Registry } from '../core/lint/registry';
import { DOCS_BASE_URL } from './format/sarif';

export const SCHEMA_FILE = 'schemas/math-writeup.schema.json';

/** A regexp source matching `name` in any letter case (rule names are case-insensitive). */
function anyCase(name: string): string {
  return [...name].map((c) => (c.toLowerCase() !== c.toUpperCase() ? `[${c.toUpperCase()}${c.toLowerCase()}]` : c.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&'))).join('');
}

export function buildConfigSchema(registry: Registry): object {
  const rules = registry.list();
  const ruleProps: Record<string, object> = {};
  for (const r of rules) {
    const about = `**${r.id}** \`${r.alias}\` (default: ${r.defaultSeverity}; protects ${r.target === 'both' ? 'GitHub and VS Code' : r.target === 'github' ? 'GitHub' : "VS Code's preview"})\n\n${r.description}.\n\n[Documentation](${DOCS_BASE_URL}${r.docs})`;
    ruleProps[r.id] = { $ref: '#/definitions/setting', markdownDescription: about, description: `${r.id} ${r.alias}: ${r.description}` };
    ruleProps[r.alias] = {
      $ref: '#/definitions/setting',
      markdownDescription: `Alias of ${about}`,
      description: `${r.alias} (alias of ${r.id}): ${r.description}`,
    };
  }
  const names = rules.flatMap((r) => [r.id, r.alias]);
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: `${DOCS_BASE_URL.replace('/blob/', '/raw/')}${SCHEMA_FILE}`,
    title: 'math-writeup configuration (.math-writeup.json)',
    description: 'Settings of the math-writeup linter for the files in this folder and below (up to the repository root).',
    type: 'object',
    additionalProperties: false,
    properties: {
      $schema: { type: 'string', description: 'The JSON schema of this file (for editors).' },
      target: {
        enum: [...TARGETS],
        default: 'both',
        description: 'Which renderer the linter protects.',
        enumDescriptions: [
          "Report only what breaks on github.com (GitHub's Markdown-then-MathJax pipeline).",
          "Report only what breaks in VS Code's Markdown preview (KaTeX).",
          'Report both: the formula must render on GitHub and in VS Code.',
        ],
      },
      rules: {
        type: 'object',
        description: 'Per-rule severity, or "off", keyed by rule id (MW001) or alias (text-before-dollar), in any letter case.',
        properties: ruleProps,
        propertyNames: { pattern: `^(?:${names.map(anyCase).join('|')})$`, patternErrorMessage: 'Unknown rule: rules are named by id (e.g. MW001) or alias.' },
        additionalProperties: { $ref: '#/definitions/setting' },
      },
      ignores: {
        type: 'array',
        items: { type: 'string', minLength: 1 },
        description:
          'Files the command line leaves out of directory and glob arguments (and of named files), in .gitignore syntax, relative to this file\'s folder, e.g. ["test/fixtures/**"].',
      },
    },
    definitions: {
      setting: {
        enum: [...RULE_SETTINGS, true, false],
        enumDescriptions: [
          'Do not report this rule.',
          'Report as an error (the CLI exits 1).',
          'Report as a warning.',
          'Report as information.',
          "The rule's default severity.",
          'Same as "off".',
        ],
      },
    },
  };
}

/** The schema file's text (2-space JSON and a final newline). */
export function configSchemaText(registry: Registry): string {
  return JSON.stringify(buildConfigSchema(registry), null, 2) + '\n';
}
