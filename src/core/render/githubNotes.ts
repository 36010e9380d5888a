// A markdown-it plugin that marks, in any Markdown preview built on markdown-it (VS Code's built-in preview among
// them), the blocks whose math GitHub will not render as the author meant: after each top-level block with findings
// it adds a note naming the problems ("GitHub: … (MW001)"). The findings come from the caller's lint function (the
// same linter as the Problems panel), so the preview and the diagnostics never disagree. Pure: no DOM, no Node.
import type MarkdownIt from 'markdown-it';
import type { Finding } from '../types';
import { escapeHtml } from './escape';

export interface GithubNotesOptions {
  /** Read on every render: the plugin does nothing while it returns false. */
  enabled(): boolean;
  /** The findings of a document's text. */
  lint(text: string): readonly Finding[];
}

/** The CSS class of a note (styled by media/builtin-preview.css in VS Code). */
export const GITHUB_NOTE_CLASS = 'math-writeup-github-note';

export function githubNotesPlugin(md: MarkdownIt, options: GithubNotesOptions): void {
  md.core.ruler.push('math_writeup_github_notes', (state) => {
    if (!options.enabled()) return;
    const findings = options.lint(state.src).filter((f) => f.severity === 'error' || f.severity === 'warning');
    if (findings.length === 0) return;
    const tokens = state.tokens;
    const out: typeof tokens = [];
    for (let i = 0; i < tokens.length; i++) {
      const open = tokens[i];
      // A top-level block: an opening token (its closing token ends the block) or a self-contained one (fence, …).
      let close = i;
      if (open.level === 0 && open.nesting === 1) {
        let depth = 0;
        for (let j = i; j < tokens.length; j++) {
          depth += tokens[j].nesting;
          if (depth === 0) {
            close = j;
            break;
          }
        }
      }
      for (let j = i; j <= close; j++) out.push(tokens[j]);
      const map = open.level === 0 ? open.map : null;
      if (map) {
        const [from, to] = map;
        const here = findings.filter((f) => f.range.start.line >= from && f.range.start.line < to);
        if (here.length > 0) {
          const note = new state.Token('html_block', '', 0);
          note.content = noteHtml(here);
          out.push(note);
        }
      }
      i = close;
    }
    state.tokens = out;
  });
}

function noteHtml(findings: readonly Finding[]): string {
  const seen = new Set<string>();
  const items: string[] = [];
  for (const f of findings) {
    const text = `${f.message} (${f.ruleId} ${f.ruleAlias}, line ${f.range.start.line + 1})`;
    if (seen.has(text)) continue;
    seen.add(text);
    items.push(`<li>${escapeHtml(text)}</li>`);
  }
  return `<div class="${GITHUB_NOTE_CLASS}"><strong>On GitHub:</strong><ul>${items.join('')}</ul></div>\n`;
}
