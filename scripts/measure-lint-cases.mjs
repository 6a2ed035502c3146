#!/usr/bin/env node
// Measures on a real PostgreSQL what each lint case's UP part does to the
// relations that existed before it; writes test/lint-cases/labels.json, the set
// linters are scored against (bench/lint/score.mjs).
// Usage: node scripts/measure-lint-cases.mjs [--cases <dir>] [--labels <file>] [admin-url]
//   admin-url: default DATABASE_URL, else postgres://postgres@127.0.0.1:5432/postgres.
//   --cases: the folder of case files (default test/lint-cases/cases);
//   --labels: where the labels go (default test/lint-cases/labels.json). Each
//   case's `file` in it is relative to the labels file's folder.
//   The held-out set: --cases test/lint-cases/holdout --labels test/lint-cases/holdout-labels.json
// Each case gets a fresh database, pgshift_lint_case, dropped afterwards.
//
// Case files (test/lint-cases/cases/*.sql, read by bench/lint/cases.mjs): a
// `-- case:` description, shared `-- fixture:`s and `-- setup:` SQL, optionally
// `-- pgshift:no-transaction`, then `-- UP` ... and optionally `-- DOWN` (not run
// here). Splitting rule: a statement ends on a line whose code ends with `;`
// outside '...' and $tag$ quotes (a trailing -- comment is fine), so never two
// statements on one line and no /* */ comments.
//
// Measured per statement, in the migration's own session:
// - in a transaction (the default): pg_locks WHERE pid = pg_backend_pid() after
//   it (modes that appeared = taken), pg_relation_filenode() of each pre-existing
//   table and index (changed = rewritten), columns, and pg_stat_xact_user_tables
//   deltas (seq_tup_read + idx_tup_fetch = tuples read, n_tup_upd + n_tup_del =
//   rows changed), which count the open transaction's own work at once: exact.
// - no-transaction: its locks are gone when it returns, so a second session plays
//   an in-flight writer (ROW EXCLUSIVE on every pre-existing table) while it
//   starts and reads its waiting request from pg_locks, then lets it go: the
//   first lock that blocks writers is found deterministically, weaker ones are
//   not seen, a wait for other transactions (CREATE INDEX CONCURRENTLY) is noted.
//   Tuples: pg_stat_user_tables after pg_stat_force_next_flush() (15+; flushed
//   before the server answers), exact too; before 15: null.
//
// Derivation, strongest first (`hazard`; `families` = every rule that matched).
// ">= SHARE" is the first mode that blocks writers.
//   destructive      a pre-existing table or column vanished or was renamed, a
//                    column type narrowed, or the statement is a TRUNCATE
//   rewrite          a pre-existing table's relfilenode changed under >= SHARE
//                    (an index that ALTER COLUMN TYPE re-creates on its old
//                    relfilenode, without a build, counts as kept, not rebuilt)
//   index-not-concurrent  an index of a pre-existing table was built, rebuilt or
//                    dropped while the table was locked >= SHARE
//   scan-under-lock  >= SCAN_ROWS tuples of a pre-existing table were read while
//                    it was locked >= SHARE (by this or an earlier statement)
//   unbatched-dml    one transaction updated/deleted > DML_ROWS rows of a
//                    pre-existing table (each statement adding to it)
//   no-lock-timeout  newly took >= SHARE on a pre-existing relation, lock_timeout 0
//   safe             none of these
// Reproducible: generate_series data, VACUUM ANALYZE after setup, no parallel
// workers, one case at a time in file-name order, no timings in labels.json.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { FIXTURES, parseCase } from '../bench/lint/cases.mjs';

const root = fileURLToPath(new URL('../test/lint-cases/', import.meta.url));
function parseArgs(argv) {
  const args = { cases: join(root, 'cases'), labels: join(root, 'labels.json'), admin: null };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s);
    if (flag === '--cases' || flag === '--labels') {
      const value = inline ?? argv[++i];
      if (!value) throw new Error(`${flag} needs a path`);
      args[flag.slice(2)] = resolve(value);
    } else if (argv[i].startsWith('--')) throw new Error(`unknown option ${argv[i]}; usage: [--cases <dir>] [--labels <file>] [admin-url]`);
    else args.admin = argv[i];
  }
  return args;
}
const args = parseArgs(process.argv.slice(2));
const admin = args.admin ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const DB = 'pgshift_lint_case';
const SCAN_ROWS = 1000,
  DML_ROWS = 1000,
  HOLD_MS = 400;
