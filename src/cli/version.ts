// The CLI's version: from the package.json next to the bundle (dist/) or the compiled sources (out/src/cli/).
import fs from 'node:fs';
import path from 'node:path';

export function version(): string {
  let dir = __dirname;
  for (let i = 0; i < 5; i++) {
    const p = path.join(dir, 'package.json');
    try {
      const pkg = JSON.parse(fs.readFileSync(p, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'math-writeup' && pkg.version) return pkg.version;
    } catch {
      // not here; look further up
    }
    dir = path.dirname(dir);
  }
  return 'unknown';
}
