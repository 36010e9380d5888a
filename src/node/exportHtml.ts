// A writeup as one self-contained HTML file (KaTeX CSS with its fonts inlined as data: URIs, the preview's GitHub-like
// CSS, no scripts): the VS Code "Export HTML" command and `math-writeup render` both write it with these functions.
import path from 'node:path';
import { renderDocument, type RenderedBlock } from '../core/render/document';
import { standalonePageParts } from '../core/render/page';
import type { UrlKind } from '../core/render/sanitize';
import { documentChunks } from '../core/lint/chunked';
import { inlineKatexCss, previewCss } from './assets';

export interface ExportOptions {
  mode: 'github' | 'vscode';
  /** Folder of the Markdown file (relative images are resolved against it). */
  sourceDir: string;
  /** Folder the HTML file is written to (relative image URLs are rewritten to stay valid from there). */
  outDir: string;
  remoteImages: boolean;
  title: string;
}

/** The self-contained HTML of a writeup. */
export function buildExportHtml(text: string, o: ExportOptions): string {
  return [...buildExportHtmlParts(text, o)].join('');
}

/**
 * The same HTML in pieces (see standalonePageParts), rendered chunk by chunk as they are taken: `render -o` writes
 * each piece as it comes, so neither the whole document's parse nor the whole page is ever in memory.
 */
export function buildExportHtmlParts(text: string, o: ExportOptions): Generator<string> {
  const rewriteUrl = (url: string, kind: UrlKind): string | null => {
    const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(url)?.[1]?.toLowerCase();
    if (scheme || url.startsWith('//')) {
      if (kind === 'image') return o.remoteImages && (scheme === 'https' || scheme === 'http' || !scheme) ? url : null;
      return url;
    }
    if (url.startsWith('#') || kind !== 'image') return url;
    const [p, suffix = ''] = url.split(/(?=[?#])/);
    let decoded = p;
    try {
      decoded = decodeURIComponent(p);
    } catch {
      // keep as written
    }
    const abs = path.resolve(o.sourceDir, decoded);
    const rel = path.relative(o.outDir, abs).split(path.sep).map(encodeURIComponent).join('/');
    return rel + suffix;
  };
  // Rendered chunk by chunk (where the chunks read as in the whole document): a large file never parses whole.
  function* blocks(): Generator<RenderedBlock> {
    for (const { text: chunk, line } of documentChunks(text)) {
      for (const b of renderDocument(chunk, { mode: o.mode, rewriteUrl, contextKey: 'export' })) {
        yield line === 0 ? b : { ...b, line: b.line + line, endLine: b.endLine + line };
      }
    }
  }
  return standalonePageParts({ title: o.title, blocks: blocks(), css: [inlineKatexCss(), previewCss()], mode: o.mode });
}