const MODES = 'AccessShare RowShare RowExclusive ShareUpdateExclusive Share ShareRowExclusive Exclusive AccessExclusive'
  .split(' ')
  .map((m) => `${m}Lock`);
const rank = (mode) => MODES.indexOf(mode) + 1; // 0 = none
const BLOCKS_WRITES = rank('ShareLock');
const ORDER = ['destructive', 'rewrite', 'index-not-concurrent', 'scan-under-lock', 'unbatched-dml', 'no-lock-timeout', 'safe'];
// Index fetches can differ by a dead tuple between runs: counts are written rounded.
const hundreds = (n) => (n === null ? null : Math.round(n / 100) * 100);

async function connect(url) {
  const client = new pg.Client(url);
  await client.connect();
  return client;
}
const dbUrl = (name) => Object.assign(new URL(admin), { pathname: `/${name}` }).toString();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// One round trip: every table and index of the user's schemas with its file node
// and columns; named bare in public, schema-qualified elsewhere (so a move to
// another schema shows as a rename).
const SNAPSHOT = `
  SELECT c.oid::text AS oid, CASE WHEN n.nspname = 'public' THEN c.relname ELSE n.nspname || '.' || c.relname END AS name,
         format('%I.%I', n.nspname, c.relname) AS ident, c.relkind AS kind, pg_relation_filenode(c.oid)::text AS filenode,
         i.indrelid::text AS "table",
         (SELECT json_object_agg(a.attname, format_type(a.atttypid, a.atttypmod)) FROM pg_attribute a
           WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped AND c.relkind <> 'i') AS columns
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace LEFT JOIN pg_index i ON i.indexrelid = c.oid
   WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'
     AND c.relkind IN ('r', 'p', 'i', 'm') ORDER BY n.nspname <> 'public', n.nspname, c.relname`;
const snapshot = async (client) => new Map((await client.query(SNAPSHOT)).rows.map((r) => [r.oid, r]));
// ALTER COLUMN TYPE drops and re-creates every index on the column, but one it
// can keep (binary-coercible type, same operator class) gets the old file node
// back under a new oid, without a build: that is the same index, so it keeps
// its old oid here, and is neither dropped nor built.
function rekeyReused(prev, snap) {
  const vanished = new Map();
  for (const [oid, r] of prev) if (r.kind === 'i' && !snap.has(oid)) vanished.set(`${r.table}:${r.filenode}`, oid);
  if (!vanished.size) return snap;
  const out = new Map();
  for (const [oid, r] of snap) {
    const old = r.kind === 'i' && !prev.has(oid) ? vanished.get(`${r.table}:${r.filenode}`) : undefined;
    out.set(old ?? oid, old ? { ...r, oid: old } : r);
  }
  return out;
}
const STATS = (view) =>
  `SELECT relid::text AS oid, seq_tup_read + coalesce(idx_tup_fetch, 0) AS read, n_tup_upd + n_tup_del AS changed FROM ${view}`;
async function stats(client, transaction, major) {
  if (!transaction && major < 15) return null;
  if (!transaction) await client.query('SELECT pg_stat_force_next_flush()');
  const { rows } = await client.query(STATS(transaction ? 'pg_stat_xact_user_tables' : 'pg_stat_user_tables'));
  return new Map(rows.map((r) => [r.oid, { read: Number(r.read), changed: Number(r.changed) }]));
}
async function heldLocks(client) {
  const { rows } = await client.query(
    `SELECT relation::text AS oid, mode FROM pg_locks WHERE pid = pg_backend_pid() AND locktype = 'relation' AND granted`,
  );
  const held = new Map();
  for (const { oid, mode } of rows) if (rank(mode) > rank(held.get(oid))) held.set(oid, mode);
  return held;
}

