// A minimal LSP client for the language server tests: spawns the bundled server (`node dist/cli.js lsp --stdio`),
// frames JSON-RPC messages (Content-Length headers), answers the server's requests (workspace/configuration from
// a settings object the test controls, capability registration), and collects notifications.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import path from 'node:path';

export const SERVER = path.resolve(__dirname, '../../../dist/cli.js');

interface Message {
  jsonrpc: '2.0';
  id?: number | string;
  method?: string;
  params?: unknown;
  result?: unknown;
  error?: { code: number; message: string };
}

export interface PublishedDiagnostics {
  uri: string;
  version?: number;
  diagnostics: {
    range: { start: { line: number; character: number }; end: { line: number; character: number } };
    severity: number;
    code: string;
    codeDescription?: { href: string };
    source: string;
    message: string;
  }[];
}

export class LspClient {
  readonly proc: ChildProcessWithoutNullStreams;
  #buf = Buffer.alloc(0);
  #nextId = 1;
  readonly #pending = new Map<number | string, { resolve: (r: unknown) => void; reject: (e: Error) => void }>();
  readonly notifications: Message[] = [];
  readonly #waiters: { test: (m: Message) => boolean; resolve: (m: Message) => void }[] = [];
  /** What `workspace/configuration` answers for section mathWriteup (tests change it). */
  settings: unknown = null;
  /** Requests the server sent to the client (method names), in order. */
  readonly serverRequests: string[] = [];
  stderr = '';

  constructor(args: string[] = [SERVER, 'lsp', '--stdio'], cwd?: string) {
    this.proc = spawn(process.execPath, args, { cwd, stdio: 'pipe' });
    this.proc.stdout.on('data', (d: Buffer) => this.#onData(d));
    this.proc.stderr.on('data', (d: Buffer) => (this.stderr += d.toString()));
  }

  #send(m: Message): void {
    const body = Buffer.from(JSON.stringify(m), 'utf8');
    this.proc.stdin.write(`Content-Length: ${body.length}\r\n\r\n`);
    this.proc.stdin.write(body);
  }

  #onData(d: Buffer): void {
    this.#buf = Buffer.concat([this.#buf, d]);
    for (;;) {
      const headerEnd = this.#buf.indexOf('\r\n\r\n');
      if (headerEnd < 0) return;
      const header = this.#buf.subarray(0, headerEnd).toString('ascii');
      const m = /Content-Length: (\d+)/i.exec(header);
      if (!m) throw new Error(`bad header from server: ${header}`);
      const len = Number(m[1]);
      if (this.#buf.length < headerEnd + 4 + len) return;
      const msg = JSON.parse(this.#buf.subarray(headerEnd + 4, headerEnd + 4 + len).toString('utf8')) as Message;
      this.#buf = this.#buf.subarray(headerEnd + 4 + len);
      this.#dispatch(msg);
    }
  }

  #dispatch(msg: Message): void {
    if (msg.method !== undefined && msg.id !== undefined) {
      this.serverRequests.push(msg.method);
      let result: unknown = null;
      if (msg.method === 'workspace/configuration') {
        const items = (msg.params as { items: { section?: string }[] }).items;
        result = items.map((i) => (i.section === 'mathWriteup' ? this.settings : null));
      }
      this.#send({ jsonrpc: '2.0', id: msg.id, result });
      return;
    }
    if (msg.method !== undefined) {
      this.notifications.push(msg);
      for (const w of [...this.#waiters]) {
        if (w.test(msg)) {
          this.#waiters.splice(this.#waiters.indexOf(w), 1);
          w.resolve(msg);
        }
      }
      return;
    }
    const p = this.#pending.get(msg.id as number);
    if (!p) return;
    this.#pending.delete(msg.id as number);
    if (msg.error) p.reject(Object.assign(new Error(msg.error.message), { code: msg.error.code }));
    else p.resolve(msg.result);
  }

  request<T = unknown>(method: string, params: unknown): Promise<T> {
    const id = this.#nextId++;
    return new Promise<T>((resolve, reject) => {
      this.#pending.set(id, { resolve: resolve as (r: unknown) => void, reject });
      this.#send({ jsonrpc: '2.0', id, method, params });
    });
  }

  /** Sends a request and cancels it at once; resolves with its answer or its error. */
  requestAndCancel(method: string, params: unknown): Promise<unknown> {
    const id = this.#nextId++;
    const p = new Promise<unknown>((resolve) => {
      this.#pending.set(id, { resolve, reject: resolve });
    });
    this.#send({ jsonrpc: '2.0', id, method, params });
    this.#send({ jsonrpc: '2.0', method: '$/cancelRequest', params: { id } });
    return p;
  }

  notify(method: string, params: unknown): void {
    this.#send({ jsonrpc: '2.0', method, params });
  }

  /** The next notification (from now on, or already received when `past` says so) that satisfies `test`. */
  waitFor(test: (m: Message) => boolean, what: string, timeoutMs = 15000): Promise<Message> {
    return new Promise<Message>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}; server stderr: ${this.stderr}`)), timeoutMs);
      this.#waiters.push({ test, resolve: (m) => (clearTimeout(timer), resolve(m)) });
    });
  }

  /** The next diagnostics published for `uri` that satisfy `test` (default: any). */
  async diagnostics(uri: string, test: (p: PublishedDiagnostics) => boolean = () => true, what = 'diagnostics'): Promise<PublishedDiagnostics> {
    const m = await this.waitFor(
      (n) => n.method === 'textDocument/publishDiagnostics' && (n.params as PublishedDiagnostics).uri === uri && test(n.params as PublishedDiagnostics),
      `${what} for ${uri}`,
    );
    return m.params as PublishedDiagnostics;
  }

  async initialize(capabilities: unknown = { workspace: { configuration: true, didChangeWatchedFiles: { dynamicRegistration: true } } }, initializationOptions?: unknown): Promise<{ capabilities: Record<string, unknown> }> {
    const r = await this.request<{ capabilities: Record<string, unknown> }>('initialize', { processId: process.pid, rootUri: null, capabilities, initializationOptions });
    this.notify('initialized', {});
    return r;
  }

  /** shutdown + exit; resolves with the server's exit code. */
  async close(): Promise<number | null> {
    const exited = new Promise<number | null>((r) => this.proc.on('exit', (code) => r(code)));
    if (this.proc.exitCode !== null) return this.proc.exitCode;
    await this.request('shutdown', null);
    this.notify('exit', null);
    return exited;
  }
}

/** Offsets <-> LSP positions on a text (UTF-16, `\n` line ends). */
export function positionAt(text: string, offset: number): { line: number; character: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length - 1, character: before[before.length - 1].length };
}

export function offsetAt(text: string, pos: { line: number; character: number }): number {
  const lines = text.split('\n');
  let o = 0;
  for (let i = 0; i < pos.line; i++) o += lines[i].length + 1;
  return o + pos.character;
}

export interface LspTextEdit {
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  newText: string;
}

/** Applies LSP text edits (non-overlapping, as the protocol requires) to `text`. */
export function applyLspEdits(text: string, edits: readonly LspTextEdit[]): string {
  const withOffsets = edits.map((e, i) => ({ i, start: offsetAt(text, e.range.start), end: offsetAt(text, e.range.end), newText: e.newText }));
  // From the end backwards; inserts at one point land in the order given (the later one is applied first).
  withOffsets.sort((a, b) => b.start - a.start || b.end - a.end || b.i - a.i);
  let out = text;
  for (const e of withOffsets) out = out.slice(0, e.start) + e.newText + out.slice(e.end);
  return out;
}
