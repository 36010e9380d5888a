// The layout of the check engine (src/core/check/README.md, "Rules of the layout"): no module imports itself back
// through other modules (type-only imports included), and no file grows past the size where it mixes subjects.
import * as assert from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';

const engine = path.resolve(__dirname, '..', '..', '..', 'src', 'core', 'check');

/** Longest file allowed; a file above it is split by subject (see the README's map). */
const MAX_LINES = 800;
/**
 * Files allowed to be longer, with their own limit. evaluate.ts is one subject (the `ev` dispatch and the operators
 * it recurses through), and splitting it needs its parts to receive `ev` rather than import it; not done yet.
 */
const LONGER: Record<string, number> = { [path.join('evaluation', 'evaluate.ts')]: 900 };

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...sources(p));
    else if (e.name.endsWith('.ts')) out.push(p);
  }
  return out.sort();
}

/** The engine files a file imports (relative specifiers of `import … from` / `export … from`, types included). */
export function importsOf(file: string, text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/^(?:import|export)\s[^;]*?\sfrom\s+'(\.{1,2}\/[^']+)'/gms)) {
    const target = path.resolve(path.dirname(file), m[1]);
    for (const candidate of [target + '.ts', path.join(target, 'index.ts')]) {
      if (candidate.startsWith(engine + path.sep) && fs.existsSync(candidate)) {
        out.push(candidate);
        break;
      }
    }
  }
  return out;
}

/** One import cycle of the graph (as a list of files, the first repeated at the end), or undefined. */
export function findCycle(graph: Map<string, string[]>): string[] | undefined {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (f: string): string[] | undefined => {
    state.set(f, 'open');
    stack.push(f);
    for (const g of graph.get(f) ?? []) {
      if (state.get(g) === 'open') return [...stack.slice(stack.indexOf(g)), g];
      if (!state.has(g)) {
        const c = visit(g);
        if (c) return c;
      }
    }
    stack.pop();
    state.set(f, 'done');
    return undefined;
  };
  for (const f of graph.keys()) {
    if (state.has(f)) continue;
    const c = visit(f);
    if (c) return c;
  }
  return undefined;
}

describe('check engine layout', () => {
  const files = sources(engine);

  it('has no import cycle inside src/core/check', () => {
    assert.ok(files.length > 30, `expected the engine's files under ${engine}`);
    const graph = new Map(files.map((f) => [f, importsOf(f, fs.readFileSync(f, 'utf8'))]));
    const cycle = findCycle(graph);
    assert.strictEqual(cycle?.map((f) => path.relative(engine, f)).join(' → '), undefined);
  });

  it('finds a cycle when there is one (the detector itself)', () => {
    const g = new Map([['a', ['b']], ['b', ['c']], ['c', ['a']], ['d', ['a']]]);
    assert.deepStrictEqual(findCycle(g), ['a', 'b', 'c', 'a']);
    assert.strictEqual(findCycle(new Map([['a', ['b']], ['b', []], ['c', ['a', 'b']]])), undefined);
    const fake = path.join(engine, 'engine.ts');
    assert.deepStrictEqual(importsOf(fake, "import type { Node } from './parser/ast';\nimport {\n  Parser,\n} from './parser/parser';\nimport x from 'ml-matrix';\n"), [
      path.join(engine, 'parser', 'ast.ts'),
      path.join(engine, 'parser', 'parser.ts'),
    ]);
  });

  it(`has no file longer than ${MAX_LINES} lines`, () => {
    const long = files
      .map((f) => ({ f: path.relative(engine, f), n: fs.readFileSync(f, 'utf8').split('\n').length }))
      .filter((x) => x.n > (LONGER[x.f] ?? MAX_LINES));
    assert.deepStrictEqual(long, []);
  });
});