const WAITING = 'SELECT locktype, relation::text AS oid, mode FROM pg_locks WHERE pid = $1 AND NOT granted';
// no-transaction: run the statement while a writer holds ROW EXCLUSIVE on the tables.
async function runWithWriter(client, observer, pid, sql, tables) {
  await observer.query('BEGIN');
  for (const ident of tables) await observer.query(`LOCK TABLE ${ident} IN ROW EXCLUSIVE MODE`);
  let done = false;
  const run = client.query(sql).then(
    () => null,
    (error) => error,
  );
  run.finally(() => (done = true));
  const waits = [];
  for (const start = Date.now(); !done && Date.now() - start < HOLD_MS; await sleep(3)) {
    const { rows } = await observer.query(WAITING, [pid]);
    if (rows.length) {
      waits.push(...rows);
      break;
    }
  }
  await observer.query('COMMIT');
  const error = await run;
  if (error) throw error;
  return waits;
}

// A type change that can lose data: shorter length or precision, a smaller integer or float, unbounded to bounded.
const SIZE = { smallint: 1, integer: 2, bigint: 3, real: 1, 'double precision': 2 };
function narrowed(before, after) {
  const parse = (t) =>
    /^(.*?)(?:\((\d+)(?:,(\d+))?\))?$/
      .exec(t)
      .slice(1, 4)
      .map((v, i) => (i === 0 ? v : v && Number(v)));
  const [a, n, s] = parse(before);
  const [b, m, t] = parse(after);
  const texts = ['text', 'character varying', 'character'];
  if (texts.includes(a) && texts.includes(b) && m !== undefined) return n === undefined || m < n;
  if (a === b && a === 'numeric' && m !== undefined) return n === undefined || m < n || (t ?? 0) < (s ?? 0);
  const family = (x) => (['smallint', 'integer', 'bigint'].includes(x) ? 'int' : ['real', 'double precision'].includes(x) ? 'float' : x);
  return family(a) === family(b) && SIZE[b] < SIZE[a];
}

function derive(m) {
  const found = new Map();
  const add = (family, reason) => found.has(family) || found.set(family, reason);
  m.destructive.forEach((reason) => add('destructive', reason));
  for (const x of m.indexChanges)
    if (rank(x.lock) >= BLOCKS_WRITES) add('index-not-concurrent', `index ${x.index} ${x.what} while ${x.table} held ${x.lock}`);
  for (const [name, r] of Object.entries(m.relations)) {
    const lock = r.held ?? r.lock;
    const blocking = rank(lock) >= BLOCKS_WRITES;
    if (blocking && r.rewrote && r.kind !== 'i' && !m.truncate) add('rewrite', `${name} rewritten under ${lock}`);
    if (blocking && r.read >= SCAN_ROWS) add('scan-under-lock', `${name}: ${hundreds(r.read)} tuples read under ${lock}`);
    if (r.changed > 0 && r.txChanged > DML_ROWS) add('unbatched-dml', `${name}: ${r.txChanged} rows updated/deleted in one transaction`);
    if (m.lockTimeout === '0' && rank(r.lock) >= BLOCKS_WRITES) add('no-lock-timeout', `${r.lock} on ${name} with lock_timeout 0`);
  }
  const families = ORDER.filter((f) => found.has(f));
  if (!families.length)
    return { hazard: 'safe', reason: 'no blocking lock held over a rewrite, scan or index build; nothing destroyed', families };
  return { hazard: families[0], reason: found.get(families[0]), families };
}

