// The contenders: how each is run, in which mode, on which files.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { withParam } from './server.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const benchDir = dirname(here);
const require = createRequire(join(benchDir, 'package.json'));
const node = process.execPath;

/** The environment every child gets: ours without PG* and DATABASE_URL, so nothing but the flags picks the database. */
export function childEnv(extra = {}) {
  const env = { ...process.env, NO_COLOR: '1' };
  for (const key of Object.keys(env)) {
    if (key.startsWith('PG') || key === 'DATABASE_URL' || key.startsWith('BENCH_') || key.startsWith('INPUT_') || key.startsWith('GITHUB_')) delete env[key];
  }
  return { ...env, ...extra };
}

function packageFile(name, file) {
  try {
    return require.resolve(`${name}/${file}`);
  } catch {
    return join(benchDir, 'node_modules', name, file);
  }
}

export function packageVersion(name) {
  try {
    return JSON.parse(readFileSync(packageFile(name, 'package.json'), 'utf8')).version;
  } catch {
    return undefined;
  }
}

function dbmateBinary() {
  try {
    return require.resolve(`@dbmate/${process.platform}-${process.arch}/bin/dbmate${process.platform === 'win32' ? '.exe' : ''}`);
  } catch {
    return undefined;
  }
}

const missing = (path, what) => (path && existsSync(path) ? undefined : `${what} not found (${path ?? 'no path'}); run: cd bench && npm install`);

/**
 * Each tool: id, label, role ('floor' | 'pgshift' | 'peer'), format (which
 * generated directory it reads), mode (what the row measures), unavailable
 * (a reason, or undefined), apply(ctx) and noop(ctx) → { cmd, args, env, cwd }
 * where ctx = { url, dir, cwd }, and startup() for the --version row.
 */
