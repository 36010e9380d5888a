// Validation of one formula as VS Code's built-in Markdown preview renders it: KaTeX 0.16 through
// @vscode/markdown-it-katex with the options the built-in markdown-math extension passes
// ({ enableFencedBlocks: true, globalGroup: true, macros: {…} }; throwOnError and strict left at their
// defaults, so a bad formula shows as red source text and strict-mode issues only log warnings).
import katex from 'katex';
import type { TexProblem } from './types';
import { LruCache } from './lru';

export type { TexProblem } from './types';

/** Results per (display, tex); KaTeX is fast, but lint runs on every keystroke over whole documents. */
const cache = new LruCache<string, readonly TexProblem[]>(4000);

interface KatexParseErrorLike {
  name: string;
  message: string;
  position?: number;
  length?: number;
  rawMessage?: string;
}

function isParseError(e: unknown): e is KatexParseErrorLike {
  return e instanceof katex.ParseError || (typeof e === 'object' && e !== null && (e as { name?: unknown }).name === 'ParseError');
}

/** A non-empty [start, end) inside the formula around KaTeX's reported position. */
function span(tex: string, position: number | undefined, length: number | undefined): [number, number] {
  if (position === undefined || !Number.isFinite(position)) return [0, tex.length];
  let start = Math.max(0, Math.min(position, tex.length));
  let end = Math.min(tex.length, start + Math.max(0, length ?? 0));
  while (end > start + 1 && /\s/.test(tex[end - 1])) end--; // KaTeX's token includes the space after a macro
  if (end === start) {
    if (end < tex.length) end++;
    else if (start > 0) start--;
  }
  return [start, end];
}

function validate(tex: string, display: boolean): TexProblem[] {
  const untrusted: string[] = [];
  try {
    // Parsing finds every error VS Code shows (syntax, undefined macros, untrusted commands) at a fraction of the
    // cost of building the HTML; fall back to a full render if this KaTeX has no parse entry point.
    const parseOnly = (katex as unknown as { __parse?: typeof katex.renderToString }).__parse;
    (parseOnly ?? katex.renderToString)(tex, {
      displayMode: display,
      throwOnError: true, // VS Code renders the error as red text; we want the error itself
      strict: 'ignore', // VS Code's default 'warn' only logs; acceptance is identical
      globalGroup: true,
      macros: {}, // fresh per formula: VS Code resets user macros for each document render
      // VS Code leaves `trust` off, so KaTeX paints \href, \url, \includegraphics, \html… red; record them.
      trust: (context: { command: string }) => {
        untrusted.push(context.command);
        return false;
      },
    });
  } catch (e) {
    if (!isParseError(e)) {
      const raw = e instanceof Error ? e.message : String(e);
      return [{ target: 'vscode', kind: 'parse-error', message: `KaTeX failed: ${String(e)}`, raw, start: 0, end: tex.length }];
    }
    const raw = e.rawMessage ?? e.message.replace(/^KaTeX parse error: /, '').replace(/ at position \d+:[\s\S]*$/, '');
    const [start, end] = span(tex, e.position, e.length);
    return [{ target: 'vscode', kind: 'parse-error', message: `VS Code's preview (KaTeX) shows an error: ${raw}`, raw, start, end }];
  }
  const problems: TexProblem[] = [];
  let from = 0;
  for (const command of untrusted) {
    let at = tex.indexOf(command, from);
    if (at < 0) at = tex.indexOf(command);
    const start = at < 0 ? 0 : at;
    const end = at < 0 ? tex.length : at + command.length;
    if (at >= 0) from = end;
    problems.push({
      target: 'vscode', kind: 'parse-error',
      message: `VS Code's preview (KaTeX) shows \`${command}\` in red: it is disabled unless KaTeX's trust option is set.`,
      start, end,
    });
  }
  return problems;
}

/**
 * KaTeX problems of one formula as VS Code's built-in preview would render it. `display` selects display
 * mode (the built-in renders `$…$` inline unless the TeX begins an align/equation/gather/CD/alignat
 * environment). Offsets are within `tex`.
 */
export function validateKatex(tex: string, display: boolean): TexProblem[] {
  const key = (display ? 'D' : 'I') + tex;
  let hit = cache.get(key);
  if (hit === undefined) {
    hit = validate(tex, display);
    cache.set(key, hit);
  }
  return hit.map((p) => ({ ...p }));
}