// What one statement did to the pre-existing relations: m.relations by name,
// destructive reasons, index builds/rebuilds/drops with their table's lock.
function compare(x, { taken, held, before, after, snap, head }) {
  const m = { truncate: /^TRUNCATE\b/.test(head), destructive: [], indexChanges: [], relations: {} };
  const rels = new Map();
  for (const [oid, r] of x.pre) {
    const p = x.prev.get(oid);
    const n = snap.get(oid);
    if (!p) continue;
    const lock = taken.get(oid) ?? null;
    const delta = (key) => (before && after ? (after.get(oid)?.[key] ?? 0) - (before.get(oid)?.[key] ?? 0) : null);
    const read = delta('read');
    const changed = delta('changed') ?? 0;
    const txChanged = (x.transaction ? (x.txChanged.get(oid) ?? 0) : 0) + changed;
    x.txChanged.set(oid, txChanged);
    const rewrote = Boolean(n && n.filenode !== p.filenode);
    rels.set(oid, {
      p,
      n,
      rel: { kind: r.kind, lock, held: (x.transaction ? held.get(oid) : lock) ?? null, rewrote, read, changed, txChanged },
    });
  }
  const tableLock = (oid) => rels.get(oid)?.rel.held ?? null;
  const tableRewrote = (oid) => Boolean(rels.get(oid)?.rel.rewrote);
  for (const { p, n, rel } of rels.values()) {
    if (rel.lock || rel.rewrote || rel.read || rel.changed || !n) m.relations[p.name] = rel;
    if (p.kind === 'i') {
      const table = x.pre.get(p.table).name;
      if (!n && rels.get(p.table)?.n && !tableRewrote(p.table))
        m.indexChanges.push({ index: p.name, what: 'dropped', table, lock: tableLock(p.table) });
      else if (rel.rewrote && !tableRewrote(p.table))
        m.indexChanges.push({ index: p.name, what: 'rebuilt', table, lock: tableLock(p.table) });
      continue;
    }
    if (!n) {
      m.destructive.push(`table ${p.name} dropped`);
      continue;
    }
    if (n.name !== p.name) m.destructive.push(`table ${p.name} renamed to ${n.name}`);
    for (const [col, type] of Object.entries(p.columns ?? {})) {
      const now = n.columns?.[col];
      if (now === undefined) m.destructive.push(`column ${p.name}.${col} dropped or renamed`);
      else if (narrowed(type, now)) m.destructive.push(`column ${p.name}.${col} narrowed from ${type} to ${now}`);
    }
  }
  const emptied = Object.keys(m.relations).filter((k) => m.relations[k].rewrote && m.relations[k].kind !== 'i');
  if (m.truncate) m.destructive.push(`TRUNCATE empties ${emptied.join(', ')}`);
  for (const [oid, r] of snap) {
    if (r.kind !== 'i' || x.prev.has(oid) || !rels.has(r.table) || tableRewrote(r.table)) continue;
    const table = rels.get(r.table);
    m.indexChanges.push({ index: r.name, what: 'built', table: table.p.name, lock: tableLock(r.table) });
    m.relations[table.p.name] ??= table.rel;
  }
  return m;
}

async function measureStatement(x, s) {
  const { client, transaction, major } = x;
  const lockTimeout = (await client.query(`SELECT current_setting('lock_timeout') AS v`)).rows[0].v;
  const before = transaction && x.stats ? x.stats : await stats(client, transaction, major);
  const taken = new Map();
  let held = x.held;
  let waits = [];
  try {
    if (transaction) {
      await client.query(s.sql);
      held = await heldLocks(client);
      for (const [oid, mode] of held) if (rank(mode) > rank(x.held.get(oid))) taken.set(oid, mode);
    } else {
      // Tables only: LOCK TABLE refuses indexes and materialized views, which take no writes anyway.
      const tables = [...x.prev.values()].filter((r) => x.pre.has(r.oid) && (r.kind === 'r' || r.kind === 'p')).map((r) => r.ident);
      waits = await runWithWriter(client, x.observer, x.pid, s.sql, tables);
      for (const w of waits) if (w.locktype === 'relation') taken.set(w.oid, w.mode);
    }
  } catch (error) {
    throw new Error(`${x.file}:${s.line}: ${error.message}`);
  }
  const after = await stats(client, transaction, major);
  const snap = rekeyReused(x.prev, await snapshot(client));
  const m = compare(x, { taken, held, before, after, snap, head: s.head });
  Object.assign(x, { prev: snap, held, stats: transaction ? after : null });
  const relations = {};
  for (const [name, v] of Object.entries(m.relations)) {
    const scanned = v.read === null ? null : v.read >= SCAN_ROWS;
    relations[name] = { lock: v.lock, held: v.held, rewrote: v.rewrote, scanned, tuplesRead: hundreds(v.read), rowsChanged: v.changed };
  }
  const waited = transaction ? {} : { waitedForTransactions: waits.some((w) => w.locktype !== 'relation') };
  const { line, endLine, head, text } = s;
  return { line, endLine, head, text, lockTimeout, relations, ...waited, ...derive({ ...m, lockTimeout }) };
}

