// Hover for formulas in Markdown: the formula as GitHub shows it (MathJax configured like GitHub, as an SVG image in
// a data: URI; or GitHub's red error in place of a refused formula), then the lint findings on the formula that VS
// Code's diagnostic hover does not already show (see hoverText.ts). Findings come from the lint service for this
// document version: the same configuration (.math-writeup.json, settings) as the Problems panel.
import * as vscode from 'vscode';
import { previewHost } from '../lazy';
import type { DetailedScan } from '../../core/scan/scanner';
import type { Finding } from '../../core/types';
import { Commands } from '../api';
import type { ApplyEditsArgs } from '../codeActions';
import type { TexProblem } from '../../core/tex/types';
import { hoverMarkdown, type HoverFormula } from './hoverText';


interface Analysis {
  version: number;
  scan: DetailedScan;
}

/** The lint service's findings for exactly the document's current version. */
export interface HoverFindings {
  findingsForVersion(doc: vscode.TextDocument): Promise<Finding[]>;
}

type RenderSvg = (tex: string, display: boolean) => Promise<{ svg: string; problems: TexProblem[] }>;

/** Colours for `currentColor` in the SVG image (an <img> does not inherit the hover's text colour). */
function foreground(): string {
  const kind = vscode.window.activeColorTheme.kind;
  return kind === vscode.ColorThemeKind.Dark || kind === vscode.ColorThemeKind.HighContrast ? '#e6edf3' : '#1f2328';
}

export function svgDataUri(svg: string): string {
  return `data:image/svg+xml;base64,${Buffer.from(svg, 'utf8').toString('base64')}`;
}

export class MathHoverProvider implements vscode.HoverProvider {
  readonly #cache = new Map<string, Analysis>();
  #renderSvg: RenderSvg | undefined;

  readonly #lint: HoverFindings;

  constructor(lint: HoverFindings, renderSvg?: RenderSvg) {
    this.#lint = lint;
    this.#renderSvg = renderSvg;
  }

  async #svg(tex: string, display: boolean): Promise<{ svg: string; problems: TexProblem[] }> {
    if (!this.#renderSvg) {
      // mathjax-full is large: loaded on the first hover, not at activation.
      const validator = new (previewHost().GithubValidator)();
      this.#renderSvg = (tex, d) => validator.renderSvg(tex, d);
    }
    return this.#renderSvg(tex, display);
  }

  /** Where the formulas are (the scanner, once per version); the findings are the lint service's. */
  #analyse(doc: vscode.TextDocument): Analysis {
    const key = doc.uri.toString();
    const hit = this.#cache.get(key);
    if (hit && hit.version === doc.version) return hit;
    const a = { version: doc.version, scan: previewHost().scanDocument(doc.getText()) };
    this.#cache.set(key, a);
    if (this.#cache.size > 20) this.#cache.delete(this.#cache.keys().next().value as string);
    return a;
  }

  async provideHover(doc: vscode.TextDocument, position: vscode.Position, token: vscode.CancellationToken): Promise<vscode.Hover | undefined> {
    const version = doc.version;
    const a = this.#analyse(doc);
    const offset = doc.offsetAt(position);
    const math = a.scan.math.find((m) => m.start <= offset && offset <= m.end);
    const miss = a.scan.nearMisses.find((n) => n.start <= offset && offset <= n.end);
    if (!math && !miss) return undefined;
    const start = Math.min(math?.start ?? Infinity, miss?.start ?? Infinity);
    const end = Math.max(math?.end ?? -Infinity, miss?.end ?? -Infinity);
    const findings = (await this.#lint.findingsForVersion(doc)).filter((f) => f.start < end && f.end > start);
    let formula: HoverFormula | undefined;
    let nearMiss: { tex: string; svg: string } | undefined;
    if (math) {
      const { svg, problems } = await this.#svg(math.tex, math.display);
      formula = { delimited: math.delimited, display: math.display, svg, problems };
    } else if (miss) {
      nearMiss = { tex: miss.vscode.tex, svg: (await this.#svg(miss.vscode.tex, miss.vscode.display)).svg };
    }
    if (token.isCancellationRequested || doc.version !== version) return undefined;
    const md = new vscode.MarkdownString(undefined, true);
    md.supportHtml = false;
    md.isTrusted = { enabledCommands: [Commands.applyEdits] };
    md.appendMarkdown(hoverMarkdown({
      formula,
      nearMiss,
      findings,
      offset,
      color: foreground(),
      dataUri: svgDataUri,
      // The same command as the quick fixes: applied only if the document still has this version.
      fixLink: (edits, label) => {
        const args: ApplyEditsArgs = { uri: doc.uri.toString(), version, edits, label };
        return `command:${Commands.applyEdits}?${encodeURIComponent(JSON.stringify([args]))}`;
      },
    }));
    return new vscode.Hover(md, new vscode.Range(doc.positionAt(start), doc.positionAt(end)));
  }
}
