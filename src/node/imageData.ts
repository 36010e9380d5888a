// A writeup's local images as data: URIs, so a webview page carries them like its script and fonts (no request to
// leave in flight when the page closes). Read synchronously (a renderer asks for each image of a block it renders)
// and cached by path, size and modification time.
import fs from 'node:fs';
import path from 'node:path';

/** Image types a writeup's local images may have, by extension. */
export const IMAGE_TYPES: Readonly<Record<string, string>> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  svg: 'image/svg+xml',
  webp: 'image/webp',
  avif: 'image/avif',
  bmp: 'image/bmp',
  ico: 'image/x-icon',
};

/** Larger images are linked instead of carried. */
export const CARRIED_IMAGE_MAX_BYTES = 2 * 1024 * 1024;
const CACHE_MAX_CHARS = 64 * 1024 * 1024;

const cache = new Map<string, { mtimeMs: number; size: number; uri: string }>();
let cacheChars = 0;

/**
 * The image file as a data: URI; undefined when it is missing, not a file or not an image type (the page shows the
 * alt text instead); 'too-large' above CARRIED_IMAGE_MAX_BYTES (the caller links it).
 */
export function imageDataUri(file: string): string | 'too-large' | undefined {
  const mime = IMAGE_TYPES[path.extname(file).slice(1).toLowerCase()];
  if (!mime) return undefined;
  let st: fs.Stats;
  let bytes: Buffer;
  try {
    st = fs.statSync(file);
    if (!st.isFile()) return undefined;
    if (st.size > CARRIED_IMAGE_MAX_BYTES) return 'too-large';
    const hit = cache.get(file);
    if (hit && hit.mtimeMs === st.mtimeMs && hit.size === st.size) return hit.uri;
    bytes = fs.readFileSync(file);
  } catch {
    return undefined;
  }
  const uri = `data:${mime};base64,${bytes.toString('base64')}`;
  forgetImage(file);
  if (cacheChars + uri.length > CACHE_MAX_CHARS) {
    cache.clear();
    cacheChars = 0;
  }
  cache.set(file, { mtimeMs: st.mtimeMs, size: st.size, uri });
  cacheChars += uri.length;
  return uri;
}

/** Drops a cached image (it changed on disk). */
export function forgetImage(file: string): void {
  const hit = cache.get(file);
  if (!hit) return;
  cacheChars -= hit.uri.length;
  cache.delete(file);
}
