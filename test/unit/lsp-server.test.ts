// The language server (`math-writeup lsp --stdio`) spoken to over JSON-RPC on stdio, as an editor does: the real
// bundled server (dist/cli.js), real documents. Diagnostics (rule ids, documentation links, GitHub's MathJax verdicts
// arriving later), code actions applied and re-linted, hover, configuration from .math-writeup.json and from the
// client's settings, incremental sync, superseded lints.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { applyLspEdits, LspClient, positionAt, SERVER, type LspTextEdit, type PublishedDiagnostics } from './lsp-client';

interface CodeAction {
  title: string;
  kind: string;
  isPreferred?: boolean;
  diagnostics?: unknown[];
  edit?: { changes: Record<string, LspTextEdit[]> };
}

const WRITEUP = [
  '# HW',
  '',
  '其中$x$是变量。',
  '',
  'Let $w^*$ and $v^*$ be optimal.',
  '',
  'Then $\\foo{x}$ fails and $ y $ too.',
  '',
].join('\n');

const codes = (p: PublishedDiagnostics): string[] => p.diagnostics.map((d) => d.code).sort();

describe('language server (LSP over stdio, bundled server)', function () {
  this.timeout(60000);
  let dir: string;
  let client: LspClient;
  let uri: string;
  let text: string;
  let version: number;

  before(() => {
    assert.ok(fs.existsSync(SERVER), `${SERVER} is missing: run npm run compile`);
  });

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mw-lsp-'));
    fs.mkdirSync(path.join(dir, '.git')); // the config search stops here
    client = new LspClient();
    uri = pathToFileURL(path.join(dir, 'hw.md')).href;
    version = 1;
  });

  afterEach(async () => {
    if (client.proc.exitCode === null) {
      const code = await client.close();
      assert.equal(code, 0, 'the server exits with 0 after shutdown + exit');
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const open = (t: string, languageId = 'markdown'): void => {
    text = t;
    client.notify('textDocument/didOpen', { textDocument: { uri, languageId, version, text } });
  };
  /** Applies edits to the client's copy and sends them as incremental changes (one change per edit, last first). */
  const change = (edits: LspTextEdit[]): void => {
    const sorted = [...edits].sort((a, b) => b.range.start.line - a.range.start.line || b.range.start.character - a.range.start.character);
    for (const e of sorted) text = applyLspEdits(text, [e]);
    version++;
    client.notify('textDocument/didChange', { textDocument: { uri, version }, contentChanges: sorted.map((e) => ({ range: e.range, text: e.newText })) });
  };
  const diagnosticsOfVersion = (v: number, test: (p: PublishedDiagnostics) => boolean = () => true, what?: string) =>
    client.diagnostics(uri, (p) => p.version === v && test(p), what);
  const actionsAt = (line: number, character: number, only?: string[]): Promise<CodeAction[]> =>
    client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: { start: { line, character }, end: { line, character } },
      context: { diagnostics: [], ...(only ? { only } : {}) },
    });

  it('advertises incremental sync, quick fixes, fix-all and hover', async () => {
    const init = await client.initialize();
    const caps = init.capabilities as { textDocumentSync: { change: number }; codeActionProvider: { codeActionKinds: string[] }; hoverProvider: boolean };
    assert.equal(caps.textDocumentSync.change, 2);
    assert.deepEqual(caps.codeActionProvider.codeActionKinds, ['quickfix', 'source.fixAll.mathWriteup']);
    assert.equal(caps.hoverProvider, true);
  });

  it('publishes diagnostics with rule ids and links to the rule pages, then GitHub MathJax verdicts', async () => {
    await client.initialize();
    const fast = diagnosticsOfVersion(1);
    open(WRITEUP);
    const first = await fast;
    assert.deepEqual(codes(first).filter((c) => c !== 'MW053'), ['MW001', 'MW002', 'MW020', 'MW020', 'MW052']);
    const mw001 = first.diagnostics.find((d) => d.code === 'MW001')!;
    assert.deepEqual(mw001.range, { start: { line: 2, character: 2 }, end: { line: 2, character: 5 } });
    assert.equal(mw001.severity, 1);
    assert.equal(mw001.source, 'math-writeup');
    assert.match(mw001.message, /CJK character `中` touches the opening `\$`/);
    const href = mw001.codeDescription?.href;
    assert.ok(href?.startsWith('file://'), `docs link ${href}`);
    assert.match(fs.readFileSync(fileURLToPath(href!), 'utf8'), /MW001/);
    // GitHub's MathJax runs off the request path: `\foo` is judged after the first answer and published then.
    const withMathjax = first.diagnostics.some((d) => d.code === 'MW053') ? first : await diagnosticsOfVersion(1, (p) => codes(p).includes('MW053'), 'MathJax verdicts');
    const mw053 = withMathjax.diagnostics.find((d) => d.code === 'MW053')!;
    assert.equal(mw053.range.start.line, 6);
    assert.match(mw053.message, /\\foo/);
  });

  it('offers the preferred fix first-class; applying it and re-linting removes the finding', async () => {
    await client.initialize();
    const d1 = diagnosticsOfVersion(1);
    open(WRITEUP);
    await d1;
    const actions = await actionsAt(2, 3);
    const preferred = actions.filter((a) => a.isPreferred);
    assert.equal(preferred.length, 1);
    assert.equal(preferred[0].title, 'Insert a space before `$`');
    assert.equal(preferred[0].kind, 'quickfix');
    assert.ok(actions.some((a) => a.title === 'Disable MW001 (text-before-dollar) for this line'));
    const d2 = diagnosticsOfVersion(2);
    change(preferred[0].edit!.changes[uri]);
    assert.equal(text.split('\n')[2], '其中 $x$是变量。');
    const after = await d2;
    assert.ok(!codes(after).includes('MW001'), `MW001 still reported: ${codes(after)}`);
    assert.ok(codes(after).includes('MW020'));
  });

  it('fixes all findings of a rule, and of the file (source.fixAll.mathWriteup)', async () => {
    await client.initialize();
    const d1 = diagnosticsOfVersion(1);
    open(WRITEUP);
    await d1;
    const ruleAll = (await actionsAt(4, 6)).find((a) => a.title === 'Fix all MW020 (emphasis-in-math) in this file');
    assert.ok(ruleAll, 'fix all MW020 offered');
    const d2 = diagnosticsOfVersion(2);
    change(ruleAll.edit!.changes[uri]);
    assert.ok(!codes(await d2).includes('MW020'));
    const fileAll = await actionsAt(0, 0, ['source.fixAll']);
    assert.equal(fileAll.length, 1);
    assert.equal(fileAll[0].kind, 'source.fixAll.mathWriteup');
    const d3 = diagnosticsOfVersion(3);
    change(fileAll[0].edit!.changes[uri]);
    const left = codes(await d3).filter((c) => c !== 'MW053');
    // What is left has no fix: an undefined macro is the author's to repair.
    assert.deepEqual(left, ['MW052']);
    assert.equal(text.split('\n')[2], '其中 $x$是变量。');
    assert.equal(text.split('\n')[6], 'Then $\\foo{x}$ fails and $y$ too.');
    // Asking for quick fixes only does not return the file-wide action.
    assert.ok((await actionsAt(6, 6, ['quickfix'])).every((a) => a.kind === 'quickfix'));
  });

  it('disables a rule for the line with a directive comment', async () => {
    await client.initialize();
    const d1 = diagnosticsOfVersion(1);
    open(WRITEUP);
    await d1;
    const disable = (await actionsAt(6, 27)).find((a) => a.title === 'Disable MW002 (space-inside-dollars) for this line');
    assert.ok(disable);
    const d2 = diagnosticsOfVersion(2);
    change(disable.edit!.changes[uri]);
    assert.equal(text.split('\n')[6], '<!-- math-writeup-disable-next-line MW002 -->');
    const after = await d2;
    assert.ok(!codes(after).includes('MW002'));
    assert.ok(codes(after).includes('MW001'));
  });

  it('disables a rule for the paragraph when the finding is inside one (a comment line would split it)', async () => {
    await client.initialize();
    const d1 = diagnosticsOfVersion(1);
    open('Intro line\nthen 其中$x$ here.\n\nNext.\n');
    await d1;
    const disable = (await actionsAt(1, 7)).find((a) => a.title.startsWith('Disable MW001'));
    assert.equal(disable?.title, 'Disable MW001 (text-before-dollar) for this paragraph');
    const d2 = diagnosticsOfVersion(2);
    change(disable!.edit!.changes[uri]);
    assert.equal(text, '<!-- math-writeup-disable MW001 -->\nIntro line\nthen 其中$x$ here.\n<!-- math-writeup-enable MW001 -->\n\nNext.\n');
    assert.deepEqual(codes(await d2), []);
  });

  it('hovers a formula with GitHub\'s MathJax rendering as an SVG image and its findings', async () => {
    await client.initialize();
    const d1 = diagnosticsOfVersion(1);
    open(WRITEUP);
    await d1;
    const hover = await client.request<{ contents: { kind: string; value: string }; range: unknown }>('textDocument/hover', {
      textDocument: { uri },
      position: { line: 6, character: 7 },
    });
    assert.equal(hover.contents.kind, 'markdown');
    const md = hover.contents.value;
    assert.match(md, /GitHub renders/);
    const m = /!\[[^\]]*\]\(data:image\/svg\+xml;base64,([A-Za-z0-9+/=]+)\)/.exec(md);
    assert.ok(m, `an SVG image in ${md.slice(0, 300)}`);
    const svg = Buffer.from(m[1], 'base64').toString('utf8');
    assert.match(svg, /^<svg[\s\S]*<\/svg>$/);
    assert.ok(!svg.includes('currentColor'), 'the image carries a colour of its own');
    assert.match(md, /GitHub's MathJax: .*foo/);
    assert.match(md, /\*\*MW052\*\* \(katex-parse-error\)/);
    assert.match(md, /MathJax receives: ` \\foo\{x\} `/);
    assert.deepEqual(hover.range, { start: { line: 6, character: 5 }, end: { line: 6, character: 14 } });
    // Outside any formula: no hover.
    const none = await client.request('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 1 } });
    assert.equal(none, null);
    // A near miss: GitHub leaves `$w^*$ … $v^*$` as text; the hover says so, shows what was meant and the fixes.
    const miss = await client.request<{ contents: { value: string } }>('textDocument/hover', { textDocument: { uri }, position: { line: 4, character: 6 } });
    assert.match(miss.contents.value, /GitHub does not render this as math/);
    assert.match(miss.contents.value, /What the formula should look like once fixed:\n\n!\[w\^\*\]\(data:image\/svg\+xml;base64,/);
    assert.match(miss.contents.value, /\*\*MW020\*\* \(emphasis-in-math\)[^]*Fix \(code action\): Write/);
  });

  it('reads .math-writeup.json and the client settings (workspace/configuration), and follows their changes', async () => {
    fs.writeFileSync(path.join(dir, '.math-writeup.json'), JSON.stringify({ rules: { 'text-before-dollar': 'off', MW020: 'warning' } }));
    await client.initialize();
    const d1 = diagnosticsOfVersion(1);
    open(WRITEUP);
    const first = await d1;
    assert.ok(!codes(first).includes('MW001'), 'MW001 is off in .math-writeup.json');
    assert.ok(first.diagnostics.filter((d) => d.code === 'MW020').every((d) => d.severity === 2));
    assert.ok(client.serverRequests.includes('workspace/configuration'));
    assert.ok(client.serverRequests.includes('client/registerCapability'), 'watches .math-writeup.json');
    // The client's settings override the file.
    client.settings = { rules: { MW001: 'info', MW002: 'off' } };
    const d2 = diagnosticsOfVersion(1, (p) => codes(p).includes('MW001'), 'diagnostics after a settings change');
    client.notify('workspace/didChangeConfiguration', { settings: null });
    const second = await d2;
    assert.equal(second.diagnostics.find((d) => d.code === 'MW001')?.severity, 3);
    assert.ok(!codes(second).includes('MW002'));
    // The file changes on disk: the watcher's notification makes the server read it again.
    client.settings = null;
    fs.writeFileSync(path.join(dir, '.math-writeup.json'), JSON.stringify({ target: 'vscode' }));
    const d3 = diagnosticsOfVersion(1, (p) => !codes(p).includes('MW020'), 'diagnostics after the file changed');
    client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(path.join(dir, '.math-writeup.json')).href, type: 2 }] });
    // target vscode: only what breaks VS Code's preview (KaTeX's error on \foo; the CJK rule is GitHub's).
    assert.deepEqual(codes(await d3), ['MW052']);
  });

  it('reports an invalid configuration once, as a message naming the file and the line', async () => {
    fs.writeFileSync(path.join(dir, '.math-writeup.json'), '{\n  "rules": { "MW999": "error" }\n}\n');
    await client.initialize();
    const msg = client.waitFor((m) => m.method === 'window/showMessage', 'a configuration message');
    open(WRITEUP);
    const shown = (await msg).params as { type: number; message: string };
    assert.equal(shown.type, 2);
    assert.match(shown.message, /\.math-writeup\.json:2:\d+: .*MW999/);
    // Linting goes on with the defaults.
    assert.ok(codes(await diagnosticsOfVersion(1)).includes('MW001'));
  });

  it('takes settings from initializationOptions when the client cannot be asked', async () => {
    await client.initialize({}, { mathWriteup: { rules: { MW001: 'off' } } });
    const d1 = diagnosticsOfVersion(1);
    open(WRITEUP);
    const first = await d1;
    assert.ok(!codes(first).includes('MW001'));
    assert.ok(codes(first).includes('MW020'));
    assert.ok(!client.serverRequests.includes('workspace/configuration'));
  });

  it('publishes nothing while the client settings turn linting off, and lints again when they turn it on', async () => {
    client.settings = { enable: false };
    await client.initialize();
    const d1 = diagnosticsOfVersion(1);
    open(WRITEUP);
    assert.deepEqual((await d1).diagnostics, []);
    assert.deepEqual(await actionsAt(2, 3), []);
    client.settings = { enable: true, lint: { debounceMs: 0 } };
    const d2 = diagnosticsOfVersion(1, (p) => p.diagnostics.length > 0, 'diagnostics once enabled');
    client.notify('workspace/didChangeConfiguration', { settings: null });
    assert.ok(codes(await d2).includes('MW001'));
  });

  it('keeps the document in step under incremental changes, and lints only the latest of quick edits', async () => {
    await client.initialize();
    const d1 = diagnosticsOfVersion(1);
    open(WRITEUP);
    await d1;
    const published: number[] = [];
    client.diagnostics(uri, (p) => (published.push(p.version ?? -1), false)).catch(() => undefined);
    // Type "其中" before five more formulas, one keystroke each (sent at once, as a fast typist's edits arrive).
    for (let i = 0; i < 5; i++) {
      const end = text.length;
      change([{ range: { start: positionAt(text, end), end: positionAt(text, end) }, newText: `\n其中$a_${i}$` }]);
    }
    const last = await diagnosticsOfVersion(6);
    assert.equal(last.diagnostics.filter((d) => d.code === 'MW001').length, 6);
    const lines = text.split('\n');
    for (const d of last.diagnostics.filter((x) => x.code === 'MW001')) {
      assert.equal(lines[d.range.start.line].slice(d.range.start.character, d.range.start.character + 1), '$');
    }
    // The superseded versions 2–5 were never linted and published.
    assert.deepEqual(published.filter((v) => v > 1 && v < 6), []);
  });

  it('answers a cancelled hover with the cancellation error or a result, and keeps serving', async () => {
    await client.initialize();
    const d1 = diagnosticsOfVersion(1);
    open(WRITEUP);
    await d1;
    const r = await client.requestAndCancel('textDocument/hover', { textDocument: { uri }, position: { line: 6, character: 7 } });
    // The request is cancelled while it waits for the findings: null (or the cancellation error), never a failure.
    if (r instanceof Error) assert.equal((r as Error & { code?: number }).code, -32800, r.message);
    else assert.ok(r === null || JSON.stringify(r).includes('GitHub renders'), `answer ${JSON.stringify(r)}`);
    const again = await client.request<{ contents: { value: string } }>('textDocument/hover', { textDocument: { uri }, position: { line: 6, character: 7 } });
    assert.match(again.contents.value, /\\foo/);
  });

  it('clears the diagnostics of a closed document and ignores other languages', async () => {
    await client.initialize();
    const d1 = diagnosticsOfVersion(1);
    open(WRITEUP);
    await d1;
    const cleared = client.diagnostics(uri, (p) => p.diagnostics.length === 0, 'cleared diagnostics');
    client.notify('textDocument/didClose', { textDocument: { uri } });
    await cleared;
    const jsonUri = pathToFileURL(path.join(dir, 'data.json')).href;
    client.notify('textDocument/didOpen', { textDocument: { uri: jsonUri, languageId: 'json', version: 1, text: '{"a": "其中$x$"}' } });
    const actions = await client.request('textDocument/codeAction', {
      textDocument: { uri: jsonUri },
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 5 } },
      context: { diagnostics: [] },
    });
    assert.equal(actions, null);
    assert.ok(!client.notifications.some((n) => (n.params as { uri?: string })?.uri === jsonUri));
  });

  it('rejects unknown options with a usage error', async () => {
    const bad = new LspClient([SERVER, 'lsp', '--tcp']);
    const code = await new Promise<number | null>((r) => bad.proc.on('exit', r));
    assert.equal(code, 2);
    assert.match(bad.stderr, /lsp: unknown option --tcp/);
  });
});
