// Desktop VS Code's local images in the preview: files inside the page's resource roots, read from disk and carried
// as data: URIs (src/node/imageData.ts); too large ones are linked.
import * as path from 'node:path';
import { forgetImage, IMAGE_TYPES, imageDataUri } from '../../node/imageData';
import type { LocalImages } from './imagePolicy';

export const NODE_LOCAL_IMAGES: LocalImages = Object.freeze<LocalImages>({
  extensions: Object.keys(IMAGE_TYPES),
  read(target, roots) {
    const dirs = roots.filter((r) => r.scheme === 'file').map((r) => r.fsPath);
    const file = target.fsPath;
    if (!dirs.some((r) => file === r || file.startsWith(r.endsWith(path.sep) ? r : r + path.sep))) return null;
    return imageDataUri(file) ?? null;
  },
  forget(target) {
    forgetImage(target.fsPath);
  },
});
