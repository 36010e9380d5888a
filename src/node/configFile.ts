// `.math-writeup.json`: found by walking up from a document's directory, parsed as JSONC (comments and trailing
// commas allowed) with file:line:col on errors,
// validated by the pure core (src/core/lint/config.ts).
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import type { LintConfig } from '../core/lint/types';
import type { Registry } from '../core/lint/registry';
import { validateConfig } from '../core/lint/config';
import { LineIndex } from '../core/text';
import { reason } from './files';
import { findNodeAtLocation, getNodeValue, parseTree, ParseErrorCode, type ParseError } from 'jsonc-parser';

export const CONFIG_FILE_NAME = '.math-writeup.json';

export class ConfigFileError extends Error {
  override name = 'ConfigFileError';
}

async function exists(p: string): Promise<boolean> {
  try {
    await fsp.stat(p);
    return true;
  } catch {
    return false;
  }
}

/**
 * The nearest `.math-writeup.json` in `dir` or its ancestors. The search stops at a directory that contains `.git`
 * (the repository root: a config above it belongs to another project) and at the file-system root.
 */
export async function findConfigFile(dir: string): Promise<string | undefined> {
  let d = path.resolve(dir);
  for (;;) {
    const candidate = path.join(d, CONFIG_FILE_NAME);
    if (await exists(candidate)) return candidate;
    if (await exists(path.join(d, '.git'))) return undefined;
    const parent = path.dirname(d);
    if (parent === d) return undefined;
    d = parent;
  }
}

/** A configuration file's contents: the lint settings, and the CLI's file-list exclusions. */
export interface ConfigDocument {
  config: Partial<LintConfig>;
  /** `ignores`: gitignore-style patterns, relative to the configuration file's directory (CLI file lists only). */
  ignores: string[];
}

/**
 * Read, parse and validate a configuration file. Throws `ConfigFileError` with a one-line message
 * `file:line:col: problem` (or `file: problem`) for unreadable files, JSON syntax errors, unknown rules and bad
 * severities; `shown` is the path used in messages.
 */
export async function readConfigFile(file: string, registry: Registry, shown: string = file): Promise<ConfigDocument> {
  let text: string;
  try {
    text = await fsp.readFile(file, 'utf8');
  } catch (e) {
    throw new ConfigFileError(`math-writeup: cannot read config ${shown}: ${reason(e)}`);
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return parseConfigDocument(text, registry, shown);
}

/** The lint settings of a configuration file (see readConfigFile). */
export async function loadConfigFile(file: string, registry: Registry, shown: string = file): Promise<Partial<LintConfig>> {
  return (await readConfigFile(file, registry, shown)).config;
}

/** Parse and validate configuration text (see readConfigFile); the lint settings only. */
export function parseConfigText(text: string, registry: Registry, shown: string): Partial<LintConfig> {
  return parseConfigDocument(text, registry, shown).config;
}

/**
 * Parse and validate configuration text: JSON with comments and trailing commas (JSONC, as VS Code's settings).
 * Errors name the line and column of the problem.
 */
export function parseConfigDocument(text: string, registry: Registry, shown: string): ConfigDocument {
  const lines = new LineIndex(text);
  const at = (offset: number): string => {
    const p = lines.positionAt(offset);
    return `${shown}:${p.line + 1}:${p.character + 1}`;
  };
  const syntax: ParseError[] = [];
  const tree = parseTree(text, syntax, { allowTrailingComma: true, disallowComments: false, allowEmptyContent: false });
  if (syntax.length > 0 || !tree) {
    const e = syntax[0] ?? { error: ParseErrorCode.ValueExpected, offset: 0, length: 0 };
    throw new ConfigFileError(`math-writeup: ${at(e.offset)}: invalid JSON: ${describeParseError(e.error)}`);
  }
  const where = (p: (string | number)[]): string => {
    const node = findNodeAtLocation(tree, p);
    const target = node?.parent?.type === 'property' ? node.parent : node;
    return target ? at(target.offset) : shown;
  };
  const raw = getNodeValue(tree) as unknown;
  let ignores: string[] = [];
  let rest = raw;
  if (raw !== null && typeof raw === 'object' && !Array.isArray(raw) && 'ignores' in raw) {
    const { ignores: list, ...others } = raw as Record<string, unknown>;
    if (!Array.isArray(list) || !list.every((x): x is string => typeof x === 'string' && x.trim() !== '')) {
      throw new ConfigFileError(`math-writeup: ${where(['ignores'])}: "ignores" must be a list of file patterns, e.g. ["test/fixtures/**"]`);
    }
    ignores = list;
    rest = others;
  }
  const { config, problems } = validateConfig(rest, registry);
  if (problems.length > 0) {
    const p = problems[0];
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more problem${problems.length > 2 ? 's' : ''})` : '';
    // The core knows the lint settings; "ignores" is the command line's own.
    const message = p.message.replace('known settings are "target" and "rules"', 'known settings are "target", "rules" and "ignores"');
    throw new ConfigFileError(`math-writeup: ${p.path.length > 0 ? where(p.path) : shown}: ${message}${more}`);
  }
  return { config, ignores };
}

function describeParseError(code: ParseErrorCode): string {
  switch (code) {
    case ParseErrorCode.InvalidSymbol:
      return 'unexpected character';
    case ParseErrorCode.InvalidNumberFormat:
      return 'invalid number';
    case ParseErrorCode.PropertyNameExpected:
      return 'expected a property name in double quotes';
    case ParseErrorCode.ValueExpected:
      return 'expected a value';
    case ParseErrorCode.ColonExpected:
      return 'expected ":" after the property name';
    case ParseErrorCode.CommaExpected:
      return 'expected "," between entries';
    case ParseErrorCode.CloseBraceExpected:
      return 'expected "}"';
    case ParseErrorCode.CloseBracketExpected:
      return 'expected "]"';
    case ParseErrorCode.EndOfFileExpected:
      return 'unexpected text after the end of the configuration';
    case ParseErrorCode.InvalidCommentToken:
      return 'invalid comment';
    case ParseErrorCode.UnexpectedEndOfComment:
      return 'comment not closed (missing */)';
    case ParseErrorCode.UnexpectedEndOfString:
      return 'unterminated string';
    case ParseErrorCode.UnexpectedEndOfNumber:
      return 'unterminated number';
    case ParseErrorCode.InvalidUnicode:
      return 'invalid \\u escape';
    case ParseErrorCode.InvalidEscapeCharacter:
      return 'invalid escape character';
    case ParseErrorCode.InvalidCharacter:
      return 'control character or line break inside a string';
    default:
      return 'malformed JSON';
  }
}
