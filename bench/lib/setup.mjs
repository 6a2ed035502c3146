// Untimed preparation: generated directories, the status database, machine facts.
import { execFileSync } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { checksumOf, migrationName, pgshiftFile, TRACKING_TABLE, writeMigrations, writePsqlScript } from './migrations.mjs';
import { failureReason, runTimed } from './measure.mjs';
import { dbmatePath, packageVersion } from './tools.mjs';

/** Writes every format each tool needs for each N; returns dirs[n][format] (psql: the script's path). */
export async function generateAll(work, ns, formats) {
  const dirs = {};
  for (const n of ns) {
    dirs[n] = {};
    for (const format of formats) {
      if (format === 'psql') {
        const path = join(work, `n${n}`, 'psql-floor.sql');
        await mkdir(join(work, `n${n}`), { recursive: true });
        await writePsqlScript(path, n);
        dirs[n][format] = path;
      } else {
        const dir = join(work, `n${n}`, format);
        await writeMigrations(format, dir, n);
        dirs[n][format] = dir;
      }
    }
  }
  return dirs;
}

/**
 * A database where all `files` migrations of `dir` count as applied, for the
 * status run. The tracking rows are written directly (pgshift records the
 * sha256 of the file); pgshift's own `status --json` must then agree that
 * everything is applied and nothing is wrong, else the rows are made the slow
 * way, by pgshift migrate itself with synchronous_commit off.
 */
export async function prepareStatusDatabase(server, pgshift, dir, files, cwd) {
  const db = await server.create();
  const versions = Array.from({ length: files }, (_, k) => k + 1);
  await server.query(db.name, `${TRACKING_TABLE}`);
  await server.query(
    db.name,
    `INSERT INTO schema_migrations (version, name, checksum, duration_ms)
     SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::int[])`,
    [versions, versions.map(migrationName), versions.map((i) => checksumOf(pgshiftFile(i))), versions.map(() => 0)],
  );
  const check = async () => {
    const result = await runTimed(statusJson(pgshift, db.url, dir, cwd), { keepBytes: Infinity });
    try {
      const status = JSON.parse(result.stdout);
      return status.applied_count === files && status.pending_count === 0 && status.problems.length === 0 ? undefined : `status says ${status.applied_count} applied, ${status.pending_count} pending, ${status.problems.length} problems`;
    } catch {
      return failureReason(result);
    }
  };
  let problem = await check();
  if (problem === undefined) return { ...db, how: 'tracking rows inserted directly (checked with pgshift status --json)' };

  process.stderr.write(`status database: direct rows not accepted (${problem}); applying with pgshift instead…\n`);
  await server.drop(db.name);
  const slow = await server.create();
  await server.query('postgres', `ALTER DATABASE ${slow.name} SET synchronous_commit = off`);
  const applied = await runTimed(pgshift.apply({ url: slow.url, dir, cwd }), { timeoutMs: 30 * 60_000 });
  await server.query('postgres', `ALTER DATABASE ${slow.name} RESET synchronous_commit`);
  if (applied.code !== 0) throw new Error(`could not prepare the status database: ${failureReason(applied)}`);
  const again = await runTimed(statusJson(pgshift, slow.url, dir, cwd));
  if (again.code !== 0) throw new Error(`pgshift status fails on the status database: ${failureReason(again)}`);
  return { ...slow, how: 'applied by pgshift migrate (untimed, synchronous_commit off)' };
}

function statusJson(pgshift, url, dir, cwd) {
  const command = pgshift.status({ url, dir, cwd });
  return { ...command, args: [...command.args, '--json'] };
}

function firstLine(cmd, args) {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 10_000 }).trim().split('\n')[0];
  } catch {
    return undefined;
  }
}

/** Machine, server and tool versions, for the results. */
export async function collectFacts(server, repoRoot) {
  const cpus = os.cpus();
  const setting = (name) => server.setting(name).catch(() => '?');
  const dbmate = dbmatePath();
  return {
    date: new Date().toISOString(),
    cpu: `${cpus[0]?.model ?? 'unknown'} × ${cpus.length}`,
    memory: `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
    os: `${os.type()} ${os.release()} (${os.arch()})`,
    loadavg: os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' '),
    node: process.version,
    server: `PostgreSQL ${await setting('server_version')} (${server.origin})`,
    serverSettings: {
      fsync: await setting('fsync'),
      synchronous_commit: await setting('synchronous_commit'),
      wal_level: await setting('wal_level'),
      shared_buffers: await setting('shared_buffers'),
      ssl: await setting('ssl'),
    },
    psql: firstLine('psql', ['--version']) ?? 'not found',
    pgshift: firstLine(process.execPath, [join(repoRoot, 'dist/cli/index.js'), '--version']) ?? 'not built',
    commit: firstLine('git', ['-C', repoRoot, 'rev-parse', '--short', 'HEAD']) ?? 'unknown',
    pg: packageVersion('pg'),
    nodePgMigrate: packageVersion('node-pg-migrate'),
    postgratorCli: packageVersion('postgrator-cli'),
    postgrator: packageVersion('postgrator'),
    dbmate: (dbmate && firstLine(dbmate, ['--version'])) ?? 'not installed',
  };
}
