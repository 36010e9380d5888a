// The markdown-it plugin behind the notes in VS Code's built-in preview (src/core/render/githubNotes.ts): a markdown-it
// set up like VS Code's preview (with its KaTeX plugin) plus our plugin, fed the real linter's findings.
import assert from 'node:assert/strict';
import MarkdownIt from 'markdown-it';
import katexPlugin from '@vscode/markdown-it-katex';
import { githubNotesPlugin, GITHUB_NOTE_CLASS } from '../../src/core/render/githubNotes';
import { lintText } from '../../src/core/lint/engine';

function preview(enabled: boolean): MarkdownIt {
  const md = new MarkdownIt({ html: true });
  md.use(katexPlugin);
  githubNotesPlugin(md, { enabled: () => enabled, lint: (t) => lintText(t) });
  return md;
}
const plain = (): MarkdownIt => new MarkdownIt({ html: true }).use(katexPlugin);

describe('notes in VS Code\'s built-in preview (markdown.markdownItPlugins)', () => {
  const doc = '# Title\n\nA clean $x^2$ formula.\n\n其中$x$是变量。\n\n- item with $y$\n';

  it('follows the block whose math GitHub will not render with a note naming the rule, and only that block', () => {
    const html = preview(true).render(doc);
    const notes = html.split(`<div class="${GITHUB_NOTE_CLASS}">`).length - 1;
    assert.equal(notes, 1, html);
    const at = html.indexOf(GITHUB_NOTE_CLASS);
    assert.ok(html.lastIndexOf('其中', at) > html.indexOf('clean'), 'the note follows the paragraph with the problem');
    assert.match(html.slice(at), /MW001 text-before-dollar, line 5/);
  });

  it('changes nothing when the setting is off or the document is clean', () => {
    assert.equal(preview(false).render(doc), plain().render(doc));
    const clean = 'A clean $x^2$ formula.\n\n$$\na + b\n$$\n';
    assert.equal(preview(true).render(clean), plain().render(clean));
  });

  it('escapes the messages (a message quoting `<b>` stays text)', () => {
    const md = new MarkdownIt({ html: true });
    githubNotesPlugin(md, {
      enabled: () => true,
      lint: () => [{ ruleId: 'MW999', ruleAlias: 'x', severity: 'error', message: 'quotes <b>bold</b> & more', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } }, start: 0, end: 1, fixes: [], target: 'github' } as never],
    });
    const html = md.render('text\n');
    assert.ok(html.includes('quotes &lt;b&gt;bold&lt;/b&gt; &amp; more'), html);
    assert.ok(!html.includes('<b>bold</b>'));
  });
});