async function measureCase(c, major) {
  const adminClient = await connect(admin);
  await adminClient.query(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
  await adminClient.query(`CREATE DATABASE ${DB}`);
  const client = await connect(dbUrl(DB));
  const observer = await connect(dbUrl(DB));
  try {
    const unknown = c.fixtures.find((f) => !FIXTURES[f]);
    if (unknown) throw new Error(`${c.file}: unknown fixture "${unknown}"; the fixtures are ${Object.keys(FIXTURES).join(', ')}`);
    await client.query(c.fixtures.map((f) => FIXTURES[f]).join('\n') + '\n' + c.setup.join('\n'));
    await client.query('VACUUM ANALYZE');
    // Parallel workers split scans by timing, which makes tuple counts vary run to run.
    await client.query('SET max_parallel_maintenance_workers = 0; SET max_parallel_workers_per_gather = 0');
    const pre = await snapshot(client);
    const pid = (await client.query('SELECT pg_backend_pid() AS pid')).rows[0].pid;
    const x = { file: c.file, transaction: c.transaction, client, observer, pid, major, pre, prev: pre, held: new Map() };
    x.txChanged = new Map(); // rows changed so far per relation, in the migration's transaction
    if (c.transaction) await client.query('BEGIN');
    const out = [];
    for (const s of c.statements) out.push(await measureStatement(x, s));
    if (c.transaction) await client.query('ROLLBACK');
    return out;
  } finally {
    await Promise.all([client.end(), observer.end()]);
    await adminClient.query(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
    await adminClient.end();
  }
}

// The repository checks JSON with Prettier; use it when it is installed.
async function formatted(file, text) {
  const prettier = await import('prettier').catch(() => null);
  return prettier ? prettier.format(text, { ...(await prettier.resolveConfig(file)), filepath: file }) : text;
}

async function main() {
  const probe = await connect(admin);
  const major = (Number((await probe.query('SHOW server_version_num')).rows[0].server_version_num) / 10000) | 0;
  await probe.end();
  const dir = args.cases;
  const files = readdirSync(dir).filter((f) => f.endsWith('.sql'));
  files.sort();
  const cases = [];
  for (const file of files) {
    const c = parseCase(readFileSync(join(dir, file), 'utf8'), file);
    const statements = await measureCase(c, major);
    const label = ORDER.find((f) => statements.some((s) => s.hazard === f));
    const up = { from: c.up + 1, to: c.down ? c.down - 1 : null };
    cases.push({
      file: relative(dirname(args.labels), join(dir, file)).split('\\').join('/'),
      description: c.description,
      transaction: c.transaction,
      up,
      label,
      statements,
    });
    console.log(`${label.padEnd(22)} ${file}`);
  }
  const labels = { postgres: major, rules: { scanRows: SCAN_ROWS, dmlRows: DML_ROWS }, cases };
  const out = args.labels;
  writeFileSync(out, await formatted(out, JSON.stringify(labels, null, 2) + '\n'));
  const counts = {};
  for (const c of cases) counts[c.label] = (counts[c.label] ?? 0) + 1;
  const statements = cases.flatMap((c) => c.statements);
  console.log(`\nPostgreSQL ${major}: ${cases.length} cases, ${statements.length} statements -> ${relative(process.cwd(), out)}`);
  console.log('| family | cases | statements |\n|---|---:|---:|');
  for (const f of ORDER) console.log(`| ${f} | ${counts[f] ?? 0} | ${statements.filter((s) => s.hazard === f).length} |`);
  console.log(`safe share: ${(((counts.safe ?? 0) / cases.length) * 100).toFixed(1)} % of cases`);
}

main().catch((error) => {
  console.error(error.message);
  process.exitCode = 1;
});
