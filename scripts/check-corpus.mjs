#!/usr/bin/env node
// Takes real projects' migration histories up, down and up again with the
// built CLI, and compares the schema before and after.
// Usage: node scripts/check-corpus.mjs <folder of projects | project folder> [admin database URL]
// Each project folder holds NNN_name.sql files. Needs `npm run build` first.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const [root, admin = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'] = process.argv.slice(2);
if (!root) {
  console.error('usage: node scripts/check-corpus.mjs <folder> [admin database URL]');
  process.exit(2);
}
const cli = fileURLToPath(new URL('../dist/cli/index.js', import.meta.url));
const isProject = (dir) => readdirSync(dir).some((f) => /^\d+_.*\.sql$/.test(f));
const projects = isProject(root)
  ? [resolve(root)]
  : readdirSync(root)
      .map((d) => join(root, d))
      .filter((d) => statSync(d).isDirectory() && isProject(d));

const SCHEMA = `
  SELECT string_agg(line, E'\\n' ORDER BY line) AS dump FROM (
    SELECT c.relkind::text || ' ' || n.nspname || '.' || c.relname || ' ' ||
           coalesce((SELECT string_agg(a.attname || ':' || format_type(a.atttypid, a.atttypmod) || CASE WHEN a.attnotnull THEN '!' ELSE '' END, ',' ORDER BY a.attnum)
                       FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped), '') AS line
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%' AND c.relname NOT IN ('schema_migrations', 'schema_migrations_pkey')
    UNION ALL SELECT 'f ' || p.oid::regprocedure::text FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
    UNION ALL SELECT 't ' || t.typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') AND t.typtype = 'e'
  ) lines`;

async function withClient(url, fn) {
  const client = new pg.Client(url);
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

function pgshift(args, url) {
  const started = process.hrtime.bigint();
  const run = spawnSync(process.execPath, [cli, ...args, '--json'], { env: { ...process.env, DATABASE_URL: url }, encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (run.status !== 0) throw new Error(`pgshift ${args.join(' ')} exited ${run.status}:\n${run.stdout}${run.stderr}`);
  return { doc: JSON.parse(run.stdout), ms };
}

let failed = 0;
for (const dir of projects) {
  const name = `pgshift_corpus_${Math.random().toString(36).slice(2, 10)}`;
  await withClient(admin, (c) => c.query(`CREATE DATABASE ${name}`));
  const url = new URL(admin);
  url.pathname = `/${name}`;
  const dump = () => withClient(url.toString(), async (c) => (await c.query(SCHEMA)).rows[0].dump ?? '');
  try {
    const files = readdirSync(dir).filter((f) => f.endsWith('.sql'));
    const withDown = files.filter((f) => /^[ \t]*--[ \t]*down[ \t]*$/im.test(readFileSync(join(dir, f), 'utf8'))).length;
    const up = pgshift(['migrate', '--dir', dir], url.toString());
    const line = [`${dir}: ${up.doc.applied.length} applied in ${up.ms.toFixed(0)} ms`];
    if (withDown === files.length) {
      const before = await dump();
      const down = pgshift(['rollback', '--target', '0', '--dir', dir], url.toString());
      const empty = await dump();
      const again = pgshift(['migrate', '--dir', dir], url.toString());
      const after = await dump();
      if (before !== after) throw new Error('schema after down and up again differs from the first up');
      if (empty !== '') throw new Error(`rollback to 0 left objects behind:\n${empty}`);
      line.push(
        `${down.doc.rolled_back.length} rolled back in ${down.ms.toFixed(0)} ms`,
        `${again.doc.applied.length} applied again; schema identical`,
      );
    } else {
      line.push(`${withDown}/${files.length} files have DOWN: down-and-up skipped`);
    }
    console.log(line.join('; '));
  } catch (error) {
    failed++;
    console.error(`${dir}: FAILED: ${error.message}`);
  } finally {
    await withClient(admin, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  }
}
process.exitCode = failed ? 1 : 0;
