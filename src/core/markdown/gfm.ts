// A markdown-it instance configured like GitHub Flavored Markdown: tables, strikethrough (single and double `~`),
// autolinks (linkify), footnotes, raw HTML. This is the one parser the scanner, linter, preview and check parser share.
import MarkdownIt from 'markdown-it';
import footnote from 'markdown-it-footnote';
import { gfmStrikethrough } from './strikethrough';

export function createGfmParser(): MarkdownIt {
  const md = new MarkdownIt('default', { html: true, linkify: true, typographer: false });
  md.use(footnote);
  md.use(gfmStrikethrough);
  return md;
}
