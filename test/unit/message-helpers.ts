// Well-formedness of check messages (shared by the message and docs tests).

/** Brackets ( [ { ‖ balance; `\{`, `\}`, `\|` and `\\` count as written LaTeX pairs of their own. */
export function wellFormed(msg: string): string | undefined {
  const stack: string[] = [];
  const pairs: Record<string, string> = { ')': '(', ']': '[', '}': '{' };
  for (let i = 0; i < msg.length; i++) {
    const c = msg[i];
    if (c === '\\') {
      const next = msg[i + 1];
      if (next === '|') {
        if (stack[stack.length - 1] === '\\|') stack.pop();
        else stack.push('\\|');
      }
      i++;
      continue;
    }
    if (c === '‖') {
      if (stack[stack.length - 1] === '‖') stack.pop();
      else stack.push('‖');
    } else if (c === '(' || c === '[' || c === '{') stack.push(c);
    else if (c in pairs && stack.pop() !== pairs[c]) return `unbalanced \`${c}\` at ${i}`;
  }
  if (stack.length) return `left open: ${stack.join(' ')}`;
  if ((msg.match(/`/g) ?? []).length % 2) return 'odd number of backticks';
  if (/_\{[^}]*$/.test(msg)) return '`_{` left open';
  return undefined;
}
