// Command handlers never throw into VS Code: a failure becomes one error notification.
import * as vscode from 'vscode';
import { log } from './log';

export const guarded =
  <A extends unknown[], R>(fn: (...a: A) => Promise<R>) =>
  async (...a: A): Promise<R | undefined> => {
    try {
      return await fn(...a);
    } catch (e) {
      log.error('command failed', e);
      void vscode.window.showErrorMessage(`Math Writeup: ${e instanceof Error ? e.message : String(e)}`);
      return undefined;
    }
  };
