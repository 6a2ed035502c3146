import type { RepairReport, VerifiedMigration, VerifyReport } from '../index.js';
import { formatDuration, plural } from '../frontend/format.js';
import { describeChanges } from '../frontend/verify.js';
import { errorsOf } from '../frontend/problems.js';
import { lintCount } from '../frontend/problems.js';
import { findingText, problemLine, sortedFindings, type Style } from './output.js';
import { rehearsalLines, rehearsalTitle, type Rehearsal } from '../frontend/rehearsal.js';
import { fleetImpactLine, unansweredLines, type FleetImpact } from '../frontend/fleet-impact.js';

/** `DOWN restores`, `DOWN fails`, `UP again differs`...: one step of the proof. */
function step(name: string, result: Exclude<VerifiedMigration['down'], 'none'>, ok: string, differs: string, s: Style): string {
  if (result === 'ok') return `${name} ${ok}`;
  if (result === 'not-run') return s.dim(`${name} not run`);
  return s.red(`${name} ${result === 'differs' ? differs : 'fails'}`);
}

/** `✓ migrations/005_x.sql  UP 4 ms · DOWN restores · UP again matches` */
function migrationLine(m: VerifiedMigration, s: Style): string {
  if (m.up === 'not-run') return `  ${s.dim('·')} ${m.file}  ${s.dim('not run: an earlier migration failed')}`;
  if (m.up === 'failed') return `  ${s.red('✗')} ${m.file}  ${s.red('UP fails')}`;
  const steps = [`UP ${formatDuration(m.upMs ?? 0)}`];
  if (m.down === 'none') steps.push(s.yellow('no DOWN'));
  else steps.push(step('DOWN', m.down, 'restores', 'does not restore', s));
  if (m.reup !== 'none') steps.push(step('UP again', m.reup, 'matches', 'differs', s));
  const good = m.down !== 'differs' && m.down !== 'failed' && m.reup !== 'differs' && m.reup !== 'failed';
  return `  ${good ? s.green('✓') : s.red('✗')} ${m.file}  ${s.dim(steps.join(' · '))}`;
}

/** `1 problem and 2 lint errors`: counted as --json lists them, problems and lint findings apart. */
function failures(r: VerifyReport): string {
  const problems = errorsOf(r.problems).length;
  const lint = errorsOf(r.findings).length;
  const parts = [problems > 0 ? plural(problems, 'problem') : '', lint > 0 ? plural(lint, 'lint error') : ''].filter(Boolean);
  return parts.join(' and ') || 'see above';
}

/** The verdict first, then each new migration, the problems, the schema diff, and the time. */
export function formatVerify(r: VerifyReport, s: Style): string {
  const where = r.server
    ? `PostgreSQL ${r.server.version} (${r.server.kind === 'private' ? 'a private scratch server' : 'the scratch server given'})`
    : 'no server';
  const count = plural(r.migrations.length, 'new migration');
  const verdict = r.ok
    ? r.migrations.length === 0
      ? `${s.green('✓')} no new migrations; the history matches ${r.base}`
      : r.migrations.length === 1
        ? `${s.green('✓')} ${count} applies on ${r.base}'s schema, rolls back exactly and applies again`
        : `${s.green('✓')} ${count} apply on ${r.base}'s schema, roll back exactly and apply again`
    : `${s.red('✗')} the check fails: ${failures(r)}`;
  const out = [`${s.bold('pgshift verify')}  ${count} against ${r.base} (${plural(r.baseMigrations, 'migration')} there), on ${where}`, ''];
  out.push(...r.migrations.map((m) => migrationLine(m, s)));
  if (r.problems.length > 0) out.push('', 'Problems:', ...r.problems.map((p) => problemLine(p, s)));
  if (r.findings.length > 0) {
    out.push('', `Lint (${lintCount(r.findings)}):`);
    for (const f of sortedFindings(r.findings)) out.push('', findingText(f, s));
  }
  if (r.rehearsal) out.push(...rehearsalText(r.rehearsal, s));
  if (r.fleet) out.push(...fleetText(r.fleet, s));
  const diff = describeChanges(r.schemaChanges);
  if (diff.length > 0) out.push('', `Schema changes from ${r.base}:`, ...diff.map((line) => `  ${line}`));
  const t = r.phases;
  out.push(
    '',
    verdict,
    s.dim(
      `  (files ${formatDuration(t.read)}, server ${formatDuration(t.server)}, base ${formatDuration(t.base)}, new migrations ${formatDuration(t.migrations)}; ${formatDuration(t.total)} in all)`,
    ),
  );
  return out.join('\n');
}

/** The fleet line, then why each target that did not answer did not. */
function fleetText(f: FleetImpact, s: Style): string[] {
  const plain = { name: (x: string) => x, text: (x: string) => x };
  const silent = unansweredLines(f);
  return [
    '',
    `${s.bold('Fleet')}: ${fleetImpactLine(f, plain)}`,
    ...silent.slice(0, 20).map((line) => `  ${s.dim(line)}`),
    ...(silent.length > 20 ? [`  ${s.dim(`… and ${silent.length - 20} more`)}`] : []),
    ...f.problems.map((p) => problemLine(p, s)),
  ];
}

const MARKS = { hazard: '✗', safe: '✓', skipped: '·', 'not-seeded': '·', cleared: '✓' } as const;

/** Per statement, what the rehearsal measured; the tables not seeded; the findings it cleared. */
function rehearsalText(r: Rehearsal, s: Style): string[] {
  const lines = rehearsalLines(r);
  if (lines.length === 0) return [];
  const mark = (kind: keyof typeof MARKS) =>
    (kind === 'hazard' ? s.red : kind === 'skipped' || kind === 'not-seeded' ? s.dim : s.green)(MARKS[kind]);
  return ['', `${rehearsalTitle(r)}:`, ...lines.map((l) => `  ${mark(l.kind)} ${l.at}  ${l.kind === 'hazard' ? l.text : s.dim(l.text)}`)];
}

/** What repair recorded (or would), with what differed, and what it refused. */
export function formatRepair(r: RepairReport, where: string, s: Style): string {
  const out = [`${s.bold('pgshift repair')}  on ${where}`, ''];
  for (const x of r.repaired) {
    const why =
      x.reason === 'no-checksum'
        ? 'no checksum was recorded (pycopg)'
        : x.reason === 'down'
          ? 'only its DOWN part changed since it was applied, and DOWN has not run'
          : 'only comments or white space changed since it was applied';
    out.push(`  ${s.green('✓')} ${x.file}  ${s.dim(why)}`, ...x.diff.map((line) => `      ${s.dim(line)}`));
  }
  if (r.problems.length > 0) out.push('', 'Refused:', ...r.problems.map((p) => problemLine(p, s)));
  const n = plural(r.repaired.length, 'checksum');
  out.push(
    '',
    r.problems.length > 0
      ? s.red('Nothing recorded: fix what is refused above first.')
      : r.repaired.length === 0
        ? 'Nothing to repair: every applied file matches its checksum.'
        : r.dryRun
          ? `Dry run: ${n} would be recorded.`
          : `Recorded ${n}.`,
  );
  return out.join('\n');
}
