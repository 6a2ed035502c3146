import { hintFor, type DriftReport, type MigratorEvent } from '../index.js';
import { CLI_WORDS } from '../frontend/words.js';
import { formatDuration, plural } from '../frontend/format.js';
import { problemLine, type Style } from './output.js';

/** The verdict, each difference in words, the problems, and where and how long the history was replayed. */
export function formatDrift(r: DriftReport, where: string, s: Style): string {
  const server = r.server
    ? `PostgreSQL ${r.server.version} (${r.server.kind === 'private' ? 'a private scratch server' : 'the scratch server given'})`
    : 'no server';
  const out = [`${s.bold('pgshift drift')}  ${where} against its ${plural(r.applied, 'applied migration')}, replayed on ${server}`, ''];
  if (r.differences.length > 0) {
    out.push(`${s.red('✗')} ${plural(r.differences.length, 'difference')} from what the migrations make:`);
    out.push(...r.differences.map((d) => `  - ${d}`));
  } else if (r.ok) {
    out.push(`${s.green('✓')} no drift: the database is as its migrations make it (schemas ${r.schemas.join(', ')})`);
  } else {
    out.push(`${s.red('✗')} the check could not be made`);
  }
  if (r.problems.length > 0) out.push('', 'Problems:', ...r.problems.map((p) => problemLine(p, s)));
  if (r.differences.length > 0) {
    out.push(
      '',
      s.dim(
        'Make each change a migration, undo it by hand, or leave objects managed elsewhere out with "drift": { "exclude": [...] } in pgshift.json.',
      ),
    );
  }
  out.push(
    '',
    s.dim(
      `Read ${formatDuration(r.phases.read)}, server ${formatDuration(r.phases.server)}, replay ${formatDuration(r.phases.replay)}, total ${formatDuration(r.phases.total)}.`,
    ),
  );
  return out.join('\n');
}

/** A skipped drift check's warning says how to enable it: its hint, under the warning line, in the CLI's words. */
export function skippedDriftHint(event: MigratorEvent, s: Style): string | undefined {
  if (event.type !== 'warning' || event.problem.code !== 'DRIFT_CHECK_SKIPPED') return undefined;
  const hint = hintFor(event.problem, CLI_WORDS);
  return hint === undefined ? undefined : `  ${s.dim(`hint: ${hint}`)}`;
}
