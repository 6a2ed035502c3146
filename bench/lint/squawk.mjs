#!/usr/bin/env node
// Runs squawk (squawk-cli 2.66.0 from bench/node_modules) on the measured lint
// cases and scores it (bench/lint/score.mjs); optionally counts and times its
// findings on real migration histories.
//
// Usage: node bench/lint/squawk.mjs [--holdout | --labels <labels.json>] [realworld-folder]
//   --holdout: score the held-out cases (test/lint-cases/holdout-labels.json)
//   instead of the in-sample ones; --labels: any labels file.
//   realworld-folder: a folder of project folders of *.sql files (for example
//   /work/shared/corpus/realworld); read in place, never copied.
//
// Fairness: squawk does not know pgshift's file format, so each case is fed
// twice: the file as a whole (header comments, UP and DOWN) and only its UP part
// (every other line blanked, so line numbers stay the file's). Cases that run
// in a transaction get --assume-in-transaction (pgshift wraps them in one),
// `-- pgshift:no-transaction` cases do not; --pg-version is the measured major.
//
// Rule sets: "defaults" (squawk as installed), "all" (every rule, opt-in ones
// included via --include), and "no timeout/style" (all, minus SET_ASIDE: the
// timeout rules fire on nearly every DDL statement, the style rules judge
// schema taste or re-runnability, not locking or breakage).
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { fmt, holdoutLabelsPath, loadLabels, score } from './score.mjs';

/** squawk rule → label family; null = no family (style or correctness rules). */
export const RULE_FAMILY = {
  'adding-field-with-default': 'rewrite', // volatile default / stored generated column
  'changing-column-type': 'rewrite',
  'prefer-repack': 'rewrite', // VACUUM FULL / CLUSTER
  'adding-foreign-key-constraint': 'scan-under-lock',
  'adding-not-nullable-field': 'scan-under-lock', // SET NOT NULL
  'constraint-missing-not-valid': 'scan-under-lock',
  'ban-alter-domain-with-add-constraint': 'scan-under-lock',
  'ban-create-domain-with-constraint': 'scan-under-lock',
  'require-concurrent-partition-detach': 'scan-under-lock',
  'adding-serial-primary-key-field': 'index-not-concurrent', // ADD PRIMARY KEY builds an index
  'disallowed-unique-constraint': 'index-not-concurrent',
  'require-concurrent-index-creation': 'index-not-concurrent',
  'require-concurrent-index-deletion': 'index-not-concurrent',
  'require-concurrent-reindex': 'index-not-concurrent',
  'ban-drop-column': 'destructive',
  'ban-drop-table': 'destructive',
  'ban-drop-database': 'destructive',
  'ban-drop-not-null': 'destructive',
  'ban-truncate-cascade': 'destructive',
  'renaming-column': 'destructive',
  'renaming-table': 'destructive',
  'require-lock-timeout': 'no-lock-timeout',
  'require-statement-timeout': 'no-lock-timeout', // a statement_timeout also bounds the lock wait
  'adding-required-field': null, // NOT NULL without default: fails on a filled table
  'ban-concurrent-index-creation-in-transaction': null, // fails, does not lock
  'transaction-nesting': null,
  'ban-uncommitted-transaction': null,
  'ban-duplicate-column-assignments': null,
  'prefer-robust-stmts': null,
  'prefer-bigint-over-int': null,
  'prefer-bigint-over-smallint': null,
  'prefer-identity': null,
  'prefer-text-field': null,
  'prefer-timestamptz': null, // reported as prefer-timestamp-tz
  'prefer-timestamp-tz': null,
  'ban-char-field': null,
  'require-table-schema': null,
  'identifier-too-long': null,
  'require-enum-value-ordering': null,
};
const TIMEOUT_RULES = ['require-lock-timeout', 'require-statement-timeout'];
const STYLE_RULES = [
  'prefer-robust-stmts',
  'prefer-bigint-over-int',
  'prefer-bigint-over-smallint',
  'prefer-identity',
  'prefer-text-field',
  'prefer-timestamptz',
  'ban-char-field',
  'require-table-schema',
  'identifier-too-long',
  'require-enum-value-ordering',
];
export const SET_ASIDE = [...TIMEOUT_RULES, ...STYLE_RULES];
const RULE_SETS = {
  defaults: [],
  all: [`--include=${Object.keys(RULE_FAMILY).join(',')}`],
  'no timeout/style': [`--include=${Object.keys(RULE_FAMILY).join(',')}`, `--exclude=${SET_ASIDE.join(',')}`],
};

