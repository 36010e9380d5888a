// The one way Math Writeup replaces or creates a file (`lint --fix`, `render -o`, `check --plots`, figures saved from
// the plot panel). Guarantees:
// - through a symbolic link the link's target is rewritten (the link stays a link);
// - the new content goes to a temporary file beside the target, which is given the target's owner, group and mode
//   and then renamed over it: readers see the old or the new file, never a partial one;
// - a file the owner cannot write (no owner write bit, as `ls -l` shows it) is refused, not replaced;
// - a file that is not a regular file, or has more than one hard link (a rename would split them), is refused;
// - with `expectedDigest`, the file's bytes are compared with what was read right before the rename: a file changed
//   meanwhile (an editor saved it) is refused and keeps the new content.
import { createHash, randomBytes } from 'node:crypto';
import fs, { promises as fsp } from 'node:fs';
import path from 'node:path';

/** A write refused on purpose; the message says why, for the user. */
export class WriteRefused extends Error {}

export interface SafeWriteOptions {
  /** SHA-256 (hex) of the bytes the new content was computed from; the write is refused if the file no longer holds them. */
  expectedDigest?: string;
  /** Test hook: runs after the temporary file is complete, right before the final comparison and the rename. */
  beforeCommit?: () => Promise<void> | void;
}

/** Characters gathered before one write of a piecewise output. */
const WRITE_CHARS = 1 << 20;

/** Write all of `bytes` at the handle's position (a write may take fewer bytes than it was given). */
async function writeAll(handle: fsp.FileHandle, bytes: Buffer): Promise<void> {
  for (let at = 0; at < bytes.length; ) {
    const { bytesWritten } = await handle.write(bytes, at, bytes.length - at, null);
    if (bytesWritten <= 0) throw new Error('the disk took no more bytes');
    at += bytesWritten;
  }
}

function errno(e: unknown): string | undefined {
  return (e as NodeJS.ErrnoException | undefined)?.code;
}

function octal(mode: number): string {
  return (mode & 0o7777).toString(8).padStart(4, '0');
}

/** The file a write to `abs` must replace: symbolic links followed; for a new file, the folder's real path. */
async function resolveTarget(abs: string): Promise<{ target: string; st?: fs.Stats }> {
  try {
    const target = await fsp.realpath(abs);
    return { target, st: await fsp.stat(target) };
  } catch (e) {
    if (errno(e) !== 'ENOENT') throw e;
  }
  const link = await fsp.lstat(abs).catch(() => undefined);
  if (link?.isSymbolicLink()) throw new WriteRefused(`is a symbolic link to a missing file (${await fsp.readlink(abs)})`);
  const dir = await fsp.realpath(path.dirname(abs));
  return { target: path.join(dir, path.basename(abs)) };
}

async function digestOf(file: string): Promise<string | undefined> {
  try {
    const h = createHash('sha256');
    const handle = await fsp.open(file, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
    try {
      const buf = Buffer.allocUnsafe(1024 * 1024);
      for (;;) {
        const { bytesRead } = await handle.read(buf, 0, buf.length, null);
        if (bytesRead === 0) break;
        h.update(buf.subarray(0, bytesRead));
      }
    } finally {
      await handle.close();
    }
    return h.digest('hex');
  } catch (e) {
    if (errno(e) === 'ENOENT') return undefined;
    throw e;
  }
}

/**
 * Write `data` (bytes, or strings written as UTF-8 one after another — possibly produced while writing — for output
 * too large for one string) to
 * `file` (absolute) with the guarantees above. Throws WriteRefused (the file is left as it was) or a
 * Node file-system error; the temporary file never survives a failure.
 */
export async function safeWriteFile(file: string, data: Uint8Array | Iterable<string>, opts: SafeWriteOptions = {}): Promise<void> {
  const { target, st } = await resolveTarget(file);
  if (st) {
    if (!st.isFile()) throw new WriteRefused('is not a regular file');
    if ((st.mode & 0o200) === 0) throw new WriteRefused(`is read-only (mode ${octal(st.mode)}); make it writable to let math-writeup change it`);
    if (st.nlink > 1) throw new WriteRefused(`has ${st.nlink} hard links; replacing it would separate them`);
  } else if (opts.expectedDigest !== undefined) {
    throw new WriteRefused('was deleted or moved since it was read');
  }
  const tmp = path.join(path.dirname(target), `.${path.basename(target)}.math-writeup-${process.pid}-${randomBytes(6).toString('hex')}.tmp`);
  // An existing file's content may be private: the temporary file is only readable by us until it gets the mode.
  const handle = await fsp.open(tmp, 'wx', st ? 0o600 : 0o666);
  let committed = false;
  try {
    try {
      if (data instanceof Uint8Array) await handle.writeFile(data);
      else {
        // Pieces: UTF-8, one after another, gathered into writes of about a megabyte.
        let pending: string[] = [];
        let size = 0;
        for (const piece of data) {
          pending.push(piece);
          size += piece.length;
          if (size >= WRITE_CHARS) {
            await writeAll(handle, Buffer.from(pending.join(''), 'utf8'));
            pending = [];
            size = 0;
          }
        }
        if (size > 0) await writeAll(handle, Buffer.from(pending.join(''), 'utf8'));
      }
      if (st) {
        const mine = await handle.stat();
        if (mine.uid !== st.uid || mine.gid !== st.gid) {
          try {
            await handle.chown(st.uid, st.gid);
          } catch (e) {
            if (errno(e) === 'EPERM') {
              throw new WriteRefused(`belongs to another user or group (uid ${st.uid}, gid ${st.gid}); a rewrite could not keep them`);
            }
            throw e;
          }
        }
        await handle.chmod(st.mode & 0o7777);
      }
      await handle.sync();
    } finally {
      await handle.close();
    }
    await opts.beforeCommit?.();
    if (opts.expectedDigest !== undefined) {
      const now = await digestOf(target);
      if (now === undefined) throw new WriteRefused('was deleted or moved since it was read');
      if (now !== opts.expectedDigest) throw new WriteRefused('changed on disk since it was read (saved by another program?); run again');
    }
    await fsp.rename(tmp, target);
    committed = true;
  } finally {
    if (!committed) await fsp.rm(tmp, { force: true });
  }
}
