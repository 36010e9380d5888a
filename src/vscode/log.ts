// The extension's log: the "Math Writeup" output channel (a LogOutputChannel, so "Developer: Set Log Level…" and
// the log files work as for VS Code's own channels) plus the last few hundred entries in memory, which the test
// API returns so an integration test that times out can say what the extension was doing.
import * as vscode from 'vscode';

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error';

const KEEP = 1000;

/**
 * The log's state lives on the global object: the preview and the lint host are separate bundles loaded later, each
 * with its own copy of this module, and all of them must write to the one channel and the one list.
 */
interface LogState {
  channel: vscode.LogOutputChannel | undefined;
  recent: string[];
  t0: number;
}
const STATE_KEY = Symbol.for('math-writeup.log');
const state: LogState = ((globalThis as Record<symbol, LogState | undefined>)[STATE_KEY] ??= { channel: undefined, recent: [], t0: Date.now() });

function write(level: LogLevel, message: string): void {
  const { recent, channel } = state;
  recent.push(`${((Date.now() - state.t0) / 1000).toFixed(3)}s ${level} ${message}`);
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
  const c = (state.channel ??= vscode.window.createOutputChannel('Math Writeup', { log: true }));
  return {
    dispose: () => {
      if (state.channel === c) state.channel = undefined;
      c.dispose();
    },
  };
}

/** The last entries (oldest first), `n` at most. */
export function recentLog(n = KEEP): string[] {
  return state.recent.slice(-n);
}