const require = createRequire(import.meta.url);
export function squawkBinary() {
  // squawk-cli's own launcher (js/index.js) spawns this file; no install script is needed.
  return require.resolve(`@squawk-cli/${process.platform}-${process.arch}/bin/squawk${process.platform === 'win32' ? '.exe' : ''}`);
}

/** Runs squawk once on files; returns its findings (lines made 1-based) and the wall time. */
export function runSquawk(files, flags) {
  if (files.length === 0) return { findings: [], ms: 0 };
  const start = performance.now();
  const r = spawnSync(squawkBinary(), ['--reporter=json', ...flags, ...files], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const ms = performance.now() - start;
  if (r.error || (r.status !== 0 && r.status !== 1)) throw new Error(`squawk failed (${r.status}): ${r.error?.message ?? r.stderr}`);
  const findings = JSON.parse(r.stdout || '[]').map((v) => ({
    file: v.file,
    line: v.line + 1,
    rule: v.rule_name,
    family: RULE_FAMILY[v.rule_name] ?? null,
  }));
  return { findings, ms };
}

const work = fileURLToPath(new URL('../.work/lint/', import.meta.url));
const casesDir = fileURLToPath(new URL('../../test/lint-cases/', import.meta.url));
const isNoTransaction = (text) => /^--\s*pgshift:no-transaction\s*$/m.test(text.split(/^--\s*UP\s*$/m)[0]);

function writeInputs(labels) {
  rmSync(work, { recursive: true, force: true });
  const inputs = { whole: { tx: [], none: [] }, 'UP only': { tx: [], none: [] } };
  for (const c of labels.cases) {
    const text = readFileSync(join(labels.dir ?? casesDir, c.file), 'utf8');
    const contents = { whole: text, 'UP only': upOnly(text) };
    for (const [input, content] of Object.entries(contents)) {
      const dir = join(work, input === 'whole' ? 'whole' : 'up');
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, basename(c.file)), content);
      inputs[input][c.transaction ? 'tx' : 'none'].push(join(dir, basename(c.file)));
    }
  }
  return inputs;
}

function lintGroup(group, flags, pgVersion) {
  const common = [`--pg-version=${pgVersion}`, ...flags];
  const a = runSquawk(group.tx, [...common, '--assume-in-transaction']);
  const b = runSquawk(group.none, common);
  return { findings: [...a.findings, ...b.findings], ms: a.ms + b.ms };
}

function scoreCases(labels) {
  const inputs = writeInputs(labels);
  const rows = [];
  for (const [ruleSet, flags] of Object.entries(RULE_SETS)) {
    for (const [input, group] of Object.entries(inputs)) {
      const { findings } = lintGroup(group, flags, labels.postgres);
      rows.push({ ruleSet, input, findings, result: score(findings, labels) });
    }
  }
  return rows;
}

function printCaseResults(rows, labels) {
  const hazardous = labels.cases.filter((c) => c.label !== 'safe').length;
  console.log(
    `squawk 2.66.0 on ${labels.cases.length} measured cases (${hazardous} hazardous, ${labels.cases.length - hazardous} safe; PostgreSQL ${labels.postgres} labels)\n`,
  );
  console.log(
    '| rules | input | findings | precision (family / any) | recall (family / any) | F1 (family / any) | FP rate on safe cases |',
  );
  console.log('|---|---|---:|---:|---:|---:|---:|');
  for (const { ruleSet, input, result: r } of rows) {
    console.log(
      `| ${ruleSet} | ${input} | ${r.findings} | ${fmt(r.family.precision)} / ${fmt(r.any.precision)} | ${fmt(r.family.recall)} / ${fmt(r.any.recall)} | ${fmt(r.family.f1)} / ${fmt(r.any.f1)} | ${fmt(r.falsePositiveRate)} (${r.flaggedSafeCases}/${r.safeCases}) |`,
    );
  }
  console.log('\nRecall by family, UP only (cases recalled with the right family / with any finding):\n');
  const upRows = rows.filter((r) => r.input === 'UP only');
  console.log(`| family | cases | ${upRows.map((r) => r.ruleSet).join(' | ')} |`);
  console.log(`|---|---:|${upRows.map(() => '---:').join('|')}|`);
  for (const [family, { cases }] of Object.entries(rows[0].result.recallByFamily)) {
    const cells = upRows.map((r) => `${r.result.recallByFamily[family].family} / ${r.result.recallByFamily[family].any}`);
    console.log(`| ${family} | ${cases} | ${cells.join(' | ')} |`);
  }
  const all = rows.find((r) => r.ruleSet === 'all' && r.input === 'UP only');
  console.log('\nFindings per rule (all rules, UP only):', top(all.findings, Infinity));
}

