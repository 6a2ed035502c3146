// Runs the built `pgshift lint` (dist/cli/index.js) on the measured lint
// cases and on real histories.
//
// Each case becomes a migrations directory of two files: 001_setup.sql (the
// case's fixtures and setup SQL, which pgshift reads as the schema already
// deployed) and 002_<case>.sql (the case file as it is, so lines match), and
// `pgshift lint 002_<case>.sql --postgres-version <labels' major> --json` runs
// on it. pgshift knows the schema only from that SQL, as it would from a
// project's earlier migrations; no database is involved.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { FIXTURES, parseCase } from './cases.mjs';

export const cli = fileURLToPath(new URL('../../dist/cli/index.js', import.meta.url));
const casesDir = fileURLToPath(new URL('../../test/lint-cases/', import.meta.url));
const work = fileURLToPath(new URL('../.work/lint-pgshift/', import.meta.url));

/** Runs the CLI; returns its JSON document and the wall time. */
export function runPgshift(args) {
  const start = performance.now();
  const r = spawnSync(process.execPath, [cli, 'lint', '--json', '--no-color', ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const ms = performance.now() - start;
  // 2: a file pgshift refuses to run (its problems say why): it has no findings, and is reported as refused.
  const refused = r.status === 2 && r.stdout.startsWith('{');
  if (r.status !== 0 && r.status !== 1 && !refused) throw new Error(`pgshift lint failed (${r.status}): ${r.stderr || r.stdout}`);
  return { report: JSON.parse(r.stdout), ms };
}

const findingsOf = (report) =>
  report.findings
    .filter((f) => f.lint)
    .map((f) => ({
      file: basename(f.file),
      line: f.line,
      rule: f.lint.rule,
      family: f.lint.family,
      severity: f.severity,
      lines: f.lint.statement_lines,
    }));

/** pgshift's findings on every case (in-sample or held-out labels), with the case file's name and lines. */
export function lintCases(labels) {
  rmSync(work, { recursive: true, force: true });
  const findings = [];
  const refused = [];
  let ms = 0;
  for (const c of labels.cases) {
    const text = readFileSync(join(labels.dir ?? casesDir, c.file), 'utf8');
    const parsed = parseCase(text, c.file);
    const dir = join(work, basename(c.file, '.sql'));
    mkdirSync(dir, { recursive: true });
    const setup = [...parsed.fixtures.map((f) => FIXTURES[f]), ...parsed.setup].join('\n');
    writeFileSync(join(dir, '001_setup.sql'), `-- UP\n${setup}\n`);
    writeFileSync(join(dir, '002_case.sql'), text);
    const run = runPgshift(['--dir', dir, '--postgres-version', String(labels.postgres), '002_case.sql']);
    ms += run.ms;
    for (const f of findingsOf(run.report)) findings.push({ ...f, file: basename(c.file) });
    for (const p of run.report.problems) if (p.severity === 'error') refused.push(`${basename(c.file)} (${p.code}: ${p.message})`);
  }
  rmSync(work, { recursive: true, force: true });
  return { findings, refused, ms };
}

/** pgshift's findings on one project's history, each migration linted as its own deploy. */
export function lintHistory(dir, pgVersion) {
  const run = runPgshift(['--dir', dir, '--postgres-version', String(pgVersion)]);
  return {
    findings: findingsOf(run.report),
    cleared: run.report.cleared.map((c) => ({ ...c, file: basename(c.file) })),
    problems: run.report.problems,
    ms: run.ms,
  };
}
