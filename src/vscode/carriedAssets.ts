// The webview pages' script and stylesheets, read once per kind and carried in every page: a page that needs no
// resource requests starts without a round trip through the webview's resource loader, and leaves no request in
// flight when it is closed (in VS Code for the Web up to at least 1.100, a webview's unanswered resource request
// holds back every webview opened in the next 30 s). If the files cannot be read, pages link them instead.
import { log } from './log';
import { plotPageAssets, previewPageAssets, type PageAssets } from '../node/assets';

const readers = { preview: previewPageAssets, plot: plotPageAssets };
const cache = new Map<keyof typeof readers, PageAssets | null>();

/** The assets a page of this kind carries, or undefined (the page links them; the log says why). */
export function carriedAssets(kind: keyof typeof readers): PageAssets | undefined {
  let assets = cache.get(kind);
  if (assets === undefined) {
    try {
      assets = readers[kind]();
    } catch (e) {
      log.warn(`${kind} pages link their script and stylesheets (${e instanceof Error ? e.message : String(e)})`);
      assets = null;
    }
    cache.set(kind, assets);
  }
  return assets ?? undefined;
}