/** The UP part of a pgshift file with every other line blanked (a file without markers is all UP). */
function upOnly(text) {
  const lines = text.split('\n');
  const up = lines.findIndex((l) => /^\s*--\s*up\s*$/i.test(l));
  const down = lines.findIndex((l) => /^\s*--\s*down\s*$/i.test(l));
  if (up === -1 && down === -1) return text;
  return lines.map((l, i) => (i > up && (down === -1 || i < down) ? l : '')).join('\n');
}

const top = (findings, n) => {
  const byRule = {};
  for (const f of findings) byRule[f.rule] = (byRule[f.rule] ?? 0) + 1;
  const sorted = Object.entries(byRule).sort((a, b) => b[1] - a[1]);
  return sorted
    .slice(0, n)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
};

// Other projects' files are read where they are; their UP-only copies go to a
// temporary folder outside the repository and are removed afterwards.
function lintCorpus(folder, pgVersion) {
  const projects = readdirSync(folder).filter((d) => statSync(join(folder, d)).isDirectory());
  projects.sort();
  const tmp = mkdtempSync(join(tmpdir(), 'pgshift-squawk-'));
  console.log(`\nReal histories in ${folder} (time: median of 5 runs of squawk over the project):\n`);
  console.log('| project | files | input | rules | findings | time (ms) | top rules |\n|---|---:|---|---|---:|---:|---|');
  try {
    for (const project of projects) {
      const files = readdirSync(join(folder, project)).filter((f) => f.endsWith('.sql'));
      const inputs = { whole: { tx: [], none: [] }, 'UP only': { tx: [], none: [] } };
      mkdirSync(join(tmp, project));
      for (const f of files) {
        const text = readFileSync(join(folder, project, f), 'utf8');
        const mode = isNoTransaction(text) ? 'none' : 'tx';
        writeFileSync(join(tmp, project, f), upOnly(text));
        inputs.whole[mode].push(join(folder, project, f));
        inputs['UP only'][mode].push(join(tmp, project, f));
      }
      for (const [input, group] of Object.entries(inputs)) {
        for (const ruleSet of ['all', 'no timeout/style']) {
          const runs = [1, 2, 3, 4, 5].map(() => lintGroup(group, RULE_SETS[ruleSet], pgVersion));
          const ms = runs.map((r) => r.ms).sort((a, b) => a - b)[2];
          const { findings } = runs[0];
          console.log(
            `| ${project} | ${files.length} | ${input} | ${ruleSet} | ${findings.length} | ${ms.toFixed(0)} | ${top(findings, 4)} |`,
          );
        }
      }
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

const isMain = process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1];
if (isMain) {
  const argv = process.argv.slice(2);
  let labelsPath;
  if (argv[0] === '--holdout') labelsPath = holdoutLabelsPath;
  if (argv[0] === '--labels') labelsPath = argv[1];
  const rest = labelsPath ? argv.slice(argv[0] === '--labels' ? 2 : 1) : argv;
  const labels = loadLabels(labelsPath);
  const version = spawnSync(squawkBinary(), ['--version'], { encoding: 'utf8' }).stdout.trim();
  if (version !== 'squawk 2.66.0') console.warn(`warning: expected squawk 2.66.0, found "${version}"`);
  printCaseResults(scoreCases(labels), labels);
  console.log(`\nSet aside in "no timeout/style": timeout ${TIMEOUT_RULES.join(', ')}; style ${STYLE_RULES.join(', ')}`);
  if (rest[0]) lintCorpus(rest[0], labels.postgres);
}
