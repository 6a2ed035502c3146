#!/usr/bin/env node
// Scores verify with its rehearsal on seeded rows on the measured lint cases,
// each run as a pull request: the case's fixtures and setup as the base (the
// schema only: its INSERTs are left out, since a pull request's check knows
// no production rows and seeds its own), the case file as the branch's one
// new migration. A finding (any family, measured-hazard included; the
// no-lock-timeout family set aside, as in the lint's held-out scoring) is
// scored by score.mjs against the case's measured labels.
//
// Usage: DATABASE_URL=postgres://… node bench/lint/verify-rehearsal.mjs [holdout2|holdout|cases] [rows]
// (after `npm run build`; the scratch databases are made and dropped on that server).
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FIXTURES, parseCase } from './cases.mjs';
import { fmt, loadLabels, score, setAside } from './score.mjs';

const { Migrator, memorySource } = await import('../../lib/index.js');
const set = process.argv[2] ?? 'holdout2';
const rows = Number(process.argv[3] ?? 10_000);
const labelsPath = fileURLToPath(new URL(`../../test/lint-cases/${set === 'cases' ? 'labels' : `${set}-labels`}.json`, import.meta.url));
const url = process.env.DATABASE_URL;
if (!url) throw new Error('set DATABASE_URL to a server to make the scratch databases on');

const labels = setAside(loadLabels(labelsPath), 'no-lock-timeout');
const withoutRows = (sql) => sql.replace(/^\s*INSERT INTO[\s\S]*?;[ \t]*$/gim, '');

async function findingsOf(rehearseRows) {
  const findings = [];
  for (const c of labels.cases) {
    const text = readFileSync(join(labels.dir, c.file), 'utf8');
    const parsed = parseCase(text, c.file);
    const setup = withoutRows([...parsed.fixtures.map((f) => FIXTURES[f]), ...parsed.setup].join('\n'));
    const base = { '001_setup.sql': `-- UP\n${setup}\n` };
    const migrator = new Migrator({ source: memorySource({ ...base, '002_case.sql': text }) });
    const report = await migrator.verify({ base: memorySource(base), baseName: 'base', scratchUrl: url, rehearseRows });
    for (const f of report.findings)
      if (f.lint && f.lint.family !== 'no-lock-timeout' && basename(f.file ?? '') === '002_case.sql')
        findings.push({ file: basename(c.file), line: f.line, family: f.lint.family, rule: f.lint.rule });
  }
  return findings;
}

const rowsOf = (name, r) =>
  `| ${name} | ${fmt(r.any.recall)} | ${fmt(r.falsePositiveRate)} | ${r.any.recalledCases}/${r.hazardousCases} | ${r.flaggedSafeCases}/${r.safeCases} |`;
const started = performance.now();
const offFindings = await findingsOf(0);
const onFindings = await findingsOf(rows);
const off = score(offFindings, labels);
const on = score(onFindings, labels);
console.log(
  `verify on ${set} (${labels.cases.length} cases, the lock_timeout advice aside), ${((performance.now() - started) / 1000).toFixed(0)} s\n`,
);
console.log('| verify | recall (any family) | FP rate (safe cases) | hazardous found | safe flagged |\n|---|---:|---:|---:|---:|');
console.log(rowsOf('without rehearsal (--rehearse-rows 0)', off));
console.log(rowsOf(`with rehearsal (--rehearse-rows ${rows})`, on));
// Which cases each way missed or flagged, to read with the labels.
for (const [name, findings] of [
  ['without', offFindings],
  ['with', onFindings],
]) {
  const flagged = new Set(findings.map((f) => f.file));
  const missed = labels.cases.filter(
    (c) =>
      c.label !== 'safe' &&
      !findings.some(
        (f) => f.file === basename(c.file) && c.statements.some((s) => s.hazard !== 'safe' && f.line >= s.line && f.line <= s.endLine),
      ),
  );
  const alarms = labels.cases.filter((c) => c.label === 'safe' && flagged.has(basename(c.file)));
  console.log(
    `\n${name} rehearsal: missed ${missed.map((c) => `${basename(c.file)} (${c.label})`).join(', ') || 'none'}; false alarms ${alarms.map((c) => basename(c.file)).join(', ') || 'none'}`,
  );
}
