// Local images carried in the preview page: data: URIs by type, missing or foreign files refused, large ones left
// to be linked, and the cache following the file on disk.
import * as assert from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CARRIED_IMAGE_MAX_BYTES, forgetImage, imageDataUri } from '../../src/node/imageData';

describe('local images as data: URIs', () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mw-images-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const write = (name: string, data: string | Buffer): string => {
    const f = path.join(dir, name);
    fs.writeFileSync(f, data);
    return f;
  };

  it('encodes an image with the MIME type of its extension, whatever its case', () => {
    const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="2" height="1"/>';
    assert.strictEqual(imageDataUri(write('a.SVG', svg)), `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`);
    assert.match(imageDataUri(write('b.jpeg', Buffer.from([0xff, 0xd8, 0xff]))) ?? '', /^data:image\/jpeg;base64,\/9j\/$/);
  });

  it('refuses a missing file, a folder and a file that is not an image type', () => {
    assert.strictEqual(imageDataUri(path.join(dir, 'missing.png')), undefined);
    fs.mkdirSync(path.join(dir, 'folder.png'));
    assert.strictEqual(imageDataUri(path.join(dir, 'folder.png')), undefined);
    assert.strictEqual(imageDataUri(write('notes.txt', 'secret')), undefined);
    assert.strictEqual(imageDataUri(write('noext', 'x')), undefined);
  });

  it('leaves a file over the limit to be linked', () => {
    assert.strictEqual(imageDataUri(write('big.png', Buffer.alloc(CARRIED_IMAGE_MAX_BYTES + 1))), 'too-large');
    assert.match(imageDataUri(write('edge.png', Buffer.alloc(CARRIED_IMAGE_MAX_BYTES))) ?? '', /^data:image\/png;base64,/);
  });

  it('follows the file on disk: a rewrite with a new size or time is read again', () => {
    const f = write('plot.svg', '<svg/>');
    const first = imageDataUri(f);
    assert.strictEqual(imageDataUri(f), first, 'cached');
    fs.writeFileSync(f, '<svg width="2"/>');
    assert.strictEqual(imageDataUri(f), `data:image/svg+xml;base64,${Buffer.from('<svg width="2"/>').toString('base64')}`);
    // Same size, new modification time.
    fs.writeFileSync(f, '<svg width="3"/>');
    const later = new Date(Date.now() + 5000);
    fs.utimesSync(f, later, later);
    assert.strictEqual(imageDataUri(f), `data:image/svg+xml;base64,${Buffer.from('<svg width="3"/>').toString('base64')}`);
    // Forgetting an entry makes the next call read the file again (same answer while the file is unchanged).
    forgetImage(f);
    assert.strictEqual(imageDataUri(f), `data:image/svg+xml;base64,${Buffer.from('<svg width="3"/>').toString('base64')}`);
    fs.rmSync(f);
    assert.strictEqual(imageDataUri(f), undefined, 'a deleted figure is no longer shown');
  });
});
