// The lint worker: lints writeups off the extension host's thread. Each request gets the fast findings at once,
// then — after GitHub's MathJax has judged the formulas it had not seen (cached across requests) — a second answer
// when that adds findings. A newer request for the same document abandons the older one's MathJax pass. Each
// document has an incremental linter (src/core/lint/incremental.ts): an edit re-lints only the chunk it touches.
import { parentPort } from 'node:worker_threads';
import { validateFormulas } from '../core/lint/engine';
import { validateGithub } from '../core/tex/mathjax';
import { IncrementalLinter } from '../core/lint/incremental';
import type { FromLintWorker, LintRequest } from './lintProtocol';
import type { Finding } from '../core/types';

const latest = new Map<string, number>();
/** One incremental linter per document (a code action's direct request shares its document's), most recent last. */
const linters = new Map<string, IncrementalLinter>();
const MAX_LINTERS = 16;

function linterFor(key: string): IncrementalLinter {
  const doc = key.replace(/#direct$/, '');
  let l = linters.get(doc);
  if (l) linters.delete(doc);
  else l = new IncrementalLinter();
  linters.set(doc, l);
  if (linters.size > MAX_LINTERS) linters.delete(linters.keys().next().value as string);
  return l;
}
/** Quiet time after a lint before GitHub's MathJax pass starts. */
const MATHJAX_IDLE_MS = 400;
/** Lint requests run one after the other (the MathJax passes run beside this queue). */
let queue: Promise<void> = Promise.resolve();

function sameFindings(a: Finding[], b: Finding[]): boolean {
  if (a.length !== b.length) return false;
  return a.every((f, i) => f.ruleId === b[i].ruleId && f.start === b[i].start && f.end === b[i].end && f.message === b[i].message);
}

function post(m: FromLintWorker): void {
  parentPort?.postMessage(m);
}

function handle(req: LintRequest, arrived: number): void {
  if (latest.get(req.key) !== req.id) {
    post({ type: 'superseded', id: req.id }); // a newer version of the document is queued
    return;
  }
  const t0 = performance.now();
  const linter = linterFor(req.key);
  const { findings, stats } = linter.lint(req.text, req.config);
  post({ type: 'findings', id: req.id, phase: 'fast', findings, lintMs: performance.now() - t0, queuedMs: t0 - arrived, stats });
  if (!req.mathjax) return;
  warmMathjax();
  // MathJax is the slow part: start it only once typing pauses, so it does not compete with the fast lints. The
  // wait and the pass run beside the request queue: a keystroke meanwhile is linted at once, and the pass stops at
  // the next formula.
  setTimeout(() => {
    mathjaxPass(req, linter, findings).catch((e: unknown) =>
      post({ type: 'failed', id: req.id, message: e instanceof Error ? e.message : String(e) }),
    );
  }, MATHJAX_IDLE_MS);
}

let warmed = false;
/**
 * Loads GitHub's MathJax (about 180 ms, once) right after the first answer — while the user reads the document
 * just opened — rather than in the first pause of typing, where it would hold up the next keystroke's lint.
 */
function warmMathjax(): void {
  if (warmed) return;
  warmed = true;
  setImmediate(() => {
    validateGithub('x', false).catch(() => undefined); // a failure shows up again, with its message, in the pass
  });
}

/** Validates the formulas GitHub's MathJax has not judged yet; sends the findings again if that changed them. */
async function mathjaxPass(req: LintRequest, linter: IncrementalLinter, findings: Finding[]): Promise<void> {
  const superseded = (): boolean => latest.get(req.key) !== req.id;
  if (superseded()) return;
  // Yield between formulas so that a newer request (a keystroke) is seen promptly.
  const pause = (): Promise<void> => new Promise((r) => setImmediate(r));
  const fresh = await validateFormulas(linter.formulas(), superseded, pause);
  // Checked right before the (synchronous) re-lint: a newer request may have used the linter meanwhile.
  if (fresh === 0 || superseded()) return;
  const t1 = performance.now();
  // Only the rules that read verdicts run again, on the chunks with newly judged formulas.
  const { findings: full, stats: fullStats } = linter.lint(req.text, req.config);
  // Only a real change is sent: republishing identical diagnostics would make the editor redo its work (and
  // cancel code-action requests in flight) for nothing.
  if (sameFindings(findings, full)) return;
  post({ type: 'findings', id: req.id, phase: 'mathjax', findings: full, lintMs: performance.now() - t1, queuedMs: 0, stats: fullStats });
}

parentPort?.on('message', (req: LintRequest) => {
  const arrived = performance.now();
  latest.set(req.key, req.id);
  queue = queue
    // A macrotask turn first, so that messages already waiting (newer versions) are registered before we start.
    .then(() => new Promise<void>((r) => setImmediate(r)))
    .then(() => handle(req, arrived))
    .catch((e: unknown) => post({ type: 'failed', id: req.id, message: e instanceof Error ? e.message : String(e) }));
});
