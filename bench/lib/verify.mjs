// The verify scenario: the pull request check as a user's CI runs it. A git
// repository whose main has 200 migrations (a table, an index, a foreign key
// and a comment each), and a branch adding 5 with DOWN parts; `pgshift
// verify --base main` whole process, private scratch server start included,
// without the rehearsal on seeded rows (`--rehearse-rows 0`) and with its
// default.
// Also a schema snapshot of those 200 tables alone, and `pgshift migrate` of
// the same 200 files, which the base replay must not be slower than.
import { execFileSync } from 'node:child_process';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { runTimed } from './measure.mjs';
import { median } from './stats.mjs';

const BASE = 200;
const NEW = 5;
const pad = (n) => String(n).padStart(3, '0');

function baseMigration(i) {
  const ref = i > 1 ? `,\n  t${i - 1}_id bigint REFERENCES t${i - 1} (id)` : '';
  return `-- UP
CREATE TABLE t${i} (
  id bigint PRIMARY KEY,
  name text NOT NULL,
  n integer DEFAULT 0,
  created timestamptz NOT NULL DEFAULT now()${ref}
);
CREATE INDEX t${i}_name ON t${i} (name);
COMMENT ON TABLE t${i} IS 'table ${i}';
-- DOWN
DROP TABLE t${i};
`;
}

function newMigration(i) {
  const t = `t${i - BASE}`;
  // A pull request that passes the check: a lock_timeout, and the index build on a small table accepted.
  return `-- UP
SET lock_timeout = '5s';
ALTER TABLE ${t} ADD COLUMN extra${i} text;
-- pgshift:safe create-index the table is small
CREATE INDEX ${t}_extra${i} ON ${t} (extra${i});
-- DOWN
DROP INDEX ${t}_extra${i};
ALTER TABLE ${t} DROP COLUMN extra${i};
`;
}

const git = (cwd, ...args) =>
  execFileSync('git', args, {
    cwd,
    env: { PATH: process.env.PATH, HOME: cwd, GIT_CONFIG_NOSYSTEM: '1', GIT_AUTHOR_NAME: 'bench', GIT_AUTHOR_EMAIL: 'b@example.com', GIT_COMMITTER_NAME: 'bench', GIT_COMMITTER_EMAIL: 'b@example.com' },
    stdio: 'ignore',
  });

async function makeRepository(dir) {
  await rm(dir, { recursive: true, force: true });
  await mkdir(join(dir, 'migrations'), { recursive: true });
  git(dir, 'init', '-q', '-b', 'main');
  for (let i = 1; i <= BASE; i++) await writeFile(join(dir, 'migrations', `${pad(i)}_t${i}.sql`), baseMigration(i));
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'base');
  git(dir, 'checkout', '-q', '-b', 'feature');
  for (let i = BASE + 1; i <= BASE + NEW; i++) await writeFile(join(dir, 'migrations', `${pad(i)}_extra${i}.sql`), newMigration(i));
}

/**
 * Runs the scenario `rounds` times. Returns the samples: whole-process
 * milliseconds and verify's own phases per round, snapshot milliseconds, and
 * migrate's run time for the same 200 files.
 */
export async function runVerifyScenario({ repoRoot, work, server, rounds, log }) {
  const dir = join(work, 'verify');
  await makeRepository(dir);
  const cli = join(repoRoot, 'dist', 'cli', 'index.js');
  const env = { PATH: process.env.PATH, HOME: process.env.HOME ?? '/tmp' };
  const result = { wall: [], phases: [], rehearsed: [], rehearsedPhases: [], snapshot: [], migrate: [], failures: [] };
  for (let r = 0; r < rounds; r++) {
    const run = await runTimed({ cmd: process.execPath, args: [cli, 'verify', '--base', 'main', '--json', '--rehearse-rows', '0'], cwd: dir, env });
    const rehearsed = await runTimed({ cmd: process.execPath, args: [cli, 'verify', '--base', 'main', '--json'], cwd: dir, env });
    const failed = [run, rehearsed].find((x) => x.code !== 0);
    if (failed) {
      result.failures.push(`round ${r + 1}: exit ${failed.code}: ${failed.stdout.slice(0, 300)} ${failed.stderr.slice(0, 300)}`);
      continue;
    }
    result.wall.push(run.ms);
    result.phases.push(JSON.parse(run.stdout).duration_ms);
    result.rehearsed.push(rehearsed.ms);
    result.rehearsedPhases.push(JSON.parse(rehearsed.stdout).duration_ms);
    // The same 200 files through migrate, on a fresh database of the bench's server.
    const db = await server.create();
    try {
      const migrate = await runTimed({ cmd: process.execPath, args: [cli, 'migrate', '--dir', join(dir, 'migrations'), '--target', String(BASE), '--json'], cwd: dir, env: { ...env, DATABASE_URL: db.url } });
      if (migrate.code === 0) result.migrate.push(JSON.parse(migrate.stdout).duration_ms);
      result.snapshot.push(...(await snapshots(repoRoot, db.url, 5)));
    } finally {
      await server.drop(db.name);
    }
    log(`bench: verify round ${r + 1}: ${(run.ms / 1000).toFixed(2)} s, with the rehearsal ${(rehearsed.ms / 1000).toFixed(2)} s`);
  }
  return result;
}

