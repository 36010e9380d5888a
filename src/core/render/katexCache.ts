// Per-formula KaTeX render cache (key: mode + display + TeX). A one-formula edit re-typesets one formula; every
// other formula of the re-rendered block comes from here.
import katex from 'katex';
import { escapeAttr, escapeHtml } from './escape';

export interface KatexRenderOptions {
  displayMode: boolean;
  /** Macro table shared across a document (VS Code's preview uses `globalGroup` so `\gdef` persists). */
  macros?: Record<string, string>;
  globalGroup?: boolean;
}

export class KatexCache {
  readonly #entries = new Map<string, string>();
  #hits = 0;
  #misses = 0;

  constructor(readonly capacity = 20000) {}

  get stats(): { size: number; hits: number; misses: number } {
    return { size: this.#entries.size, hits: this.#hits, misses: this.#misses };
  }

  clear(): void {
    this.#entries.clear();
  }

  /**
   * KaTeX HTML for `tex`; errors become a visible `katex-error` span (never throws). `bypass` skips the cache (a
   * document that defines macros renders formulas in order, so their output depends on earlier formulas).
   */
  render(mode: string, tex: string, opts: KatexRenderOptions, bypass = false): string {
    const key = `${mode}\u0000${opts.displayMode ? 1 : 0}\u0000${tex}`;
    if (!bypass) {
      const hit = this.#entries.get(key);
      if (hit !== undefined) {
        this.#hits++;
        return hit;
      }
    }
    this.#misses++;
    const html = renderKatex(tex, opts);
    if (!bypass) {
      if (this.#entries.size >= this.capacity) {
        // Drop the oldest tenth (Map iteration is insertion order).
        let n = Math.ceil(this.capacity / 10);
        for (const k of this.#entries.keys()) {
          this.#entries.delete(k);
          if (--n <= 0) break;
        }
      }
      this.#entries.set(key, html);
    }
    return html;
  }
}

export function renderKatex(tex: string, opts: KatexRenderOptions): string {
  try {
    return katex.renderToString(tex, {
      displayMode: opts.displayMode,
      throwOnError: true,
      strict: 'ignore',
      trust: false,
      output: 'html',
      macros: opts.macros,
      globalGroup: opts.globalGroup,
      maxExpand: 1000,
      maxSize: 50,
    });
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    return `<span class="katex-error" title="${escapeAttr(msg)}">${escapeHtml(tex)}</span>`;
  }
}
