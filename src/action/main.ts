// The GitHub Action's entry (action.yml runs `math-writeup-action`, bin/math-writeup-action.js): lints the
// writeups of the checked-out repository (and optionally runs their checks) in-process with the CLI, prints
// workflow-command annotations, writes SARIF when asked, a step summary (findings per file, check verdicts) and
// step outputs, and exits with the CLI's codes (0 clean, 1 findings or failed checks, 2 usage or file problems).
// Inputs come as INPUT_* environment variables (action.yml maps each input), as in GitHub's JavaScript actions.
import fs from 'node:fs';
import path from 'node:path';
import type { CliIO } from '../cli/io';
import { runCli } from '../cli/main';
import { checkAnnotations, lintAnnotations, workflowCommand } from '../cli/format/github';
import type { CheckFileOutcome, LintFileResult } from '../cli/format/types';
import type { CheckResult } from '../core/check/types';
import type { Finding } from '../core/types';

export type Env = Readonly<Record<string, string | undefined>>;

/** An input as GitHub passes it: INPUT_<NAME> with the name upper-cased (spaces as `_`), trimmed. */
export function input(env: Env, name: string, fallback = ''): string {
  return (env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? fallback).trim() || fallback;
}

function boolInput(env: Env, name: string, fallback: boolean): boolean {
  const v = input(env, name, String(fallback)).toLowerCase();
  if (['true', 'yes', '1', 'on'].includes(v)) return true;
  if (['false', 'no', '0', 'off', ''].includes(v)) return false;
  throw new Error(`input "${name}" must be true or false, not "${v}"`);
}

/** Whitespace- or newline-separated list (a YAML block scalar of paths or globs). */
function listInput(env: Env, name: string, fallback: string): string[] {
  return input(env, name, fallback).split(/\s+/).filter(Boolean);
}

/** A table cell: pipes and line breaks would break the Markdown table. */
function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\r?\n|\r/g, ' ');
}

interface Captured {
  code: number;
  out: string;
  err: string;
}

async function cli(argv: string[], cwd: string): Promise<Captured> {
  let out = '';
  let err = '';
  const io: CliIO = { stdout: (s) => (out += s), stderr: (s) => (err += s), cwd, isTTY: false, env: {} };
  const code = await runCli(argv, io);
  return { code, out, err };
}

interface LintJson {
  files: { file: string; findings: Finding[] }[];
  errors: string[];
  summary: { files: number; errors: number; warnings: number; infos: number };
}

interface CheckJsonEntry {
  line: number;
  title: string;
  status: CheckResult['status'];
  message: string;
  elapsedMs: number;
  expectFail: boolean;
  seed: number;
  problems: CheckResult['problems'];
}

type CheckJson = { file: string; checks: CheckJsonEntry[] };

export interface ActionIO {
  stdout(s: string): void;
  stderr(s: string): void;
}