/** A schema snapshot of the migrated database, timed in this process (the library's own function). */
async function snapshots(repoRoot, url, count) {
  const lib = (path) => import(pathToFileURL(join(repoRoot, 'lib', path)).href);
  const { snapshotSchema } = await lib('postgres/catalog/index.js');
  const { openSession } = await lib('postgres/pg-client.js');
  const session = await openSession(url);
  try {
    await snapshotSchema(session.client);
    const times = [];
    for (let i = 0; i < count; i++) {
      const started = process.hrtime.bigint();
      await snapshotSchema(session.client);
      times.push(Number(process.hrtime.bigint() - started) / 1e6);
    }
    return times;
  } finally {
    await session.close();
  }
}

const ms = (value) => (value === undefined ? 'n/a' : value < 1000 ? `${Math.round(value)} ms` : `${(value / 1000).toFixed(2)} s`);
const ok = (pass) => (pass ? 'met' : '**missed**');

/** The scenario's section of results.md, with its targets. */
export function renderVerify(result) {
  if (result.wall.length === 0) return `## verify\n\nNot measured: ${result.failures.join('; ') || 'no rounds ran'}.\n`;
  const phase = (name) => median(result.phases.map((p) => p[name]));
  const wall = median(result.wall);
  const server = phase('server');
  const snapshot = median(result.snapshot);
  const base = phase('base');
  const migrate = median(result.migrate);
  const rehearsed = median(result.rehearsed);
  const rehearsal = median(result.rehearsedPhases.map((p) => p.migrations)) - phase('migrations');
  const rows = [
    ['whole process (`pgshift verify --base main --rehearse-rows 0`)', ms(wall), `${ms(Math.min(...result.wall))}–${ms(Math.max(...result.wall))}`],
    ['reading base (git) and branch files', ms(phase('read')), ''],
    ['private server: find, initdb, start', ms(server), ''],
    [`base replay (${BASE} migrations)`, ms(base), ''],
    [`${NEW} new migrations: observed, UP, DOWN, UP again each, the schema proven after each`, ms(phase('migrations')), ''],
    ['one new migration (the above, divided)', ms(phase('migrations') / NEW), ''],
    [
      'whole process with the rehearsal on seeded rows at its default (`pgshift verify --base main`)',
      ms(rehearsed),
      `${ms(Math.min(...result.rehearsed))}–${ms(Math.max(...result.rehearsed))}`,
    ],
    [`the rehearsal of the ${NEW} new migrations (the difference in their phase)`, ms(rehearsal), ''],
    [`one schema snapshot of ${BASE} tables`, ms(snapshot), `${ms(Math.min(...result.snapshot))}–${ms(Math.max(...result.snapshot))}`],
    [`\`pgshift migrate\` of the same ${BASE} files (its own run time)`, ms(migrate), ''],
  ];
  const table = ['| what | median | range |', '|---|--:|--:|', ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
  const targets = [
    `- ${ok(wall <= 3000)}: whole check at most 3.0 s without the rehearsal (${ms(wall)})`,
    `- ${ok(phase('migrations') / NEW <= 100)}: a new migration at most 100 ms (${ms(phase('migrations') / NEW)})`,
    `- ${ok(rehearsed <= 5000)}: whole check at most 5 s with the default rehearsal (${ms(rehearsed)})`,
    `- ${ok(server < 1500)}: server start under 1.5 s (${ms(server)})`,
    `- ${ok(snapshot < 150)}: a snapshot of ${BASE} tables under 150 ms (${ms(snapshot)})`,
    `- ${ok(migrate === undefined || base <= migrate * 1.1)}: base replay no slower than migrate of the same files (${ms(base)} against ${ms(migrate)}, within 10 %)`,
  ].join('\n');
  const failures = result.failures.length ? `\n\nRounds that failed: ${result.failures.join('; ')}` : '';
  return `## verify\n\nA git repository with ${BASE} migrations on main (a table with five columns, a primary key, an index, a foreign key to the previous table and a comment each) and a branch adding ${NEW} with DOWN parts (a column and an index each); ${result.wall.length} rounds, medians, each round the check without the rehearsal and then with it. The phases are verify's own (\`duration_ms\` of its JSON).\n\n${table}\n\n${targets}${failures}\n`;
}
