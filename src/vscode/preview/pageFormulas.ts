// GitHub mode's MathJax hand-off for one preview page: after each render or update, the page gets MathJax's
// rendering of the formulas it shows and does not have yet — at once for formulas typeset before (the shared store),
// after the typeset worker's answer for the others. The extension host's thread never runs MathJax.
import { log } from '../log';
import { slotsIn, type FormulaRequest, type TypesetStore } from '../../core/render/mathjaxFormulas';

/** GitHub mode's MathJax typesetting, shared by the panels: the typeset formulas, and the worker that typesets. */
export interface PreviewTypesetter {
  store: TypesetStore;
  typeset(formulas: FormulaRequest[]): Promise<{ key: string; html: string }[]>;
}

export class PageFormulas {
  /** Formula keys whose rendering the page has (reset when the page is set again). */
  readonly #onPage = new Set<string>();
  /** Formula keys asked of the worker and not answered yet. */
  readonly #requested = new Set<string>();
  #disposed = false;

  constructor(
    private readonly typesetter: PreviewTypesetter,
    private readonly name: string,
    private readonly send: (formulas: { key: string; html: string }[]) => void,
  ) {}

  /** A new page was set: it has no formula yet. */
  pageSet(): void {
    this.#onPage.clear();
  }

  /** Blocks (rendered HTML with formula slots) were sent to the page. */
  blocksSent(blocks: readonly { html: string }[]): void {
    const wanted = new Map<string, FormulaRequest>();
    for (const b of blocks) slotsIn(b.html, wanted);
    for (const k of this.#onPage) wanted.delete(k);
    if (wanted.size === 0) return;
    const t = this.typesetter;
    const { known, missing } = t.store.split(wanted.values());
    this.#deliver(known);
    const ask = missing.filter((f) => !this.#requested.has(f.key));
    if (ask.length === 0) return;
    for (const f of ask) this.#requested.add(f.key);
    t.typeset(ask).then(
      (done) => {
        for (const f of ask) this.#requested.delete(f.key);
        for (const d of done) t.store.set(d.key, d.html);
        if (!this.#disposed) this.#deliver(done);
      },
      (e: unknown) => {
        for (const f of ask) this.#requested.delete(f.key);
        log.error(`${this.name}: typesetting ${ask.length} formulas failed`, e);
      },
    );
  }

  #deliver(formulas: { key: string; html: string }[]): void {
    const fresh = formulas.filter((f) => !this.#onPage.has(f.key));
    if (fresh.length === 0) return;
    for (const f of fresh) this.#onPage.add(f.key);
    this.send(fresh);
  }

  dispose(): void {
    this.#disposed = true;
  }
}
