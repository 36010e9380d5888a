// Generated documents for the scaling test (loaded by its child process, so no mocha here).

/** Paragraphs with inline formulas, a currency `$`, a near miss (`$ x$`), `\(…\)`, damaged TeX; display blocks and tables. */
export function denseWriteup(paragraphs: number): string {
  const parts: string[] = [];
  for (let i = 0; i < paragraphs; i++) {
    parts.push(`Step: $a$ and $c$, price $5 and $ x$ here, \\(y\\) *em* $\\{z\\}$.`);
    if (i % 7 === 0) parts.push('$$\n\\sum_k k\n$$');
    if (i % 11 === 0) parts.push('| a | b |\n|---|---|\n| $p$ | $q|r$ |');
  }
  return parts.join('\n\n') + '\n';
}