export function makeTools(repoRoot) {
  const cli = join(repoRoot, 'dist/cli/index.js');
  const npm = packageFile('node-pg-migrate', 'bin/node-pg-migrate.js');
  const postgrator = packageFile('postgrator-cli', 'index.js');
  const dbmate = dbmateBinary();

  const nodePgMigrate = (extra) => (ctx) => ({
    cmd: node,
    args: [npm, 'up', '--migrations-dir', ctx.dir, ...extra],
    env: childEnv({ DATABASE_URL: ctx.url }),
    cwd: ctx.cwd,
  });
  const postgratorRun = (ctx) => {
    const u = new URL(ctx.url);
    const args = [postgrator, '--no-config', '--host', u.hostname, '--port', u.port || '5432', '--database', decodeURIComponent(u.pathname.slice(1))];
    if (u.username) args.push('--username', decodeURIComponent(u.username));
    if (u.password) args.push('--password', decodeURIComponent(u.password));
    args.push('--migration-pattern', `${ctx.dir}/*`);
    return { cmd: node, args, env: childEnv(), cwd: ctx.cwd };
  };
  const dbmateRun = (extra) => (ctx) => ({
    cmd: dbmate,
    // lib/pq requires SSL unless told otherwise; the local server has none.
    args: ['--url', withParam(ctx.url, 'sslmode', 'disable'), '--migrations-dir', ctx.dir, ...extra, 'migrate'],
    env: childEnv(),
    cwd: ctx.cwd,
  });

  return [
    {
      id: 'psql',
      label: 'psql (floor)',
      role: 'floor',
      format: 'psql',
      mode: 'psql -f of a script with one message per migration (`BEGIN \\; <sql> \\; <tracking insert> \\; COMMIT`); no no-op row, as psql cannot tell what is applied',
      unavailable: undefined,
      apply: (ctx) => ({ cmd: 'psql', args: ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', ctx.url, '-f', ctx.dir], env: childEnv(), cwd: ctx.cwd }),
    },
    {
      id: 'node-pg',
      label: 'Node + pg (floor)',
      role: 'floor',
      format: 'pgshift',
      mode: 'bench/lib/floor-node.mjs: reads and checksums the files (synchronously), one connection, one read of the tracking table, one simple-query message per pending migration (BEGIN; sql; tracking insert; COMMIT); no lock',
      unavailable: missing(packageFile('pg', 'package.json'), 'pg'),
      apply: (ctx) => ({ cmd: node, args: [join(here, 'floor-node.mjs'), ctx.dir, ctx.url], env: childEnv(), cwd: ctx.cwd }),
      noop: (ctx) => ({ cmd: node, args: [join(here, 'floor-node.mjs'), ctx.dir, ctx.url], env: childEnv(), cwd: ctx.cwd }),
      startup: () => ({ cmd: node, args: ['-e', ''], env: childEnv() }),
      startupLabel: 'node -e "" (floor)',
    },
    {
      id: 'pgshift',
      label: 'pgshift',
      role: 'pgshift',
      format: 'pgshift',
      mode: 'node dist/cli/index.js migrate (one transaction per migration, its default)',
      unavailable: missing(cli, 'the pgshift CLI bundle (npm run build)'),
      apply: (ctx) => ({ cmd: node, args: [cli, 'migrate', '--dir', ctx.dir, '--database-url', ctx.url], env: childEnv(), cwd: ctx.cwd }),
      noop: (ctx) => ({ cmd: node, args: [cli, 'migrate', '--dir', ctx.dir, '--database-url', ctx.url], env: childEnv(), cwd: ctx.cwd }),
      status: (ctx) => ({ cmd: node, args: [cli, 'status', '--dir', ctx.dir, '--database-url', ctx.url], env: childEnv(), cwd: ctx.cwd }),
      startup: () => ({ cmd: node, args: [cli, '--version'], env: childEnv() }),
      startupLabel: 'pgshift --version',
    },
    {
      id: 'node-pg-migrate',
      label: 'node-pg-migrate',
      role: 'peer',
      format: 'node-pg-migrate',
      mode: 'default: `up` with its defaults, all pending migrations in one transaction (--single-transaction is on by default), verbose log on',
      unavailable: missing(npm, 'node-pg-migrate'),
      apply: nodePgMigrate([]),
      noop: nodePgMigrate([]),
      startup: () => ({ cmd: node, args: [npm, '--version'], env: childEnv() }),
      startupLabel: 'node-pg-migrate --version',
    },
    {
      id: 'node-pg-migrate-tx',
      label: 'node-pg-migrate --no-single-transaction',
      role: 'peer',
      format: 'node-pg-migrate',
      mode: 'one transaction per migration',
      unavailable: missing(npm, 'node-pg-migrate'),
      apply: nodePgMigrate(['--no-single-transaction']),
      noop: nodePgMigrate(['--no-single-transaction']),
    },
    {
      id: 'postgrator',
      label: 'postgrator-cli',
      role: 'peer',
      format: 'postgrator',
      mode: 'default, its only mode: each file sent as one query (which PostgreSQL runs as one implicit transaction), then its tracking insert as another; it has no one-transaction-per-migration mode; checksums of applied files validated (default)',
      unavailable: missing(postgrator, 'postgrator-cli'),
      apply: postgratorRun,
      noop: postgratorRun,
      startup: () => ({ cmd: node, args: [postgrator, '--version'], env: childEnv() }),
      startupLabel: 'postgrator --version',
    },
    {
      id: 'dbmate',
      label: 'dbmate',
      role: 'peer',
      format: 'dbmate',
      mode: 'default: migrate, one transaction per migration, then pg_dump of the schema to db/schema.sql',
      unavailable: dbmate ? undefined : `the @dbmate/${process.platform}-${process.arch} binary package is not installed`,
      apply: dbmateRun([]),
      noop: dbmateRun([]),
      startup: () => ({ cmd: dbmate, args: ['--version'], env: childEnv() }),
      startupLabel: 'dbmate --version',
    },
    {
      id: 'dbmate-nodump',
      label: 'dbmate --no-dump-schema',
      role: 'peer',
      format: 'dbmate',
      mode: 'one transaction per migration, no schema dump',
      unavailable: dbmate ? undefined : `the @dbmate/${process.platform}-${process.arch} binary package is not installed`,
      apply: dbmateRun(['--no-dump-schema']),
      noop: dbmateRun(['--no-dump-schema']),
    },
  ];
}

export const dbmatePath = dbmateBinary;
