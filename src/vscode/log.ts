// The extension's log: the "Math Writeup" output channel (a LogOutputChannel, so "Developer: Set Log Level…" and
// the log files work as for VS Code's own channels) plus the last few hundred entries in memory, which the test
// API returns so an integration test that times out can say what the extension was doing.
import * as vscode from 'vscode';

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error';

const KEEP = 1000;
let channel: vscode.LogOutputChannel | undefined;
const recent: string[] = [];
const t0 = Date.now();

function write(level: LogLevel, message: string): void {
  recent.push(`${((Date.now() - t0) / 1000).toFixed(3)}s ${level} ${message}`);
  if (recent.length > KEEP) recent.splice(0, recent.length - KEEP);
  if (!channel) return;
  switch (level) {
    case 'trace':
      channel.trace(message);
      break;
    case 'debug':
      channel.debug(message);
      break;
    case 'info':
      channel.info(message);
      break;
    case 'warn':
      channel.warn(message);
      break;
    case 'error':
      channel.error(message);
      break;
  }
}

export const log = {
  trace: (message: string): void => write('trace', message),
  debug: (message: string): void => write('debug', message),
  info: (message: string): void => write('info', message),
  warn: (message: string): void => write('warn', message),
  error: (message: string, err?: unknown): void =>
    write('error', err === undefined ? message : `${message}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`),
};

/** Creates the output channel (once, at activation). */
export function createLog(): vscode.Disposable {
  channel ??= vscode.window.createOutputChannel('Math Writeup', { log: true });
  const c = channel;
  return {
    dispose: () => {
      if (channel === c) channel = undefined;
      c.dispose();
    },
  };
}

/** The last entries (oldest first), `n` at most. */
export function recentLog(n = KEEP): string[] {
  return recent.slice(-n);
}
