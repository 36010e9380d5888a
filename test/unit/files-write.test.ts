// Safe writes: `lint --fix`, `render -o` and `check --plots` go through src/node/safeWrite.ts. Each guarantee is
// tested on real files in a temporary folder: symbolic links, owner/group/mode, read-only files, a concurrent edit
// (simulated deterministically through the hook between the temporary file and the rename), CRLF, BOM, UTF-16.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { runCliWith, useTempDir, type CliRun } from './files-helpers';
import { createRegistry } from '../../src/core/lint/registry';
import { encodeText, readTextFile } from '../../src/node/files';
import { safeWriteFile, WriteRefused } from '../../src/node/safeWrite';
import { dollarSpaceRule, todoRule } from './lint-test-rules';

// MW901 no-todo (warning, fixable TODO → DONE).
const registry = createRegistry([todoRule, dollarSpaceRule]);

const cli = (argv: string[], cwd: string): Promise<CliRun> => runCliWith(registry, argv, cwd);

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

describe('safe writes (lint --fix, render -o, plots)', function () {
  this.timeout(60000);
  const tmp = useTempDir('mw-write-');
  const p = (rel: string): string => tmp.p(rel);
  const leftovers = (): string[] => fs.readdirSync(tmp.dir).filter((n) => n.endsWith('.tmp'));

  it('--fix through a symbolic link fixes the target and keeps the link', async () => {
    fs.mkdirSync(p('real'));
    fs.writeFileSync(p('real/doc.md'), 'a TODO\n');
    fs.symlinkSync('real/doc.md', p('link.md'));
    const r = await cli(['lint', '--fix', 'link.md'], tmp.dir);
    assert.equal(r.code, 0, r.err);
    assert.ok(fs.lstatSync(p('link.md')).isSymbolicLink(), 'the link is still a link');
    assert.equal(fs.readlinkSync(p('link.md')), 'real/doc.md');
    assert.equal(fs.readFileSync(p('real/doc.md'), 'utf8'), 'a TO DO\n');
    assert.deepEqual(fs.readdirSync(p('real')), ['doc.md']);
  });

  it('--fix keeps owner, group and mode (a 0640 file of another user stays theirs)', async function () {
    if (!isRoot) this.skip(); // giving a file to another user needs root
    fs.writeFileSync(p('doc.md'), 'a TODO\n');
    fs.chownSync(p('doc.md'), 4321, 4322);
    fs.chmodSync(p('doc.md'), 0o640);
    const r = await cli(['lint', '--fix', 'doc.md'], tmp.dir);
    assert.equal(r.code, 0, r.err);
    const st = fs.statSync(p('doc.md'));
    assert.equal(fs.readFileSync(p('doc.md'), 'utf8'), 'a TO DO\n');
    assert.equal(st.uid, 4321);
    assert.equal(st.gid, 4322);
    assert.equal(st.mode & 0o7777, 0o640);
  });

  it('--fix keeps an unusual mode (0604) for the current user', async () => {
    fs.writeFileSync(p('doc.md'), 'a TODO\n');
    fs.chmodSync(p('doc.md'), 0o604);
    const r = await cli(['lint', '--fix', 'doc.md'], tmp.dir);
    assert.equal(r.code, 0, r.err);
    assert.equal(fs.statSync(p('doc.md')).mode & 0o7777, 0o604);
  });

  it('--fix refuses a read-only file (no owner write bit), even as root, and leaves it unchanged', async () => {
    fs.writeFileSync(p('doc.md'), 'a TODO\n');
    fs.chmodSync(p('doc.md'), 0o444);
    const before = fs.statSync(p('doc.md'));
    const r = await cli(['lint', '--fix', 'doc.md'], tmp.dir);
    assert.equal(r.code, 2);
    assert.match(r.err, /^math-writeup: cannot write doc\.md: is read-only \(mode 0444\); make it writable to let math-writeup change it \(file left unchanged\)$/m);
    assert.equal(fs.readFileSync(p('doc.md'), 'utf8'), 'a TODO\n');
    assert.equal(fs.statSync(p('doc.md')).ino, before.ino);
    assert.match(r.out, /doc\.md:1:3 warning MW901/, 'the findings are still reported');
    assert.deepEqual(leftovers(), []);
  });

  it('--fix keeps CRLF line endings, LF files stay LF, and a mixed file keeps each line as it was', async () => {
    fs.writeFileSync(p('crlf.md'), 'a TODO\r\nb TODO\r\n');
    fs.writeFileSync(p('lf.md'), 'a TODO\nb\n');
    fs.writeFileSync(p('mixed.md'), 'a TODO\r\nb\n');
    const r = await cli(['lint', '--fix', 'crlf.md', 'lf.md', 'mixed.md'], tmp.dir);
    assert.equal(r.code, 0, r.err);
    assert.equal(fs.readFileSync(p('crlf.md'), 'utf8'), 'a TO DO\r\nb TO DO\r\n');
    assert.equal(fs.readFileSync(p('lf.md'), 'utf8'), 'a TO DO\nb\n');
    assert.equal(fs.readFileSync(p('mixed.md'), 'utf8'), 'a TO DO\r\nb\n');
  });

  it('a CRLF file gets CRLF for lines a fix inserts', () => {
    const fmt = { encoding: 'utf-8', bom: false, eol: 'crlf' } as const;
    assert.equal(encodeText('a\r\n$$\nx\n$$\r\n', fmt).toString('utf8'), 'a\r\n$$\r\nx\r\n$$\r\n');
  });

  it('--fix keeps a UTF-8 byte-order mark, and a UTF-16 file is fixed in UTF-16 with its BOM', async () => {
    fs.writeFileSync(p('bom.md'), '\ufeffa TODO\n');
    fs.writeFileSync(p('le.md'), Buffer.from('\ufeffa TODO\r\n', 'utf16le'));
    fs.writeFileSync(p('be.md'), Buffer.from('\ufeffa TODO ∑\n', 'utf16le').swap16());
    const r = await cli(['lint', '--fix', 'bom.md', 'le.md', 'be.md'], tmp.dir);
    assert.equal(r.code, 0, r.err);
    assert.deepEqual([...fs.readFileSync(p('bom.md'))], [...Buffer.from('\ufeffa TO DO\n', 'utf8')]);
    assert.deepEqual([...fs.readFileSync(p('le.md'))], [...Buffer.from('\ufeffa TO DO\r\n', 'utf16le')]);
    assert.deepEqual([...fs.readFileSync(p('be.md'))], [...Buffer.from('\ufeffa TO DO ∑\n', 'utf16le').swap16()]);
  });

  it('a change made between the read and the rename is never overwritten (the write is refused)', async () => {
    fs.writeFileSync(p('doc.md'), 'a TODO\n');
    const read = await readTextFile('doc.md', tmp.dir);
    assert.ok(read.ok);
    const edited = 'a TODO\nline the editor saved meanwhile\n';
    let hookRan = false;
    await assert.rejects(
      safeWriteFile(p('doc.md'), encodeText('a DONE\n', read.format), {
        expectedDigest: read.digest,
        beforeCommit: () => {
          hookRan = true;
          fs.writeFileSync(p('doc.md'), edited); // the concurrent save
        },
      }),
      (e: unknown) => e instanceof WriteRefused && /changed on disk since it was read/.test(e.message),
    );
    assert.ok(hookRan);
    assert.equal(fs.readFileSync(p('doc.md'), 'utf8'), edited);
    assert.deepEqual(leftovers(), []);
    // Without a concurrent change the same write goes through.
    const again = await readTextFile('doc.md', tmp.dir);
    assert.ok(again.ok);
    await safeWriteFile(p('doc.md'), encodeText('fixed\n', again.format), { expectedDigest: again.digest, beforeCommit: () => undefined });
    assert.equal(fs.readFileSync(p('doc.md'), 'utf8'), 'fixed\n');
  });

  it('a file deleted between the read and the rename is not recreated', async () => {
    fs.writeFileSync(p('doc.md'), 'a TODO\n');
    const read = await readTextFile('doc.md', tmp.dir);
    assert.ok(read.ok);
    await assert.rejects(
      safeWriteFile(p('doc.md'), Buffer.from('x'), { expectedDigest: read.digest, beforeCommit: () => fs.rmSync(p('doc.md')) }),
      /was deleted or moved since it was read/,
    );
    assert.equal(fs.existsSync(p('doc.md')), false);
    assert.deepEqual(leftovers(), []);
  });

  it('refuses a file with two hard links and a symbolic link to a missing file', async () => {
    fs.writeFileSync(p('doc.md'), 'a TODO\n');
    fs.linkSync(p('doc.md'), p('other.md'));
    await assert.rejects(safeWriteFile(p('doc.md'), Buffer.from('x')), /has 2 hard links/);
    fs.symlinkSync('missing.md', p('dangling.md'));
    await assert.rejects(safeWriteFile(p('dangling.md'), Buffer.from('x')), /symbolic link to a missing file \(missing\.md\)/);
    assert.equal(fs.readFileSync(p('other.md'), 'utf8'), 'a TODO\n');
  });

  it('render -o through a symbolic link writes the target; an output that is the input behind a link is refused', async () => {
    fs.writeFileSync(p('doc.md'), '# T\n\n$x$\n');
    fs.writeFileSync(p('old.html'), 'old');
    fs.chmodSync(p('old.html'), 0o664);
    fs.symlinkSync('old.html', p('out.html'));
    const r = await cli(['render', 'doc.md', '-o', 'out.html'], tmp.dir);
    assert.equal(r.code, 0, r.err);
    assert.ok(fs.lstatSync(p('out.html')).isSymbolicLink());
    assert.match(fs.readFileSync(p('old.html'), 'utf8'), /<html/);
    assert.equal(fs.statSync(p('old.html')).mode & 0o7777, 0o664);
    fs.symlinkSync('doc.md', p('alias.html'));
    const same = await cli(['render', 'doc.md', '-o', 'alias.html'], tmp.dir);
    assert.equal(same.code, 2);
    assert.match(same.err, /would replace the input doc\.md/);
    assert.equal(fs.readFileSync(p('doc.md'), 'utf8'), '# T\n\n$x$\n');
  });

  it('render -o refuses a read-only output file', async () => {
    fs.writeFileSync(p('doc.md'), '$x$\n');
    fs.writeFileSync(p('out.html'), 'keep');
    fs.chmodSync(p('out.html'), 0o444);
    const r = await cli(['render', 'doc.md', '-o', 'out.html'], tmp.dir);
    assert.equal(r.code, 2);
    assert.match(r.err, /out\.html: cannot write: is read-only \(mode 0444\)/);
    assert.equal(fs.readFileSync(p('out.html'), 'utf8'), 'keep');
  });

  it('a new file gets the usual mode for new files (umask applied)', async () => {
    const mask = process.umask();
    await safeWriteFile(p('new.svg'), Buffer.from('<svg/>'));
    assert.equal(fs.statSync(p('new.svg')).mode & 0o777, 0o666 & ~mask);
    assert.equal(fs.readFileSync(p('new.svg'), 'utf8'), '<svg/>');
  });
});
