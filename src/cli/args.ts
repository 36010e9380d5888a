// A small strict argument parser: declared options only, `--name value` or `--name=value`, `--` ends options.
// Anything unexpected is a UsageError (exit code 2) whose message says what to do.

export class UsageError extends Error {
  override name = 'UsageError';
}

export interface OptionSpec {
  /** 'flag' takes no value; 'string' takes one (optionally restricted to `choices`). */
  type: 'flag' | 'string';
  choices?: readonly string[];
  /** Single-letter alias, e.g. 'f' for -f. */
  short?: string;
  /** A 'string' option that may be given several times (every value is kept in `lists`). */
  repeatable?: boolean;
}

export interface ParsedArgs {
  positionals: string[];
  flags: Set<string>;
  values: Map<string, string>;
  /** Every value of each repeatable option, in order. */
  lists: Map<string, string[]>;
}

function closest(name: string, names: readonly string[]): string | undefined {
  return names.find((n) => n.startsWith(name) || name.startsWith(n) || (n.length > 3 && name.includes(n.slice(0, 3))));
}

/** Parse `argv` against `spec`; `command` names the subcommand in messages (e.g. "lint"). */
export function parseArgs(argv: readonly string[], spec: Readonly<Record<string, OptionSpec>>, command: string): ParsedArgs {
  const out: ParsedArgs = { positionals: [], flags: new Set(), values: new Map(), lists: new Map() };
  const names = Object.keys(spec);
  const hint = `run "math-writeup ${command} --help" for usage`;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      out.positionals.push(...argv.slice(i + 1));
      break;
    }
    if (a === '-' || !a.startsWith('-')) {
      out.positionals.push(a);
      continue;
    }
    let name: string;
    let inline: string | undefined;
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      name = eq >= 0 ? a.slice(2, eq) : a.slice(2);
      inline = eq >= 0 ? a.slice(eq + 1) : undefined;
    } else {
      const short = names.find((n) => spec[n].short === a.slice(1));
      if (!short) throw new UsageError(`unknown option ${a} for "${command}"; ${hint}`);
      name = short;
    }
    const opt = spec[name];
    if (!opt) {
      const near = closest(name, names);
      throw new UsageError(`unknown option --${name} for "${command}"${near ? ` (did you mean --${near}?)` : ''}; ${hint}`);
    }
    if (opt.type === 'flag') {
      if (inline !== undefined) throw new UsageError(`option --${name} takes no value; ${hint}`);
      out.flags.add(name);
      continue;
    }
    let value = inline;
    if (value === undefined) {
      if (i + 1 >= argv.length) throw new UsageError(`option --${name} needs a value; ${hint}`);
      value = argv[++i];
    }
    if (opt.choices && !opt.choices.includes(value)) {
      throw new UsageError(`option --${name} must be one of ${opt.choices.join(', ')}, not "${value}"`);
    }
    out.values.set(name, value);
    if (opt.repeatable) out.lists.set(name, [...(out.lists.get(name) ?? []), value]);
  }
  return out;
}
