// Output for CI: SARIF 2.1.0 (validated against the official schema), GitHub workflow-command annotations, JUnit XML
// of checks, --quiet, --max-warnings, `lint -` with --stdin-filename, colours.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import AjvDraft04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { runCli } from '../../src/cli/main';
import type { CliIO } from '../../src/cli/io';
import { createRegistry, defaultRegistry, type Registry } from '../../src/core/lint/registry';
import { escapeData, escapeProperty, workflowCommand, checkAnnotations } from '../../src/cli/format/github';
import { checkJunit, xmlEscape } from '../../src/cli/format/junit';
import { colorEnabled } from '../../src/cli/format/color';
import { DOCS_BASE_URL } from '../../src/cli/format/sarif';
import type { CheckResult } from '../../src/core/check/types';
import { applyEdits } from '../../src/core/lint/edits';
import { dollarSpaceRule, todoRule } from './lint-test-rules';
import { GD_CHECK_LINES } from './cli-fixtures';

const repo = path.resolve(__dirname, '..', '..', '..');
const testRegistry = createRegistry([todoRule, dollarSpaceRule]);

interface Run {
  code: number;
  out: string;
  err: string;
}

async function cli(
  argv: string[],
  cwd: string,
  opts: { stdin?: string; registry?: Registry; isTTY?: boolean; env?: Record<string, string> } = {},
): Promise<Run> {
  let out = '';
  let err = '';
  const io: CliIO = { stdout: (s) => (out += s), stderr: (s) => (err += s), cwd, isTTY: opts.isTTY, env: opts.env };
  const code = await runCli(argv, io, () => Promise.resolve(opts.stdin ?? ''), { registry: opts.registry ?? testRegistry });
  return { code, out, err };
}

