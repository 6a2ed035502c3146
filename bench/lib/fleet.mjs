// The fleet scenario: many targets, one migration set. 200 databases and
// 1,000 schemas of one database, 5 migrations each; `pgshift fleet migrate`
// at several concurrencies against a shell loop running `pgshift migrate`
// once per target (one process per target, one after another: what teams
// run today). Whole process timed, spawn to exit. Setup and reset are
// untimed: databases copied from a template (8 at a time), schemas made in one
// transaction; everything it creates is dropped at the end.
import { mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { runTimed } from './measure.mjs';
import { urlFor } from './server.mjs';
import { median } from './stats.mjs';

const MIGRATIONS = 5;
/** Sessions at once for the psql floor: the concurrency the goals are set at. */
const FLOOR_SESSIONS = 16;
const PREFIX = 'pgshift_bench_';
const pad = (n, width) => String(n).padStart(width, '0');

function migration(i) {
  return `-- UP
CREATE TABLE item${i} (id bigint PRIMARY KEY, name text NOT NULL, created timestamptz NOT NULL DEFAULT now());
CREATE INDEX item${i}_name ON item${i} (name);
-- DOWN
DROP TABLE item${i};
`;
}

/** One admin connection to the bench's server (its `postgres`-or-given database). */
async function adminClient(url) {
  const client = new pg.Client({ connectionString: url, application_name: 'pgshift-bench' });
  client.on('error', () => {});
  await client.connect();
  return client;
}

/** Runs `work` on each item, `limit` at a time. */
async function eachLimited(items, limit, work) {
  let next = 0;
  const results = [];
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index], index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** A query on one database, on a connection of its own. */
async function onDatabase(url, sql) {
  const client = new pg.Client({ connectionString: url, application_name: 'pgshift-bench' });
  client.on('error', () => {});
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * The scenario's databases: `databases` empty ones, copies of one template
 * made 8 at a time (the copies' WAL flushes overlap), and one holding
 * `schemas` empty schemas, made in one transaction. `drop()` drops them all.
 */
async function setUp(server, { databases, schemas }, log) {
  const admins = await Promise.all(Array.from({ length: 8 }, () => adminClient(server.url)));
  const names = [];
  const tag = `${PREFIX}${process.pid}_fleet`;
  const drop = async () => {
    let next = 0;
    await Promise.all(
      admins.map(async (admin) => {
        while (next < names.length) await admin.query(`DROP DATABASE IF EXISTS ${names[next++]} WITH (FORCE)`).catch(() => {});
      }),
    );
    await Promise.all(admins.map((admin) => admin.end().catch(() => {})));
  };
  try {
    const started = performance.now();
    const template = `${tag}_template`;
    names.push(template);
    await admins[0].query(`CREATE DATABASE ${template}`);
    const dbs = Array.from({ length: databases }, (_, i) => ({ id: `db${pad(i + 1, 3)}`, env: `FLEET_DB${pad(i + 1, 3)}_URL`, name: `${tag}_db${pad(i + 1, 3)}` }));
    const tenants = `${tag}_tenants`;
    const all = [...dbs.map((d) => d.name), tenants];
    // Each name is listed before its CREATE: a failure part way drops what was made.
    names.push(...all);
    let next = 0;
    await Promise.all(
      admins.map(async (admin) => {
        while (next < all.length) await admin.query(`CREATE DATABASE ${all[next++]} TEMPLATE ${template}`);
      }),
    );
    const tenantsUrl = urlFor(server.url, tenants);
    const schemaIds = Array.from({ length: schemas }, (_, i) => `tenant_${pad(i + 1, 4)}`);
    await onDatabase(tenantsUrl, `BEGIN; ${schemaIds.map((s) => `CREATE SCHEMA ${s};`).join(' ')} COMMIT;`);
    log(`bench: fleet: ${databases} databases and ${schemas} schemas made in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    return { dbs: dbs.map((d) => ({ ...d, url: urlFor(server.url, d.name) })), tenantsUrl, schemaIds, drop };
  } catch (error) {
    await drop();
    throw error;
  }
}

/** How many targets hold all 5 migrations, then every target made empty again (untimed). */
async function checkAndResetDatabases(dbs) {
  const counts = await eachLimited(dbs, 8, async (db) => {
    const rows = await onDatabase(
      db.url,
      `SELECT (SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename = 'schema_migrations')::int AS t`,
    );
    const applied = rows[0].t ? (await onDatabase(db.url, 'SELECT count(*)::int AS n FROM public.schema_migrations'))[0].n : 0;
    await onDatabase(db.url, 'DROP SCHEMA public CASCADE; CREATE SCHEMA public;');
    return applied === MIGRATIONS ? 1 : 0;
  });
  return counts.reduce((a, b) => a + b, 0);
}

const TENANT_ROWS = `
SELECT count(*)::int AS n FROM (
  SELECT (xpath('/row/n/text()', query_to_xml(format('SELECT count(*) AS n FROM %I.schema_migrations', nspname), false, true, '')))[1]::text::int AS n
    FROM pg_namespace WHERE nspname LIKE 'tenant\\_%' AND to_regclass(format('%I.schema_migrations', nspname)) IS NOT NULL) AS t
 WHERE n = ${MIGRATIONS}`;

/** The same for the schemas, in batches of 100 (a transaction dropping them all would run out of lock slots). */
async function checkAndResetSchemas(url, schemaIds) {
  const [{ n }] = await onDatabase(url, TENANT_ROWS);
  for (let i = 0; i < schemaIds.length; i += 100) {
    const batch = schemaIds.slice(i, i + 100);
    await onDatabase(url, `BEGIN; ${batch.map((s) => `DROP SCHEMA ${s} CASCADE; CREATE SCHEMA ${s};`).join(' ')} COMMIT;`);
  }
  return n;
}

/** The tracking table and the 5 migrations, each in its own transaction with its tracking row, as psql would apply them. */
function floorScript() {
  const tracking =
    'CREATE TABLE schema_migrations (version bigint PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now(), checksum text, duration_ms integer);';
  const steps = Array.from({ length: MIGRATIONS }, (_, k) => {
    const i = k + 1;
    const up = migration(i).split('-- DOWN')[0].replace('-- UP\n', '').trim();
    return `BEGIN;\n${up}\nINSERT INTO schema_migrations (version, name) VALUES (${i}, 'item${i}');\nCOMMIT;`;
  });
  return [tracking, ...steps].join('\n');
}

/**
 * The floor: the same DDL and tracking rows applied by psql with
 * FLOOR_SESSIONS at once, a psql per database (xargs -P), or FLOOR_SESSIONS
 * psql sessions sharing the schemas: what the server needs for the work
 * itself, with none of a migration tool's checks.
 */
async function writeFloor(dir, dbs, schemaIds) {
  await mkdir(dir, { recursive: true });
  const psql = 'psql -X -q -v ON_ERROR_STOP=1';
  await writeFile(join(dir, 'database.sql'), `${floorScript()}\n`);
  const urls = dbs.map((d) => `"$${d.env}"`).join(' ');
  await writeFile(
    join(dir, 'databases.sh'),
    `set -eu\nfor u in ${urls}; do printf '%s\\0' "$u"; done | xargs -0 -P ${FLOOR_SESSIONS} -I{} ${psql} -d {} -f "$FLEET_FLOOR/database.sql"\n`,
  );
  const shares = Array.from({ length: FLOOR_SESSIONS }, (_, k) => schemaIds.filter((_, i) => i % FLOOR_SESSIONS === k));
  for (const [k, share] of shares.entries()) {
    await writeFile(join(dir, `schemas-${k}.sql`), share.map((s) => `SET search_path TO ${s};\n${floorScript()}`).join('\n') + '\n');
  }
  const runs = shares.map((_, k) => `${psql} -d "$FLEET_TENANTS_URL" -f "$FLEET_FLOOR/schemas-${k}.sql" & pids="$pids $!"`);
  await writeFile(join(dir, 'schemas.sh'), `set -eu\npids=\n${runs.join('\n')}\nfor p in $pids; do wait "$p"; done\n`);
}

/** The files: migrations, the targets files, the fleet's pgshift.json (one wave), the loop scripts. */
async function writeFiles(dir, { dbs, tenantsUrl, schemaIds }, cli) {
  await rm(dir, { recursive: true, force: true });
  const migrations = join(dir, 'migrations');
  await mkdir(migrations, { recursive: true });
  await mkdir(join(dir, 'loop'), { recursive: true });
  for (let i = 1; i <= MIGRATIONS; i++) await writeFile(join(migrations, `${pad(i, 3)}_item${i}.sql`), migration(i));
  // One wave taking every target: what is measured is the concurrency, not the default canary-then-10 % rollout.
  await writeFile(join(dir, 'pgshift.json'), JSON.stringify({ dir: 'migrations', waves: [{ name: 'all' }] }, null, 2));
  await writeFile(join(dir, 'databases.json'), JSON.stringify(dbs.map((d) => ({ id: d.id, urlEnv: d.env }))));
  await writeFile(join(dir, 'schemas.json'), JSON.stringify(schemaIds.map((s) => ({ id: s, urlEnv: 'FLEET_TENANTS_URL', schema: s }))));
  // The loops: one `pgshift migrate` process per target, one after another; the URLs stay in the environment.
  const run = `node "$PGSHIFT_CLI" migrate --dir "$FLEET_MIGRATIONS"`;
  const dbLoop = dbs.map((d) => `DATABASE_URL="$${d.env}" ${run} > /dev/null || exit 1`);
  const sep = tenantsUrl.includes('?') ? '&' : '?';
  const schemaLoop = schemaIds.map(
    (s) => `DATABASE_URL="$FLEET_TENANTS_URL${sep}options=-c%20search_path%3D${s}" ${run} --table ${s}.schema_migrations > /dev/null || exit 1`,
  );
  await writeFile(join(dir, 'loop', 'databases.sh'), `set -u\n${dbLoop.join('\n')}\n`);
  await writeFile(join(dir, 'loop', 'schemas.sh'), `set -u\n${schemaLoop.join('\n')}\n`);
  await writeFloor(join(dir, 'floor'), dbs, schemaIds);
  return {
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME ?? '/tmp',
      PGSHIFT_CLI: cli,
      FLEET_MIGRATIONS: migrations,
      FLEET_TENANTS_URL: tenantsUrl,
      FLEET_FLOOR: join(dir, 'floor'),
      ...Object.fromEntries(dbs.map((d) => [d.env, d.url])),
    },
  };
}

/**
 * Runs the scenario `rounds` times: per round, for the databases and then
 * the schemas, the loop and `fleet migrate` at each concurrency, each
 * followed (untimed) by a check that every target holds the 5 migrations
 * and a reset. A fleet command that fails is not run again.
 */
export async function runFleetScenario({ repoRoot, work, server, rounds, loopRounds = 1, concurrencies, databases = 200, schemas = 1000, log }) {
  const cli = join(repoRoot, 'dist', 'cli', 'index.js');
  const dir = join(work, 'fleet');
  const result = { rounds: 0, loopRounds: Math.min(loopRounds, rounds), databases, schemas, concurrencies, samples: {}, failures: [], unavailable: {}, load: [os.loadavg()] };
  const add = (key, ms) => (result.samples[key] ??= []).push(ms);
  const made = await setUp(server, { databases, schemas }, log);
  try {
    const { env } = await writeFiles(dir, made, cli);
    const kinds = [
      { kind: 'databases', targets: databases, reset: () => checkAndResetDatabases(made.dbs) },
      { kind: 'schemas', targets: schemas, reset: () => checkAndResetSchemas(made.tenantsUrl, made.schemaIds) },
    ];
    for (let r = 0; r < rounds; r++) {
      for (const { kind, targets, reset } of kinds) {
        const contenders = [
          // In a folder of its own: the fleet's pgshift.json (with its waves) is not the loop's.
          { key: `${kind}|loop`, cmd: 'bash', args: [join(dir, 'loop', `${kind}.sh`)], cwd: join(dir, 'loop') },
          { key: `${kind}|floor`, cmd: 'bash', args: [join(dir, 'floor', `${kind}.sh`)], cwd: join(dir, 'floor') },
          ...concurrencies.map((c) => ({
            key: `${kind}|fleet:${c}`,
            cmd: process.execPath,
            // Every target is on one server: its cap (--per-server, default 10) is raised to the concurrency measured.
            args: [cli, 'fleet', 'migrate', '--targets', join(dir, `${kind}.json`), '--concurrency', String(c), '--per-server', String(c), '--json'],
            cwd: dir,
          })),
        ];
        for (const contender of contenders) {
          if (result.unavailable[contender.key]) continue;
          // The loop is long (a process per target) and steady: it runs in the first rounds only.
          if (contender.key.endsWith('|loop') && r >= loopRounds) continue;
          // The loop of 1,000 processes may run past the usual 10 minutes on a loaded machine.
          const timeoutMs = contender.key.endsWith('|loop') ? 60 * 60_000 : undefined;
          const run = await runTimed({ cmd: contender.cmd, args: contender.args, cwd: contender.cwd, env }, timeoutMs === undefined ? {} : { timeoutMs });
          const done = await reset();
          if (run.code !== 0 || done !== targets) {
            const why = run.code !== 0 ? reasonOf(run) : `exit 0, but ${done} of ${targets} targets hold the ${MIGRATIONS} migrations`;
            result.unavailable[contender.key] = why;
            result.failures.push(`${contender.key} (round ${r + 1}): ${why}`);
            log(`bench: fleet: ${contender.key} failed: ${why}`);
            continue;
          }
          add(contender.key, run.ms);
          log(`bench: fleet round ${r + 1}: ${contender.key} ${(run.ms / 1000).toFixed(2)} s`);
        }
      }
      result.rounds++;
    }
  } finally {
    result.load.push(os.loadavg());
    await made.drop();
    await rm(dir, { recursive: true, force: true });
  }
  return result;
}

/** Why a run failed, in one short line: the error of its --json document, else its first line on stderr. */
function reasonOf(run) {
  let message;
  try {
    const doc = JSON.parse(run.stdout);
    const problems = doc.error?.problems ?? [];
    message = problems.length > 0 ? `${problems[0].message}${problems.length > 1 ? ` (and ${problems.length - 1} more)` : ''}` : doc.error?.message;
  } catch {
    // not JSON: the loop, or a command that does not exist yet
  }
  message ??= run.stderr.split('\n').find((line) => line.trim()) ?? run.stdout.split('\n').find((line) => line.trim()) ?? '';
  const how = run.signal ? `killed by ${run.signal}` : `exit ${run.code}`;
  return `${how}: ${message.replace(/\|/g, '/').replace(/\s+/g, ' ').trim().slice(0, 160)}`;
}

const secs = (ms) => (ms === undefined ? 'n/a' : ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`);
const ok = (pass) => (pass ? 'met' : '**missed**');
const load = (l) => l.map((v) => v.toFixed(2)).join(' ');

/** The scenario's section of results.md: a table per kind of target, the ratios to the loop, the goals. */
export function renderFleet(result) {
  const stat = (key) => {
    const values = result.samples[key] ?? [];
    return values.length ? { median: median(values), min: Math.min(...values), max: Math.max(...values), n: values.length } : undefined;
  };
  const tables = [];
  for (const [kind, targets, what] of [
    ['databases', result.databases, `${result.databases} databases`],
    ['schemas', result.schemas, `${result.schemas} schemas of one database`],
  ]) {
    const loop = stat(`${kind}|loop`);
    const row = (label, key) => {
      const s = stat(key);
      if (!s) return `| ${label} | not measured: ${result.unavailable[key] ?? 'no sample'} | | | |`;
      const ratio = loop && key !== `${kind}|loop` ? `${(loop.median / s.median).toFixed(1)}×` : '';
      return `| ${label} | ${secs(s.median)} | ${secs(s.min)}–${secs(s.max)} | ${secs(s.median / targets)} | ${ratio} |`;
    };
    tables.push(
      [
        `### ${what} × ${MIGRATIONS} migrations`,
        '',
        '| run | median | range | per target | loop ÷ this |',
        '|---|--:|--:|--:|--:|',
        row('shell loop: `pgshift migrate` per target', `${kind}|loop`),
        row(`floor: psql applying the same SQL, ${FLOOR_SESSIONS} sessions at once`, `${kind}|floor`),
        ...result.concurrencies.map((c) => row(`\`pgshift fleet migrate --concurrency ${c}\``, `${kind}|fleet:${c}`)),
      ].join('\n'),
    );
  }
  const at16 = (kind) => stat(`${kind}|fleet:16`)?.median;
  const loopDb = stat('databases|loop')?.median;
  const goals = [
    `- ${ok(at16('databases') !== undefined && at16('databases') < 3000)}: ${result.databases} databases at concurrency 16 under 3 s (${secs(at16('databases'))})`,
    `- ${ok(at16('databases') !== undefined && loopDb !== undefined && loopDb / at16('databases') >= 10)}: at least 10× faster than the loop (${
      at16('databases') !== undefined && loopDb !== undefined ? `${(loopDb / at16('databases')).toFixed(1)}×` : 'n/a'
    })`,
    `- ${ok(at16('schemas') !== undefined && at16('schemas') < 3000)}: ${result.schemas} schemas under 3 s at concurrency 16 (${secs(at16('schemas'))})`,
    ...['databases', 'schemas'].map((kind) => {
      const floor = stat(`${kind}|floor`)?.median;
      const ratio = floor !== undefined && at16(kind) !== undefined ? `${(at16(kind) / floor).toFixed(2)}×` : 'n/a';
      return `- the floor for the ${kind}: psql needs ${secs(floor)} at ${FLOOR_SESSIONS} sessions; \`fleet migrate --concurrency 16\` takes ${ratio} that`;
    }),
  ].join('\n');
  const failures = result.failures.length ? `\n\nRuns that failed: ${result.failures.join('; ')}` : '';
  return `## fleet

${result.databases} databases and ${result.schemas} schemas of one database, ${MIGRATIONS} migrations each (a table with a primary key and an index); ${result.rounds} round${result.rounds === 1 ? '' : 's'} of \`fleet migrate\`, ${result.loopRounds} of the loop, medians. Each run starts from empty targets and is checked afterwards (every target holds the ${MIGRATIONS} migrations; untimed, as is the reset). Whole process, spawn to exit. The loop is one \`pgshift migrate\` process per target, one after another (for a schema: \`search_path\` set in the URL's \`options\` and \`--table <schema>.schema_migrations\`). \`fleet migrate\` runs one wave of every target (\`pgshift.json\`: \`"waves": [{ "name": "all" }]\`), with \`--per-server\` equal to \`--concurrency\` (all targets are on one server). Load average ${load(result.load[0])} at the start, ${load(result.load.at(-1))} at the end (the machine was shared).

${tables.join('\n\n')}

${goals}${failures}
`;
}

/** The markdown with its `## fleet` section replaced by `section`, or `section` added at the end. */
export function withFleetSection(markdown, section) {
  const start = markdown.search(/^## fleet$/m);
  if (start === -1) return `${markdown.trimEnd()}\n\n${section}`;
  const rest = markdown.slice(start + 1);
  const next = rest.search(/^## /m);
  const end = next === -1 ? markdown.length : start + 1 + next;
  return `${markdown.slice(0, start)}${section.trimEnd()}\n${end < markdown.length ? `\n${markdown.slice(end)}` : ''}`;
}
