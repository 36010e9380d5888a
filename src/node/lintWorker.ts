// The lint worker: lints writeups off the extension host's thread. Each request gets the fast findings at once,
// then — after GitHub's MathJax has judged the formulas it had not seen (cached across requests) — a second answer
// when that adds findings. A newer request for the same document abandons the older one's MathJax pass. Each
// document has an incremental linter (src/core/lint/incremental.ts): an edit re-lints only the chunk it touches.
import { parentPort } from 'node:worker_threads';
import { validateFormulas } from '../core/lint/engine';
import { GithubValidator } from '../core/tex/mathjax';
import { IncrementalLinter } from '../core/lint/incremental';
import { carriedFindings, diffFindings, sameFindings } from '../core/lint/findingsDelta';
import type { FindingsPayload, FromLintWorker, LintRequest, ToLintWorker } from './lintProtocol';
import type { Finding } from '../core/types';

const latest = new Map<string, number>();
/** GitHub's MathJax for every document this worker lints (its cache spans documents). */
const validator = new GithubValidator();
/** One incremental linter per document (a code action's direct request shares its document's), most recent last. */
const linters = new Map<string, IncrementalLinter>();
const MAX_LINTERS = 16;

function linterFor(key: string): IncrementalLinter {
  const doc = key.replace(/#direct$/, '');
  let l = linters.get(doc);
  if (l) linters.delete(doc);
  else l = new IncrementalLinter({ verdicts: validator });
  linters.set(doc, l);
  if (linters.size > MAX_LINTERS) linters.delete(linters.keys().next().value as string);
  return l;
}
/** Quiet time after a lint before GitHub's MathJax pass starts. */
const MATHJAX_IDLE_MS = 400;
/** Lint requests run one after the other (the MathJax passes run beside this queue). */
let queue: Promise<void> = Promise.resolve();

function post(m: FromLintWorker): void {
  parentPort?.postMessage(m);
}

/** Per request key: the findings last sent and that message's sequence number (the base of the next delta). */
const sent = new Map<string, { seq: number; findings: Finding[] }>();
let seq = 0;

/** The findings as a delta against what the extension host already has for `key`, or in full. */
function payload(key: string, findings: Finding[]): { seq: number } & FindingsPayload {
  const base = sent.get(key);
  const mine = ++seq;
  sent.set(key, { seq: mine, findings });
  if (!base) return { seq: mine, findings };
  const delta = diffFindings(base.findings, findings);
  // A delta that keeps little is no cheaper than the findings themselves.
  if (carriedFindings(delta) > (findings.length * 3) / 4) return { seq: mine, findings };
  return { seq: mine, delta, baseSeq: base.seq };
}

function handle(req: LintRequest, arrived: number): void {
  if (latest.get(req.key) !== req.id) {
    post({ type: 'superseded', id: req.id }); // a newer version of the document is queued
    return;
  }
  const t0 = performance.now();
  const linter = linterFor(req.key);
  const { findings, stats } = linter.lint(req.text, req.config);
  const lintMs = performance.now() - t0;
  post({ type: 'findings', id: req.id, key: req.key, phase: 'fast', ...payload(req.key, findings), lintMs, queuedMs: t0 - arrived, stats });
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
    validator.validate('x', false).catch(() => undefined); // a failure shows up again, with its message, in the pass
  });
}

/** Validates the formulas GitHub's MathJax has not judged yet; sends the findings again if that changed them. */
async function mathjaxPass(req: LintRequest, linter: IncrementalLinter, findings: Finding[]): Promise<void> {
  const superseded = (): boolean => latest.get(req.key) !== req.id;
  if (superseded()) return;
  // Yield between formulas so that a newer request (a keystroke) is seen promptly.
  const pause = (): Promise<void> => new Promise((r) => setImmediate(r));
  const { verdicts, fresh } = await validateFormulas(validator, linter.formulas(), { isCancelled: superseded, pause });
  // Checked right before the (synchronous) re-lint: a newer request may have used the linter meanwhile.
  if (fresh === 0 || superseded()) return;
  linter.holdVerdicts(verdicts);
  const t1 = performance.now();
  // Only the rules that read verdicts run again, on the chunks with newly judged formulas.
  const { findings: full, stats: fullStats } = linter.lint(req.text, req.config);
  // Only a real change is sent: republishing identical diagnostics would make the editor redo its work (and
  // cancel code-action requests in flight) for nothing.
  if (sameFindings(findings, full)) return;
  const lintMs = performance.now() - t1;
  post({ type: 'findings', id: req.id, key: req.key, phase: 'mathjax', ...payload(req.key, full), lintMs, queuedMs: 0, stats: fullStats });
}

parentPort?.on('message', (req: ToLintWorker) => {
  if (req.type === 'forget') {
    // Queued behind the lints already waiting, so their answers still use the base the host has.
    queue = queue.then(() => {
      sent.delete(req.key);
      if (!req.key.endsWith('#direct')) linters.delete(req.key);
    });
    return;
  }
  const arrived = performance.now();
  latest.set(req.key, req.id);
  queue = queue
    // A macrotask turn first, so that messages already waiting (newer versions) are registered before we start.
    .then(() => new Promise<void>((r) => setImmediate(r)))
    .then(() => handle(req, arrived))
    .catch((e: unknown) => post({ type: 'failed', id: req.id, message: e instanceof Error ? e.message : String(e) }));
});
