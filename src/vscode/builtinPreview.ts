// VS Code's built-in Markdown preview (contributes "markdown.markdownItPlugins"): with the setting
// `mathWriteup.builtinPreview.markGithubProblems` on, each block whose math GitHub will not render as meant is
// followed by a note naming the problems. The notes show the lint service's findings for the previewed document —
// the same findings as the Problems panel — so the built-in preview does no linting of its own on this thread.
import * as vscode from 'vscode';
import type MarkdownIt from 'markdown-it';
import { githubNotesPlugin } from '../core/render/githubNotes';
import type { Finding } from '../core/types';
import { SECTION } from './config';

export const MARK_GITHUB_PROBLEMS = 'builtinPreview.markGithubProblems';

export function extendBuiltinPreview(md: MarkdownIt, findingsFor: (uri: vscode.Uri) => readonly Finding[]): MarkdownIt {
  let current: vscode.Uri | undefined;
  // The plugin's lint function receives only the text: remember which document the preview is rendering.
  md.core.ruler.before('normalize', 'math_writeup_current_document', (state) => {
    const doc = (state.env as { currentDocument?: unknown } | undefined)?.currentDocument;
    current = doc instanceof vscode.Uri ? doc : undefined;
  });
  githubNotesPlugin(md, {
    enabled: () => vscode.workspace.getConfiguration(SECTION, current).get<boolean>(MARK_GITHUB_PROBLEMS, false) === true,
    lint: () => (current ? findingsFor(current) : []),
  });
  return md;
}