/** Run the action; resolves to the exit code. */
export async function runAction(env: Env, io: ActionIO): Promise<number> {
  const workspace = env.GITHUB_WORKSPACE || process.cwd();
  const files = listInput(env, 'files', '.');
  const common: string[] = [];
  const target = input(env, 'target');
  if (target) common.push('--target', target);
  const config = input(env, 'config');
  if (config) common.push('--config', config);
  for (const p of listInput(env, 'ignore-pattern', '')) common.push('--ignore-pattern', p);
  const maxWarnings = input(env, 'max-warnings');
  const runChecks = boolInput(env, 'checks', false);
  const annotate = boolInput(env, 'annotations', true);
  const sarifFile = input(env, 'sarif-file');

  // Lint: JSON for the annotations and the summary; SARIF in a second pass only when asked.
  const lintArgs = ['lint', ...files, ...common, ...(maxWarnings ? ['--max-warnings', maxWarnings] : [])];
  const lint = await cli([...lintArgs, '--format', 'json'], workspace);
  io.stderr(lint.err);
  if (lint.code === 2 && !lint.out.trim()) return 2;
  const lintJson = JSON.parse(lint.out) as LintJson;
  const lintResults: LintFileResult[] = [
    ...lintJson.files,
    ...lintJson.errors.map((e) => ({ file: '.', error: e, findings: [] })),
  ];
  if (annotate) io.stdout(lintAnnotations(lintResults).map(workflowCommand).join(''));
  if (sarifFile) {
    const sarif = await cli([...lintArgs, '--format', 'sarif'], workspace);
    const dest = path.resolve(workspace, sarifFile);
    fs.mkdirSync(path.dirname(dest), { recursive: true });
    fs.writeFileSync(dest, sarif.out);
    io.stderr(`math-writeup: SARIF written to ${path.relative(workspace, dest) || dest}\n`);
  }

  let checkCode = 0;
  let outcomes: CheckFileOutcome[] = [];
  if (runChecks) {
    const timeLimit = input(env, 'time-limit');
    const check = await cli(['check', ...files, '--format', 'json', ...(timeLimit ? ['--time-limit', timeLimit] : [])], workspace);
    io.stderr(check.err);
    checkCode = check.code;
    if (check.out.trim()) {
      const parsed = JSON.parse(check.out) as CheckJson | CheckJson[];
      outcomes = (Array.isArray(parsed) ? parsed : [parsed]).map((o) => ({
        file: o.file,
        results: o.checks.map((c) => ({ ...c, values: {}, plots: [] })),
      }));
    }
    if (annotate) io.stdout(checkAnnotations(outcomes).map(workflowCommand).join(''));
  }

  const summaryFile = env.GITHUB_STEP_SUMMARY;
  if (summaryFile) fs.appendFileSync(summaryFile, stepSummary(lintJson, runChecks ? outcomes : undefined));
  const outputFile = env.GITHUB_OUTPUT;
  if (outputFile) {
    const all = outcomes.flatMap((o) => o.results);
    const lines = [
      `errors=${lintJson.summary.errors}`,
      `warnings=${lintJson.summary.warnings}`,
      `files=${lintJson.summary.files}`,
      `checks-passed=${all.filter((r) => r.status === 'pass').length}`,
      `checks-failed=${all.filter((r) => r.status !== 'pass').length}`,
      `sarif-file=${sarifFile}`,
    ];
    fs.appendFileSync(outputFile, lines.join('\n') + '\n');
  }
  if (lint.code === 2 || checkCode === 2) return 2;
  return lint.code === 1 || checkCode === 1 ? 1 : 0;
}

/** The step summary in GitHub-flavoured Markdown. */
export function stepSummary(lint: LintJson, outcomes: CheckFileOutcome[] | undefined): string {
  const s = lint.summary;
  let md = '## math-writeup\n\n';
  md += `**Lint:** ${s.files} file${s.files === 1 ? '' : 's'}, ${s.errors} error${s.errors === 1 ? '' : 's'}, ${s.warnings} warning${s.warnings === 1 ? '' : 's'}, ${s.infos} info${s.infos === 1 ? '' : 's'}\n\n`;
  const withFindings = lint.files.filter((f) => f.findings.length > 0);
  if (withFindings.length > 0) {
    md += '| File | Errors | Warnings | Infos | Rules |\n| --- | ---: | ---: | ---: | --- |\n';
    for (const f of withFindings) {
      const n = (sev: string): number => f.findings.filter((x) => x.severity === sev).length;
      const rules = [...new Set(f.findings.map((x) => x.ruleId))].sort().join(', ');
      md += `| \`${cell(f.file)}\` | ${n('error')} | ${n('warning')} | ${n('info')} | ${rules} |\n`;
    }
    md += '\n';
  }
  for (const e of lint.errors) md += `- ${cell(e)}\n`;
  if (outcomes) {
    const all = outcomes.flatMap((o) => o.results);
    const count = (st: string): number => all.filter((r) => r.status === st).length;
    md += `**Checks:** ${all.length} check${all.length === 1 ? '' : 's'}: ${count('pass')} passed, ${count('fail')} failed, ${count('error')} could not run\n\n`;
    if (all.length > 0) {
      md += '| File | Line | Check | Verdict | Details |\n| --- | ---: | --- | --- | --- |\n';
      const icon: Record<string, string> = { pass: '✅ pass', fail: '❌ fail', error: '⚠️ error' };
      for (const o of outcomes) {
        for (const r of o.results) {
          const title = (r.title.trim() || '(untitled check)') + (r.expectFail ? ' (expect: fail)' : '');
          md += `| \`${cell(o.file)}\` | ${r.line + 1} | ${cell(title)} | ${icon[r.status] ?? r.status} | ${cell(r.message)} |\n`;
        }
      }
      md += '\n';
    }
  }
  return md;
}

/** Process entry (bin/math-writeup-action.js). */
export function actionMain(): void {
  runAction(process.env, { stdout: (s) => void process.stdout.write(s), stderr: (s) => void process.stderr.write(s) }).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stdout.write(workflowCommand({ level: 'error', file: '.', title: 'math-writeup', message: e instanceof Error ? e.message : String(e) }));
      process.exitCode = 2;
    },
  );
}
