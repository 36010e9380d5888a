// Splits the body of a ```check fence into `key: value` sections (indented lines continue the previous key),
// keeping a map from every character of a section to its offset in the document.
import type { FenceBlock } from '../../scan/types';
import type { LineIndex } from '../../text';
import type { Source } from './lexer';
import { CheckError } from '../errors';

export const KEYS = ['title', 'given', 'let', 'iterate', 'steps', 'sweep', 'trials', 'claim', 'tolerance', 'plot', 'expect', 'seed'] as const;
export type Key = (typeof KEYS)[number];
const REPEATABLE = new Set<Key>(['given', 'let', 'iterate', 'plot']);

export interface Section {
  key: Key;
  /** Document offsets of the key word. */
  keyS: number;
  keyE: number;
  src: Source;
}

export interface SplitResult {
  sections: Section[];
  errors: CheckError[];
}

export function splitBlock(fence: FenceBlock, lines: LineIndex): SplitResult {
  const contentLines = fence.content.split('\n');
  if (contentLines.length && contentLines[contentLines.length - 1] === '') contentLines.pop();
  const sections: Section[] = [];
  const errors: CheckError[] = [];
  let current: { key: Key; keyS: number; keyE: number; text: string; map: number[] } | undefined;
  const seen = new Set<Key>();
  let skipping = false;
  const finish = () => {
    if (!current) return;
    const lastOffset = current.map.length ? current.map[current.map.length - 1] + 1 : current.keyE;
    current.map.push(lastOffset);
    sections.push({ key: current.key, keyS: current.keyS, keyE: current.keyE, src: { text: current.text, map: current.map } });
    current = undefined;
  };
  for (let k = 0; k < contentLines.length; k++) {
    const raw = contentLines[k].replace(/\r$/, '');
    const docLine = fence.contentLine + k;
    let docStart: number;
    if (docLine < lines.lineCount) {
      const lt = lines.lineText(docLine);
      const prefix = lt.endsWith(raw) ? lt.length - raw.length : 0;
      docStart = lines.lineStarts[docLine] + prefix;
    } else docStart = lines.text.length;
    if (raw.trim() === '') continue;
    if (/^\s/.test(raw)) {
      if (skipping) continue;
      if (!current) {
        errors.push(new CheckError('indented line without a key above it (start the block with `key: value`)', docStart, docStart + raw.length));
        continue;
      }
      current.text += '\n';
      current.map.push(docStart - 1 >= 0 ? docStart - 1 : 0);
      for (let c = 0; c < raw.length; c++) {
        current.text += raw[c];
        current.map.push(docStart + c);
      }
      continue;
    }
    const m = /^([A-Za-z][A-Za-z_-]*)\s*:(?!=)\s?/.exec(raw);
    if (!m) {
      finish();
      errors.push(new CheckError('expected `key: value` (indent a line to continue the previous key)', docStart, docStart + raw.length));
      continue;
    }
    finish();
    skipping = false;
    const key = m[1];
    const keyS = docStart;
    const keyE = docStart + key.length;
    if (!(KEYS as readonly string[]).includes(key)) {
      const near = KEYS.find((x) => x.startsWith(key.toLowerCase().slice(0, 3)));
      errors.push(new CheckError(`unknown key \`${key}\`${near ? ` (did you mean \`${near}\`?)` : ''}; keys are ${KEYS.join(', ')}`, keyS, keyE));
      current = undefined;
      skipping = true;
      continue;
    }
    const kk = key as Key;
    if (seen.has(kk) && !REPEATABLE.has(kk)) {
      errors.push(new CheckError(`\`${key}\` is given twice`, keyS, keyE));
      skipping = true;
      continue;
    }
    seen.add(kk);
    const valueStart = m[0].length;
    current = { key: kk, keyS, keyE, text: '', map: [] };
    for (let c = valueStart; c < raw.length; c++) {
      current.text += raw[c];
      current.map.push(docStart + c);
    }
  }
  finish();
  return { sections, errors };
}
