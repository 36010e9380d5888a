// `.math-writeup.json`: found by walking up from a document's directory, parsed with file:line:col on errors,
// validated by the pure core (src/core/lint/config.ts).
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import type { LintConfig } from '../core/lint/types';
import type { Registry } from '../core/lint/registry';
import { validateConfig } from '../core/lint/config';
import { LineIndex } from '../core/text';
import { reason } from './files';

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

/**
 * Read, parse and validate a configuration file. Throws `ConfigFileError` with a one-line message
 * `file:line:col: problem` (or `file: problem`) for unreadable files, JSON syntax errors, unknown rules and bad
 * severities; `shown` is the path used in messages.
 */
export async function loadConfigFile(file: string, registry: Registry, shown: string = file): Promise<Partial<LintConfig>> {
  let text: string;
  try {
    text = await fsp.readFile(file, 'utf8');
  } catch (e) {
    throw new ConfigFileError(`math-writeup: cannot read config ${shown}: ${reason(e)}`);
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return parseConfigText(text, registry, shown);
}

/** Parse and validate configuration text (see loadConfigFile). */
export function parseConfigText(text: string, registry: Registry, shown: string): Partial<LintConfig> {
  const lines = new LineIndex(text);
  const at = (offset: number): string => {
    const p = lines.positionAt(offset);
    return `${shown}:${p.line + 1}:${p.character + 1}`;
  };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    const err = locateJsonError(text);
    throw new ConfigFileError(`math-writeup: ${at(err.offset)}: invalid JSON: ${err.message}`);
  }
  const { config, problems } = validateConfig(raw, registry);
  if (problems.length > 0) {
    const p = problems[0];
    const key = p.path[p.path.length - 1];
    const offset = key === undefined ? -1 : text.indexOf(JSON.stringify(key));
    const where = offset >= 0 ? at(offset) : shown;
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more problem${problems.length > 2 ? 's' : ''})` : '';
    throw new ConfigFileError(`math-writeup: ${where}: ${p.message}${more}`);
  }
  return config;
}

/**
 * Offset and description of the first JSON syntax error in `text` (which JSON.parse rejected). V8's messages do not
 * always carry a position, so this small recursive-descent checker finds it.
 */
export function locateJsonError(text: string): { offset: number; message: string } {
  let i = 0;
  const fail = (message: string): never => {
    throw { offset: i, message };
  };
  const ws = (): void => {
    while (i < text.length && ' \t\n\r'.includes(text[i])) i++;
  };
  const describe = (): string => (i >= text.length ? 'end of file' : `"${text[i]}"`);
  const value = (depth: number): void => {
    if (depth > 1000) fail('nested too deeply');
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail(`expected a property name in double quotes, found ${describe()}`);
        string();
        ws();
        if (text[i] !== ':') fail(`expected ":" after the property name, found ${describe()}`);
        i++;
        value(depth + 1);
        ws();
        if (text[i] === ',') {
          i++;
          ws();
          if (text[i] === '}') fail('trailing comma before "}"');
          continue;
        }
        if (text[i] === '}') {
          i++;
          return;
        }
        fail(`expected "," or "}" after a property value, found ${describe()}`);
      }
    } else if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') {
        i++;
        return;
      }
      for (;;) {
        value(depth + 1);
        ws();
        if (text[i] === ',') {
          i++;
          ws();
          if (text[i] === ']') fail('trailing comma before "]"');
          continue;
        }
        if (text[i] === ']') {
          i++;
          return;
        }
        fail(`expected "," or "]" after an array element, found ${describe()}`);
      }
    } else if (c === '"') string();
    else if (c === '-' || (c >= '0' && c <= '9')) {
      const m = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
      if (!m) fail('invalid number');
      else i += m[0].length;
    } else {
      for (const lit of ['true', 'false', 'null']) {
        if (text.startsWith(lit, i)) {
          i += lit.length;
          return;
        }
      }
      fail(`unexpected ${describe()}`);
    }
  };
  const string = (): void => {
    const start = i;
    i++;
    while (i < text.length && text[i] !== '"') {
      if (text[i] === '\\') {
        i++;
        if (i < text.length && !'"\\/bfnrtu'.includes(text[i])) fail(`invalid escape "\\${text[i]}"`);
      } else if (text.charCodeAt(i) < 0x20) fail('control character or line break inside a string');
      i++;
    }
    if (i >= text.length) {
      i = start;
      fail('unterminated string');
    }
    i++;
  };
  try {
    value(0);
    ws();
    if (i < text.length) fail(`unexpected ${describe()} after the JSON value`);
  } catch (e) {
    if (typeof e === 'object' && e !== null && 'offset' in e) return e as { offset: number; message: string };
    return { offset: i, message: 'malformed JSON' };
  }
  return { offset: 0, message: 'malformed JSON' };
}
