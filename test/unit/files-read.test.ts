// Bounded, honest reads: only regular files (devices, named pipes and sockets refused without hanging), the size
// limit on the bytes actually read, UTF-16 with a BOM read as text, invalid UTF-8 with its byte offset, and file
// names escaped in text output while JSON carries them verbatim.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import { runCliWith, useTempDir, type CliRun } from './files-helpers';
import { createRegistry } from '../../src/core/lint/registry';
import { escapeFileName, firstInvalidUtf16, lineEndings, readTextFile } from '../../src/node/files';
import { todoRule } from './lint-test-rules';

const registry = createRegistry([todoRule]);

const cli = (argv: string[], cwd: string): Promise<CliRun> => runCliWith(registry, argv, cwd);

const posix = process.platform !== 'win32';

describe('bounded reads and honest output', function () {
  this.timeout(30000);
  const tmp = useTempDir('mw-read-');
  const p = (rel: string): string => tmp.p(rel);

  it('a symbolic link to /dev/zero is refused as a character device (not read)', async function () {
    if (!posix || !fs.existsSync('/dev/zero')) this.skip();
    fs.symlinkSync('/dev/zero', p('z.md'));
    const r = await readTextFile('z.md', tmp.dir);
    assert.deepEqual(r, { ok: false, error: 'math-writeup: z.md: refused, not a regular file (a character device)' });
    const run = await cli(['lint', 'z.md', 'ok.md'], tmp.dir);
    assert.equal(run.code, 2);
    assert.match(run.err, /^math-writeup: z\.md: refused, not a regular file \(a character device\)$/m);
  });

  it('a named pipe without a writer is refused at once, never waited on', async function () {
    if (!posix) this.skip();
    execFileSync('mkfifo', [p('pipe.md')]);
    const r = await readTextFile('pipe.md', tmp.dir);
    assert.deepEqual(r, { ok: false, error: 'math-writeup: pipe.md: refused, not a regular file (a named pipe)' });
    const scan = await cli(['scan', 'pipe.md'], tmp.dir);
    assert.equal(scan.code, 2);
    assert.match(scan.err, /named pipe/);
  });

  it('a socket is refused', async function () {
    if (!posix) this.skip();
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(p('sock.md'), resolve));
    try {
      const r = await readTextFile('sock.md', tmp.dir);
      assert.deepEqual(r, { ok: false, error: 'math-writeup: sock.md: refused, not a regular file (a socket)' });
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('the size limit counts the bytes read: at the limit read, one byte over refused', async () => {
    fs.writeFileSync(p('a.md'), 'x'.repeat(100));
    const at = await readTextFile('a.md', tmp.dir, { maxBytes: 100 });
    assert.ok(at.ok && at.bytes === 100);
    const over = await readTextFile('a.md', tmp.dir, { maxBytes: 99 });
    assert.deepEqual(over, { ok: false, error: 'math-writeup: a.md: refused, 100 bytes is over the 99 bytes limit for one document' });
  });

  it('a file reporting size 0 but producing bytes is cut at limit + 1 bytes', async function () {
    // /proc files report size 0 and produce content when read; the check must not trust the size.
    if (!fs.existsSync('/proc/self/status')) this.skip();
    fs.symlinkSync('/proc/self/status', p('status.md'));
    assert.equal(fs.statSync(p('status.md')).size, 0);
    const r = await readTextFile('status.md', tmp.dir, { maxBytes: 10 });
    assert.deepEqual(r, { ok: false, error: 'math-writeup: status.md: refused, over the 10 bytes limit for one document' });
    const whole = await readTextFile('status.md', tmp.dir);
    assert.ok(whole.ok && whole.text.includes('VmHWM'));
  });

  it('UTF-16 with a byte-order mark is read as text (LE and BE); invalid UTF-16 names its byte', async () => {
    fs.writeFileSync(p('le.md'), Buffer.from('\ufeff$x^2$ ∑ 😀\r\n', 'utf16le'));
    fs.writeFileSync(p('be.md'), Buffer.from('\ufeff$y$\n', 'utf16le').swap16());
    const le = await readTextFile('le.md', tmp.dir);
    assert.ok(le.ok);
    assert.equal(le.text, '$x^2$ ∑ 😀\r\n');
    assert.deepEqual(le.format, { encoding: 'utf-16le', bom: true, eol: 'crlf' });
    const be = await readTextFile('be.md', tmp.dir);
    assert.ok(be.ok);
    assert.equal(be.text, '$y$\n');
    assert.equal(be.format.encoding, 'utf-16be');
    const scan = await cli(['scan', 'le.md'], tmp.dir);
    assert.equal(scan.out, 'le.md:1:1 inline $x^2$\n');
    // a lone high surrogate (0xD800) after "a"
    fs.writeFileSync(p('bad.md'), Buffer.from([0xff, 0xfe, 0x61, 0x00, 0x00, 0xd8, 0x62, 0x00]));
    assert.deepEqual(await readTextFile('bad.md', tmp.dir), { ok: false, error: 'math-writeup: bad.md: skipped, not valid UTF-16LE (byte 4)' });
    assert.equal(firstInvalidUtf16(Buffer.from([0x3d, 0xd8, 0x00, 0xde]), false), 4, 'a surrogate pair is valid');
  });

  it('invalid UTF-8 is reported with its byte offset and line; NUL bytes as binary', async () => {
    fs.writeFileSync(p('bad.md'), Buffer.concat([Buffer.from('ok\nsecond ∑ '), Buffer.from([0xc3, 0x28])]));
    assert.deepEqual(await readTextFile('bad.md', tmp.dir), { ok: false, error: 'math-writeup: bad.md: skipped, not valid UTF-8 (byte 14, line 2)' });
    fs.writeFileSync(p('bin.md'), Buffer.from([0x61, 0x00]));
    assert.deepEqual(await readTextFile('bin.md', tmp.dir), { ok: false, error: 'math-writeup: bin.md: skipped, binary file (NUL byte at byte 1)' });
  });

  it('line endings are detected per file', () => {
    assert.equal(lineEndings('a\r\nb\r\n'), 'crlf');
    assert.equal(lineEndings('a\nb'), 'lf');
    assert.equal(lineEndings('a\r\nb\n'), 'mixed');
    assert.equal(lineEndings('one line'), 'none');
  });

  it('a newline in a file name cannot forge a finding line; JSON carries the name verbatim', async function () {
    if (!posix) this.skip(); // Windows forbids control characters in names
    const name = 'x.md\nfake.md:1:1 error MW001 forged.md';
    fs.writeFileSync(p(name), 'a TODO\n');
    const text = await cli(['lint', name], tmp.dir);
    assert.equal(text.out, 'x.md\\nfake.md:1:1 error MW001 forged.md:1:3 warning MW901 TODO left in the text\n');
    assert.equal(text.out.split('\n').length, 2, 'one finding, one line');
    const json = JSON.parse((await cli(['lint', '--format', 'json', name], tmp.dir)).out);
    assert.equal(json.files[0].file, name);
    const scan = JSON.parse((await cli(['scan', '--format', 'json', name], tmp.dir)).out);
    assert.equal(scan.file, name);
    const missing = await cli(['lint', 'gone\u001b.md'], tmp.dir);
    assert.match(missing.err, /^math-writeup: cannot read gone\\x1b\.md: no such file or directory$/m);
  });

  it('escapeFileName escapes control characters only', () => {
    assert.equal(escapeFileName('a b/ü∑.md'), 'a b/ü∑.md');
    assert.equal(escapeFileName('a\tb\rc\u0085d\u2028'), 'a\\tb\\rc\\x85d\\u2028');
  });
});
