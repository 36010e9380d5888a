// Supervises one preview page: that its frame runs the page and its script says `ready` in time, and that each full
// render is confirmed. A page that never starts leaves an empty preview: if a visible frame has not even run the
// page's first script within `readyTimeoutMs`, the panel is replaced by a new one (a new frame: in VS Code for the
// Web 1.100 a frame can wait for its resource loader until another webview is created). If the frame runs the page
// but the script is not ready within twice that (a busy machine), or the script failed to load, the page is set
// again, and if that one does not start either, the panel is replaced. A page hidden when its time runs out is
// watched again once it is shown (VS Code loads hidden webviews lazily). A full render the page never confirms is
// sent again, twice at most in a row. The timeouts are injected (tests shorten them); the log says what happened.
import { log } from '../log';

export interface SupervisorTiming {
  /** How long a visible page may take to start before it is loaded again or replaced. */
  readyTimeoutMs: number;
  /** How long a visible, started page may take to apply a full render before it is sent again. */
  renderTimeoutMs: number;
}

export const DEFAULT_TIMING: Readonly<SupervisorTiming> = Object.freeze({ readyTimeoutMs: 6000, renderTimeoutMs: 5000 });

export interface SupervisedPage {
  /** Name in the log ("preview 3"). */
  readonly name: string;
  visible(): boolean;
  /** Set the page again (same frame). */
  reload(): void;
  /** Replace the panel by a new one (a new frame). */
  replace(): void;
  /** Send the full render again. */
  resendFull(): void;
}

export class PageSupervisor {
  readonly #page: SupervisedPage;
  readonly #timing: () => SupervisorTiming;
  #ready = false;
  #disposed = false;
  #readyTimer: ReturnType<typeof setTimeout> | undefined;
  #reloads = 0;
  #pageSetAt = 0;
  #pageLoading = false;
  #renderTimer: ReturnType<typeof setTimeout> | undefined;
  #renderResends = 0;
  #awaitedVersion = 0;

  constructor(page: SupervisedPage, timing: () => SupervisorTiming) {
    this.#page = page;
    this.#timing = timing;
  }

  get ready(): boolean {
    return this.#ready;
  }

  /** Milliseconds since the current page was set. */
  get sincePageSet(): number {
    return Date.now() - this.#pageSetAt;
  }

  /** A new page was set into the frame. */
  pageSet(): void {
    this.#ready = false;
    this.#pageLoading = false;
    this.#pageSetAt = Date.now();
    this.#watchReady();
  }

  /** The panel became visible: a page still not started is watched again. */
  shown(): void {
    if (this.#page.visible() && !this.#ready && !this.#readyTimer && !this.#disposed) this.#watchReady();
  }

  /** The frame runs the page (its first script said `loading`). */
  loading(): void {
    this.#pageLoading = true;
  }

  /** The page's script could not be loaded. */
  scriptFailed(src: string): void {
    if (this.#ready || this.#disposed) return;
    this.#pageFailed(`the preview script did not load (${src})`);
  }

  /** The page's script said `ready`. */
  readyReceived(): void {
    if (this.#readyTimer) clearTimeout(this.#readyTimer);
    this.#readyTimer = undefined;
    this.#reloads = 0; // a later page that stalls is first loaded again, too
    this.#ready = true;
  }

  /** A full render of `version` was sent: it must be confirmed. */
  fullSent(version: number): void {
    if (this.#renderTimer) clearTimeout(this.#renderTimer);
    this.#awaitedVersion = version;
    const waitMs = this.#timing().renderTimeoutMs;
    this.#renderTimer = setTimeout(() => {
      this.#renderTimer = undefined;
      if (this.#disposed || !this.#ready || !this.#page.visible() || this.#awaitedVersion !== version) return;
      if (this.#renderResends >= 2) {
        log.warn(`${this.#page.name}: render v${version} still not applied after it was sent again twice`);
        return;
      }
      this.#renderResends++;
      log.warn(`${this.#page.name}: render v${version} was not applied within ${waitMs / 1000} s; sending it again`);
      this.#page.resendFull();
    }, waitMs);
  }

  /** An update (not a full render) was sent: a full render still awaited is no longer the latest. */
  updateSent(version: number): void {
    this.#awaitedVersion = version;
  }

  /** The page applied `version`. */
  rendered(version: number): void {
    if (this.#renderTimer && version >= this.#awaitedVersion) {
      clearTimeout(this.#renderTimer);
      this.#renderTimer = undefined;
    }
    this.#renderResends = 0;
  }

  #watchReady(): void {
    if (this.#readyTimer) clearTimeout(this.#readyTimer);
    const waitMs = this.#timing().readyTimeoutMs;
    this.#readyTimer = setTimeout(() => this.#readyDeadline(waitMs), waitMs);
  }

  #readyDeadline(waitMs: number): void {
    this.#readyTimer = undefined;
    if (this.#disposed || this.#ready) return;
    if (!this.#page.visible()) {
      log.debug(`${this.#page.name}: hidden before its page started; watching it again when it is shown`);
      return;
    }
    const waited = Date.now() - this.#pageSetAt;
    if (this.#pageLoading && waited < 2 * waitMs) {
      log.debug(`${this.#page.name}: the page runs but its script has not started after ${(waited / 1000).toFixed(1)} s; waiting longer`);
      this.#readyTimer = setTimeout(() => this.#readyDeadline(waitMs), 2 * waitMs - waited);
      return;
    }
    const within = `the page did not start within ${(waited / 1000).toFixed(1)} s`;
    if (this.#pageLoading) this.#pageFailed(`${within} (its frame ran the page, but the preview script never said ready)`);
    // Setting the page again cannot help a frame that never ran it (VS Code puts a page into a frame only once the
    // frame's resource loader is ready): only a new frame can.
    else this.#pageFailed(`${within} (its frame never ran the page)`, true);
  }

  #pageFailed(why: string, newFrame = false): void {
    if (this.#readyTimer) clearTimeout(this.#readyTimer);
    this.#readyTimer = undefined;
    this.#reloads++;
    if (newFrame) {
      log.warn(`${this.#page.name}: ${why}; replacing the panel`);
      this.#page.replace();
    } else if (this.#reloads === 1) {
      log.warn(`${this.#page.name}: ${why}; loading it again`);
      this.#page.reload();
    } else {
      log.warn(`${this.#page.name}: ${why}, after it was loaded again; replacing the panel`);
      this.#page.replace();
    }
  }

  dispose(): void {
    this.#disposed = true;
    if (this.#readyTimer) clearTimeout(this.#readyTimer);
    if (this.#renderTimer) clearTimeout(this.#renderTimer);
  }
}