/** The official SARIF 2.1.0 schema (OASIS final, "rtm.5"), as shipped in Microsoft's SARIF test matchers. */
function sarifValidator(): (data: unknown) => string[] {
  const schemaFile = require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');
  const schema = JSON.parse(fs.readFileSync(schemaFile, 'utf8')) as { id?: string };
  const ajv = new AjvDraft04({ allErrors: true, strict: false, unicodeRegExp: false }) // the schema's `language` pattern is not a valid unicode regexp;
  addFormats(ajv); // uri, uri-reference, date-time are checked too
  const validate = ajv.compile(schema);
  return (data) => (validate(data) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`));
}

const mkResult = (o: Partial<CheckResult>): CheckResult => ({
  line: 0,
  title: '',
  status: 'pass',
  message: '',
  values: {},
  elapsedMs: 12,
  expectFail: false,
  seed: 1,
  problems: [],
  plots: [],
  ...o,
});

describe('CLI output for CI', function () {
  this.timeout(120000);
  let dir: string;
  const write = (rel: string, content: string): void => {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), content);
  };
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mw-fmt-'));
    fs.mkdirSync(path.join(dir, '.git'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  describe('--format sarif', () => {
    it('validates against the SARIF 2.1.0 schema, with rule metadata, help URIs and fixes that repair the file', async () => {
      const text = '# HW\n\nThe adjoint $A^*$ and $v^*$ and $ w $.\n\n$$\n\\frac{1}{2\n$$\n';
      write('hw 1/a.md', text);
      write('b.md', 'clean $x$\n');
      const r = await cli(['lint', 'hw 1', 'b.md', 'missing.md', '--format', 'sarif'], dir, { registry: defaultRegistry() });
      assert.equal(r.code, 2, r.err); // missing.md is a file problem
      const log = JSON.parse(r.out) as {
        version: string;
        runs: {
          tool: { driver: { rules: { id: string; helpUri: string; name: string }[] } };
          results: {
            ruleId: string;
            ruleIndex: number;
            level: string;
            locations: { physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string }; region: { startLine: number } } }[];
            fixes?: {
              artifactChanges: {
                replacements: {
                  deletedRegion: { startLine: number; startColumn: number; endLine: number; endColumn: number };
                  insertedContent: { text: string };
                }[];
              }[];
            }[];
          }[];
        }[];
      };
      assert.deepEqual(sarifValidator()(log), []);
      assert.equal(log.version, '2.1.0');
      const run = log.runs[0];
      const rules = run.tool.driver.rules;
      assert.deepEqual(
        rules.map((x) => x.id),
        defaultRegistry()
          .list()
          .map((x) => x.id),
      );
      for (const rule of rules) {
        assert.equal(rule.helpUri, `${DOCS_BASE_URL}docs/rules/${rule.id}.md`);
        assert.ok(fs.existsSync(path.join(repo, 'docs/rules', `${rule.id}.md`)), rule.id);
      }
      assert.ok(run.results.length >= 3);
      for (const res of run.results) {
        assert.equal(rules[res.ruleIndex].id, res.ruleId);
        assert.equal(res.locations[0].physicalLocation.artifactLocation.uri, 'hw%201/a.md');
        assert.equal(res.locations[0].physicalLocation.artifactLocation.uriBaseId, '%SRCROOT%');
      }
      assert.ok(run.results.some((x) => x.level === 'error' && x.locations[0].physicalLocation.region.startLine === 6));
      // Applying every result's first fix (converted back from line/column) gives a text without those findings.
      const withFix = run.results.filter((x) => x.fixes && x.fixes.length > 0);
      assert.ok(withFix.length > 0, 'some finding carries a fix');
      const lines = text.split('\n');
      const offset = (line: number, col: number): number =>
        lines.slice(0, line - 1).reduce((s, l) => s + l.length + 1, 0) + col - 1;
      const edits = withFix.flatMap((x) =>
        x.fixes![0].artifactChanges[0].replacements.map((rep) => ({
          start: offset(rep.deletedRegion.startLine, rep.deletedRegion.startColumn),
          end: offset(rep.deletedRegion.endLine, rep.deletedRegion.endColumn),
          newText: rep.insertedContent.text,
        })),
      );
      const fixed = applyEdits(text, edits);
      write('fixed.md', fixed);
      const again = await cli(['lint', 'fixed.md', '--format', 'sarif'], dir, { registry: defaultRegistry() });
      const left = (JSON.parse(again.out) as typeof log).runs[0].results.map((x) => x.ruleId);
      for (const res of withFix) assert.ok(!left.includes(res.ruleId) || res.ruleId === 'MW053', `${res.ruleId} fixed`);
    });

    it('help URIs point into the repository named in package.json', () => {
      const pkg = JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8')) as { repository: { url: string } };
      assert.equal(DOCS_BASE_URL, `${pkg.repository.url.replace(/\.git$/, '')}/blob/main/`);
    });

    it('an empty run (no findings) is valid SARIF too', async () => {
      write('ok.md', 'fine\n');
      const r = await cli(['lint', 'ok.md', '--format=sarif'], dir);
      assert.equal(r.code, 0);
      assert.deepEqual(sarifValidator()(JSON.parse(r.out)), []);
    });
  });

  describe('--format github', () => {
    it('escapes %, CR and LF in messages and also : and , in properties', () => {
      assert.equal(escapeData('50% a\r\nb'), '50%25 a%0D%0Ab');
      assert.equal(escapeProperty('a:b,c%\n'), 'a%3Ab%2Cc%25%0A');
      assert.equal(
        workflowCommand({ level: 'warning', file: 'dir,x/a:b.md', line: 2, col: 3, endLine: 2, endColumn: 5, title: 'MW1 t, x', message: 'm: 1,2\n%' }),
        '::warning file=dir%2Cx/a%3Ab.md,line=2,endLine=2,col=3,endColumn=5,title=MW1 t%2C x::m: 1,2%0A%25\n',
      );
    });

    it('prints one annotation per finding with the rule as title; info becomes notice', async () => {
      write('a.md', 'TODO $ x$\n');
      const r = await cli(['lint', 'a.md', '--format', 'github'], dir);
      assert.equal(r.code, 1);
      assert.equal(
        r.out,
        '::warning file=a.md,line=1,endLine=1,col=1,endColumn=5,title=MW901 no-todo::TODO left in the text\n' +
          '::error file=a.md,line=1,endLine=1,col=6,endColumn=8,title=MW902 dollar-space::space after $\n',
      );
    });

    it('annotates failed and erring checks at their block, with their problems', () => {
      const anns = checkAnnotations([
        {
          file: 'hw.md',
          results: [
            mkResult({ line: 4, title: 'ok', status: 'pass' }),
            mkResult({ line: 9, title: 'claim, wrong', status: 'fail', message: 'at η = 0.6: diverges' }),
            mkResult({
              line: 20,
              status: 'error',
              message: 'unknown key',
              problems: [{ message: 'unknown key `for`', range: { start: { line: 22, character: 0 }, end: { line: 22, character: 3 } } }],
            }),
          ],
        },
      ]);
      assert.equal(
        anns.map(workflowCommand).join(''),
        '::error file=hw.md,line=10,title=check fail%3A claim%2C wrong::at η = 0.6: diverges\n' +
          '::error file=hw.md,line=21,title=check error%3A (untitled check)::unknown key\n' +
          '::error file=hw.md,line=23,col=1,title=check%3A (untitled check)::unknown key `for`\n',
      );
    });
  });

  describe('check --format junit', () => {
    it('writes one testcase per check block: failure for fail, error for error, XML-escaped', () => {
      const xml = checkJunit([
        {
          file: 'a&b.md',
          results: [
            mkResult({ line: 2, title: 'x < 1 & "y"', status: 'pass', elapsedMs: 1500 }),
            mkResult({ line: 8, title: 'refuted', status: 'fail', message: 'counterexample x=2\u0001' }),
            mkResult({ line: 12, title: 'broken', status: 'error', message: 'unknown key', expectFail: true }),
          ],
        },
        { file: 'c.md', results: [] },
      ]);
      assert.match(xml, /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<testsuites name="math-writeup check" tests="3" failures="1" errors="1"/);
      assert.equal((xml.match(/<testcase /g) ?? []).length, 3);
      assert.match(xml, /<testsuite name="a&amp;b\.md" tests="3" failures="1" errors="1" skipped="0" time="1\.524">/);
      assert.match(xml, /<testcase name="x &lt; 1 &amp; &quot;y&quot;" classname="a&amp;b\.md" file="a&amp;b\.md" line="3" time="1\.500">/);
      assert.match(xml, /<failure message="counterexample x=2\uFFFD" type="fail">/);
      assert.match(xml, /<testcase name="broken \[expect: fail\]"[^>]*>\n\s*<error message="unknown key" type="error">/);
      assert.match(xml, /<testsuite name="c\.md" tests="0"/);
      assert.equal(xmlEscape("<'>"), '&lt;&apos;&gt;');
    });

    it('math-writeup check --format junit runs the real checks', async () => {
      write(
        'gd.md',
        [
          ...GD_CHECK_LINES,
          '',
          '```check',
          'title: wrong',
          'given: x = 2',
          'claim: x^2 = 5',
          '```',
          '',
        ].join('\n'),
      );
      const r = await cli(['check', 'gd.md', '--format', 'junit'], dir);
      assert.equal(r.code, 1, r.err);
      assert.match(r.out, /<testsuite name="gd\.md" tests="2" failures="1" errors="0"/);
      assert.match(r.out, /<testcase name="GD on σw = y converges iff η &lt; 1\/σ²" classname="gd\.md" file="gd\.md" line="1" time="[\d.]+">\n\s*<system-out>/);
      assert.match(r.out, /<testcase name="wrong"[^>]*line="9"[^>]*>\n\s*<failure /);
    });
  });

  describe('--quiet, --max-warnings, stdin, colours', () => {
    it('--quiet prints errors only; --max-warnings N fails on more than N warnings', async () => {
      write('a.md', 'TODO TODO $ x$\n');
      const q = await cli(['lint', 'a.md', '--quiet'], dir);
      assert.equal(q.out, 'a.md:1:11 error MW902 space after $\n');
      assert.equal(q.code, 1);
      write('w.md', 'TODO TODO\n');
      assert.equal((await cli(['lint', 'w.md', '--max-warnings', '2'], dir)).code, 0);
      const over = await cli(['lint', 'w.md', '--max-warnings=1'], dir);
      assert.equal(over.code, 1);
      assert.match(over.err, /too many warnings \(more than 1\)/);
      assert.equal((await cli(['lint', 'w.md', '--max-warnings', '-1'], dir)).code, 2);
    });

    it('lint - reads standard input; --stdin-filename names it and finds its configuration', async () => {
      write('sub/.math-writeup.json', '{ "rules": { "no-todo": "error" } }\n');
      const r = await cli(['lint', '-', '--stdin-filename', 'sub/x.md'], dir, { stdin: '\ufeffTODO\n' });
      assert.equal(r.out, 'sub/x.md:1:1 error MW901 TODO left in the text\n');
      assert.equal(r.code, 1);
      const plain = await cli(['lint', '-'], dir, { stdin: 'TODO\n' });
      assert.equal(plain.out, '<stdin>:1:1 warning MW901 TODO left in the text\n');
      assert.equal((await cli(['lint', '-', 'a.md'], dir)).code, 2);
      assert.equal((await cli(['lint', '-', '--fix'], dir)).code, 2);
    });

    it('colours on a terminal unless NO_COLOR or --no-color; --color forces them', async () => {
      write('a.md', 'TODO\n');
      const tty = await cli(['lint', 'a.md'], dir, { isTTY: true });
      assert.equal(tty.out, '\u001b[2ma.md:1:1\u001b[22m \u001b[33mwarning\u001b[39m \u001b[2mMW901\u001b[22m TODO left in the text\n');
      assert.equal((await cli(['lint', 'a.md'], dir, { isTTY: true, env: { NO_COLOR: '1' } })).out, 'a.md:1:1 warning MW901 TODO left in the text\n');
      assert.equal((await cli(['lint', 'a.md', '--no-color'], dir, { isTTY: true })).out, 'a.md:1:1 warning MW901 TODO left in the text\n');
      assert.match((await cli(['lint', 'a.md', '--color'], dir)).out, /\[33mwarning/);
      assert.equal(colorEnabled({ flagColor: false, flagNoColor: false, isTTY: true, env: { NO_COLOR: '' } }), true);
    });
  });
});
