/**
 * The bad inputs, one entry per case: what is on disk, the command line,
 * the connection, the exit code and the message expected. bad-input.test.ts
 * runs each case twice (human output with DATABASE_URL, then --json with
 * --database-url), both times with a password full of URL-special
 * characters, and compares a dump of the database taken before and after.
 */
import { execFileSync } from 'node:child_process';
import { chmod, mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ExpectStatic } from 'vitest';
import type { RelDatabase } from '../support/reliability-db.js';
import { tableExists, trackedVersions } from '../support/reliability-db.js';
import { runCliFully } from '../support/reliability.js';

export interface CaseContext {
  readonly db: RelDatabase;
  /** The temporary folder holding `dir`. */
  readonly root: string;
  /** The migrations directory: 001_base.sql (applied in the template) plus the case's files. */
  readonly dir: string;
  /** The case database reached as a role whose password is the secret. */
  readonly url: string;
  readonly ports: { readonly closed: number; readonly closeOnAccept: number; readonly closeAfterStartup: number; readonly garbage: number };
  /** An embedded PostgreSQL with password authentication (for the wrong password): a URL to it with the right role and a wrong password. */
  readonly wrongPasswordUrl: string;
  readonly wrongPassword: string;
}

export type Category =
  | 'file names'
  | 'directory'
  | 'encoding'
  | 'content'
  | 'sections'
  | 'SQL'
  | 'transaction control'
  | 'table name'
  | 'arguments'
  | 'connection'
  | 'size';

export interface BadInputCase {
  readonly name: string;
  readonly category: Category;
  /** Files added next to 001_base.sql (or instead of it, with `noBaseline`). */
  readonly files?: Record<string, string | Buffer>;
  readonly noBaseline?: boolean;
  /** Anything else to set up before the "before" dump (permissions, symlinks, database settings). */
  readonly prepare?: (ctx: CaseContext) => Promise<void>;
  /** The command line, without --dir (added unless `dirArgs` is given) and without the connection. */
  readonly args: readonly string[];
  /** Replaces `--dir <dir>`; [] for none. */
  readonly dirArgs?: (ctx: CaseContext) => readonly string[];
  /** The connection URL; default the secret-role URL of the case database; null for none at all. */
  readonly connection?: ((ctx: CaseContext) => string) | null;
  /** Expected exit code; a list when either is right (the case says why). */
  readonly code: 0 | 1 | 2 | readonly (0 | 1 | 2)[];
  /** Expected in the output (human: stdout + stderr; JSON: the messages of the document). */
  readonly message: string | RegExp;
  /** Must not be in the output. */
  readonly notMessage?: string | RegExp;
  /** Run as nobody (when the tests run as root), so that permissions bite. */
  readonly unprivileged?: boolean;
  /** Only these output modes (default both). */
  readonly modes?: readonly ('human' | 'json')[];
  /** Liveness bound for each run (default 60 s): a run still going is killed and fails the case. */
  readonly deadlineMs?: number;
  /** For inputs that must work: what must have changed. Without it the dump must be unchanged. */
  readonly effect?: (ctx: CaseContext, expect: ExpectStatic) => Promise<void>;
  /** More passwords that must not appear (a wrong password). */
  readonly secrets?: (ctx: CaseContext) => readonly string[];
}

export const BASELINE = {
  '001_base.sql':
    "-- UP\nCREATE TABLE base (id int PRIMARY KEY, note text);\nINSERT INTO base VALUES (1, 'kept');\n-- DOWN\nDROP TABLE base;\n",
};

const USERS = '-- UP\nCREATE TABLE users (id int PRIMARY KEY, email text NOT NULL);\n-- DOWN\nDROP TABLE users;\n';
const LONG_NAME_63 = `t${'x'.repeat(62)}`;
const LONG_NAME_64 = `t${'x'.repeat(63)}`;
const FIFTY_MB = 50 * 1024 * 1024;

/** Applied: table `name` exists and version `version` is tracked (in `table`). */
const applied =
  (name: string, version: number, table = 'schema_migrations') =>
  async (ctx: CaseContext, expect: ExpectStatic) => {
    expect(await tableExists(ctx.db, name), `table ${name}`).toBe(true);
    expect(await trackedVersions(ctx.db, table)).toContain(version);
    expect(await tableExists(ctx.db, 'base'), 'the baseline table is kept').toBe(true);
  };

/** A status run after the case must see no problem with the history (the file's checksum is stable). */
const cleanStatus = async (ctx: CaseContext, expect: ExpectStatic) => {
  const status = await runCliFully(['status', '--dir', ctx.dir, '--json'], { env: { DATABASE_URL: ctx.url } });
  expect(status.code, status.stderr).toBe(0);
  expect(JSON.parse(status.stdout)).toMatchObject({ problems: [], pending_count: 0 });
};

export const CASES: readonly BadInputCase[] = [
  // ── file names ──────────────────────────────────────────────────────────
  ...(['\n', '\r', '\u001b', '\u202e'] as const).map((char): BadInputCase => ({
    name: `a file name holding ${JSON.stringify(char)} (it could forge output lines, workflow commands or terminal colours)`,
    category: 'file names',
    files: { [`002_x${char}::error::forged.sql`]: USERS },
    args: ['migrate'],
    code: 2,
    message: 'holds control or direction characters',
    // A newline must not start a line with the forged command; the others must not appear at all.
    notMessage: char === '\n' ? /^::error::forged/m : char,
  })),
  {
    name: 'file name without a version',
    category: 'file names',
    files: { 'create_orders.sql': USERS },
    args: ['migrate'],
    code: 2,
    message: '"create_orders.sql" is not a migration file name: expected <version>_<name>.sql',
  },
  {
    name: 'file name with a version but no name',
    category: 'file names',
    files: { '002_.sql': USERS },
    args: ['migrate'],
    code: 2,
    message: '"002_.sql" is not a migration file name',
  },
  {
    name: 'file name with a blank name',
    category: 'file names',
    files: { '002_ .sql': USERS },
    args: ['migrate'],
    code: 2,
    message: '"002_ .sql" is not a migration file name',
  },
  {
    name: 'file name with a dash instead of an underscore',
    category: 'file names',
    files: { '002-users.sql': USERS },
    args: ['migrate'],
    code: 2,
    message: '"002-users.sql" is not a migration file name',
  },
  {
    name: 'version of 16 digits',
    category: 'file names',
    files: { '1234567890123456_users.sql': USERS },
    args: ['migrate'],
    code: 2,
    message: 'has a version of 16 digits; at most 15 are supported',
  },
  {
    name: 'duplicate version',
    category: 'file names',
    files: { '002_users.sql': USERS, '002_orders.sql': USERS.replace(/users/g, 'orders') },
    args: ['migrate'],
    code: 2,
    message: 'version 2 is used by both 002_orders.sql and 002_users.sql',
  },
  {
    name: 'duplicate version written with different zero padding',
    category: 'file names',
    files: { '2_users.sql': USERS, '0002_orders.sql': USERS.replace(/users/g, 'orders') },
    args: ['status'],
    code: 2,
    message: 'version 2 is used by both 0002_orders.sql and 2_users.sql',
  },
  {
    name: 'duplicate of an applied version',
    category: 'file names',
    files: { '001_other.sql': USERS },
    args: ['rollback'],
    code: 2,
    message: 'version 1 is used by both 001_base.sql and 001_other.sql',
  },

  // ── directory ───────────────────────────────────────────────────────────
  {
    name: 'the migrations directory is a file',
    category: 'directory',
    prepare: async (ctx) => writeFile(join(ctx.root, 'not-a-dir.sql'), USERS),
    dirArgs: (ctx) => ['--dir', join(ctx.root, 'not-a-dir.sql')],
    args: ['migrate'],
    code: 2,
    message: 'is a file, not a directory',
  },
  {
    name: 'the migrations directory does not exist',
    category: 'directory',
    dirArgs: (ctx) => ['--dir', join(ctx.root, 'nowhere')],
    args: ['migrate'],
    code: 2,
    message: /migrations directory .*nowhere does not exist/,
  },
  {
    name: '--dir given but empty',
    category: 'directory',
    dirArgs: () => ['--dir', ''],
    args: ['migrate'],
    code: 2,
    message: '--dir must not be empty',
  },
  {
    name: 'the migrations directory is unreadable',
    category: 'directory',
    unprivileged: true,
    prepare: async (ctx) => chmod(ctx.dir, 0o000),
    args: ['migrate'],
    code: 2,
    message: /cannot read migrations directory .*: permission denied/,
  },
  {
    name: 'a migration file is unreadable',
    category: 'directory',
    unprivileged: true,
    files: { '002_users.sql': USERS },
    prepare: async (ctx) => chmod(join(ctx.dir, '002_users.sql'), 0o000),
    args: ['migrate'],
    code: 2,
    message: /cannot read .*002_users\.sql: permission denied/,
  },
  {
    name: 'a .sql entry that is a symlink to a directory outside',
    category: 'directory',
    prepare: async (ctx) => {
      await mkdir(join(ctx.root, 'elsewhere'));
      await symlink(join(ctx.root, 'elsewhere'), join(ctx.dir, '002_linked.sql'));
    },
    args: ['migrate'],
    code: 2,
    message: /cannot read .*002_linked\.sql: it is a symbolic link to a file outside the migrations directory/,
  },
  {
    name: 'a .sql entry that is a symlink to a directory inside',
    category: 'directory',
    prepare: async (ctx) => {
      await mkdir(join(ctx.dir, 'nested'));
      await symlink(join(ctx.dir, 'nested'), join(ctx.dir, '002_linked.sql'));
    },
    args: ['migrate'],
    code: 2,
    message: /cannot read .*002_linked\.sql: it is a symbolic link to a directory/,
  },
  {
    name: 'a directory named like a migration',
    category: 'directory',
    prepare: async (ctx) => {
      await mkdir(join(ctx.dir, '002_folder.sql'));
    },
    args: ['migrate'],
    code: 2,
    message: /cannot read .*002_folder\.sql: it is a directory, not a file/,
  },
  {
    name: 'a FIFO named like a migration (never opened: it would block)',
    category: 'directory',
    prepare: async (ctx) => {
      execFileSync('mkfifo', [join(ctx.dir, '002_pipe.sql')]);
    },
    args: ['migrate'],
    code: 2,
    deadlineMs: 20_000,
    message: /cannot read .*002_pipe\.sql: it is a FIFO, not a file/,
  },
  {
    name: 'a symlink to a device named like a migration (never read: it would not end)',
    category: 'directory',
    prepare: async (ctx) => {
      await symlink('/dev/zero', join(ctx.dir, '002_zero.sql'));
    },
    args: ['migrate'],
    code: 2,
    deadlineMs: 20_000,
    message: /cannot read .*002_zero\.sql: it is a symbolic link to a file outside the migrations directory/,
  },
  {
    name: 'a symlink to a credentials file outside the directory (its content never shown)',
    category: 'directory',
    prepare: async (ctx) => {
      await writeFile(join(ctx.root, 'credentials'), 'aws_secret_access_key=SHOULD-NEVER-APPEAR\n');
      await symlink(join(ctx.root, 'credentials'), join(ctx.dir, '002_creds.sql'));
    },
    args: ['plan'],
    code: 2,
    message: /002_creds\.sql: it is a symbolic link to a file outside the migrations directory/,
    notMessage: 'SHOULD-NEVER-APPEAR',
  },
  {
    name: 'a symlink to a migration inside the directory (must work)',
    category: 'directory',
    prepare: async (ctx) => {
      await mkdir(join(ctx.dir, 'shared'));
      await writeFile(join(ctx.dir, 'shared', 'linked.sql'), '-- UP\nCREATE TABLE via_link (id int);\n');
      await symlink(join(ctx.dir, 'shared', 'linked.sql'), join(ctx.dir, '002_via_link.sql'));
    },
    args: ['migrate'],
    code: 0,
    message: /002_via_link\.sql {2}applied/,
    effect: applied('via_link', 2),
  },
  {
    name: 'a .sql entry that is a dangling symlink',
    category: 'directory',
    prepare: async (ctx) => symlink(join(ctx.root, 'gone.sql'), join(ctx.dir, '002_gone.sql')),
    args: ['migrate'],
    code: 2,
    message: /cannot read .*002_gone\.sql/,
  },

  // ── encoding ────────────────────────────────────────────────────────────
  {
    name: 'invalid UTF-8',
    category: 'encoding',
    files: { '002_bad.sql': Buffer.from([...Buffer.from("-- UP\nSELECT '"), 0xc3, 0x28, ...Buffer.from("';\n")]) },
    args: ['migrate'],
    code: 2,
    message: 'the file is not valid UTF-8',
  },
  {
    name: 'a Latin-1 file',
    category: 'encoding',
    files: { '002_latin1.sql': Buffer.from("-- UP\nCOMMENT ON TABLE base IS 'caf\xe9';\n", 'latin1') },
    args: ['migrate'],
    code: 2,
    message: 'the file is not valid UTF-8',
  },
  {
    name: 'a UTF-16 file with its BOM',
    category: 'encoding',
    files: { '002_utf16.sql': Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('-- UP\nCREATE TABLE wide (id int);\n', 'utf16le')]) },
    args: ['migrate'],
    code: 2,
    message: 'the file is not valid UTF-8',
  },
  {
    name: 'a UTF-8 BOM (must work)',
    category: 'encoding',
    files: {
      '002_bom.sql': Buffer.concat([
        Buffer.from([0xef, 0xbb, 0xbf]),
        Buffer.from('-- UP\nCREATE TABLE with_bom (id int);\n-- DOWN\nDROP TABLE with_bom;\n'),
      ]),
    },
    args: ['migrate'],
    code: 0,
    message: /002_bom\.sql {2}applied/,
    effect: async (ctx, expect) => {
      await applied('with_bom', 2)(ctx, expect);
      await cleanStatus(ctx, expect);
    },
  },
  {
    name: 'CRLF line endings (must work, same checksum as LF)',
    category: 'encoding',
    files: { '002_crlf.sql': '-- UP\r\nCREATE TABLE with_crlf (id int);\r\n-- DOWN\r\nDROP TABLE with_crlf;\r\n' },
    args: ['migrate'],
    code: 0,
    message: /002_crlf\.sql {2}applied/,
    effect: async (ctx, expect) => {
      await applied('with_crlf', 2)(ctx, expect);
      await writeFile(join(ctx.dir, '002_crlf.sql'), '-- UP\nCREATE TABLE with_crlf (id int);\n-- DOWN\nDROP TABLE with_crlf;\n');
      await cleanStatus(ctx, expect);
      const back = await runCliFully(['rollback', '--dir', ctx.dir], { env: { DATABASE_URL: ctx.url } });
      expect(back.code, back.stderr).toBe(0);
      expect(await tableExists(ctx.db, 'with_crlf')).toBe(false);
    },
  },
  {
    name: 'CR-only line endings (must work)',
    category: 'encoding',
    files: { '002_cr.sql': '-- UP\rCREATE TABLE with_cr (id int);\r-- DOWN\rDROP TABLE with_cr;\r' },
    args: ['migrate'],
    code: 0,
    message: /002_cr\.sql {2}applied/,
    effect: applied('with_cr', 2),
  },

  // ── refused before anything runs ───────────────────────────────────────
  ...(
    [
      ['DETACH PARTITION ... CONCURRENTLY', 'ALTER TABLE base DETACH PARTITION base_p CONCURRENTLY;', 'cannot run inside a transaction'],
      ['DISCARD ALL', 'DISCARD ALL;', 'would reset the session settings pgshift runs the migration with'],
      ['RESET ALL', 'RESET ALL;', 'would reset the session settings pgshift runs the migration with'],
      ['CLUSTER of the whole database', 'CLUSTER;', 'cannot run inside a transaction'],
      ['CREATE SUBSCRIPTION', "CREATE SUBSCRIPTION s CONNECTION 'host=x' PUBLICATION p;", 'cannot run inside a transaction'],
      ['COPY ... FROM STDIN', 'COPY base FROM STDIN;', '"COPY ... FROM STDIN" waits for rows from the client'],
    ] as const
  ).map(([what, sql, message]): BadInputCase => ({
    name: `${what} in a transactional migration, after one that would run first`,
    category: 'transaction control',
    files: { '002_first.sql': '-- UP\nCREATE TABLE would_run_first (id int);\n', '003_refused.sql': `-- UP\n${sql}\n` },
    args: ['migrate'],
    code: 2,
    message,
  })),
  {
    name: 'LOCK outside BEGIN ... COMMIT in a no-transaction migration',
    category: 'transaction control',
    files: { '002_lock.sql': '-- pgshift:no-transaction\n-- UP\nLOCK TABLE base;\nCREATE INDEX CONCURRENTLY base_note ON base (note);\n' },
    args: ['migrate'],
    code: 2,
    message: '"LOCK TABLE BASE" needs a transaction block',
  },
  {
    name: 'a string a backslash would end elsewhere, in a no-transaction migration',
    category: 'transaction control',
    files: { '002_backslash.sql': "-- pgshift:no-transaction\n-- UP\nSELECT 'a\\''; COMMIT; SELECT ''';\n" },
    args: ['migrate'],
    code: 2,
    message: 'a backslash in this string would end it elsewhere if standard_conforming_strings were off',
  },
  {
    name: 'LOCK inside BEGIN ... COMMIT in a no-transaction migration (must work)',
    category: 'transaction control',
    files: { '002_locked.sql': '-- pgshift:no-transaction\n-- UP\nBEGIN;\nLOCK TABLE base;\nCREATE TABLE locked_ok (id int);\nCOMMIT;\n' },
    args: ['migrate'],
    code: 0,
    message: /002_locked\.sql {2}applied/,
    effect: applied('locked_ok', 2),
  },
  {
    name: '--statement-timeout 0 means none, even where the database sets one (must work)',
    category: 'arguments',
    files: { '002_slow.sql': '-- UP\nSELECT pg_sleep(0.3);\nCREATE TABLE slow_ok (id int);\n' },
    prepare: async (ctx) => void (await ctx.db.query(`ALTER DATABASE ${ctx.db.name} SET statement_timeout = '100ms'`)),
    args: ['migrate', '--statement-timeout', '0'],
    code: 0,
    message: /002_slow\.sql {2}applied/,
    effect: applied('slow_ok', 2),
  },
  {
    name: 'a search_path that names no existing schema (said at once, not as a lock wait)',
    category: 'connection',
    prepare: async (ctx) => void (await ctx.db.query(`ALTER DATABASE ${ctx.db.name} SET search_path = no_such_schema`)),
    files: { '002_users.sql': USERS },
    args: ['migrate', '--lock-wait', '60s'],
    code: 1,
    deadlineMs: 20_000,
    message: /no schema to keep the tracking table schema_migrations in|schema_migrations/,
  },

  // ── content ─────────────────────────────────────────────────────────────
  {
    name: 'an empty file',
    category: 'content',
    files: { '002_empty.sql': '' },
    args: ['migrate'],
    code: 2,
    message: 'the -- UP part has no SQL (only comments or blank lines)',
  },
  {
    name: 'a file of blank lines',
    category: 'content',
    files: { '002_blank.sql': '\n \n\t\n' },
    args: ['migrate'],
    code: 2,
    message: 'the -- UP part has no SQL',
  },
  {
    name: 'a file of comments only',
    category: 'content',
    files: { '002_comments.sql': '-- just a note\n/* and another */\n' },
    args: ['plan'],
    code: 2,
    message: 'the -- UP part has no SQL',
  },
  {
    name: 'the template `pgshift create` writes, left as it is',
    category: 'content',
    prepare: async (ctx) => {
      const created = await runCliFully(['create', 'add orders', '--dir', ctx.dir]);
      if (created.code !== 0) throw new Error(created.stderr);
    },
    args: ['migrate'],
    code: 2,
    message: 'the -- UP part has no SQL',
  },
  {
    name: 'a NUL byte in a migration (refused before touching the database)',
    category: 'content',
    files: { '002_nul.sql': '-- UP\nCREATE TABLE nul_t (id int);\nSELECT 1;\0SELECT 2;\n' },
    args: ['migrate'],
    code: 2,
    message: /NUL|null byte|zero byte|\\0/i,
  },

  // ── sections ────────────────────────────────────────────────────────────
  {
    name: 'two -- UP markers',
    category: 'sections',
    files: { '002_twice.sql': '-- UP\nCREATE TABLE a (id int);\n-- UP\nCREATE TABLE b (id int);\n' },
    args: ['migrate'],
    code: 2,
    message: 'second -- UP marker (the first is on line 1)',
  },
  {
    name: 'two -- DOWN markers',
    category: 'sections',
    files: { '002_twice.sql': '-- UP\nCREATE TABLE a (id int);\n-- DOWN\nDROP TABLE a;\n-- DOWN\nDROP TABLE a;\n' },
    args: ['migrate'],
    code: 2,
    message: 'second -- DOWN marker',
  },
  {
    name: '-- DOWN above -- UP (must work: each part is found by its marker, as pycopg does)',
    category: 'sections',
    files: { '002_upside.sql': '-- DOWN\nDROP TABLE upside;\n-- UP\nCREATE TABLE upside (id int);\n' },
    args: ['migrate'],
    code: 0,
    message: /002_upside\.sql {2}applied/,
    effect: async (ctx, expect) => {
      await applied('upside', 2)(ctx, expect);
      const back = await runCliFully(['rollback', '--dir', ctx.dir], { env: { DATABASE_URL: ctx.url } });
      expect(back.code, back.stderr).toBe(0);
      expect(await tableExists(ctx.db, 'upside')).toBe(false);
    },
  },
  {
    name: 'a DOWN-only file',
    category: 'sections',
    files: { '002_down.sql': '-- DOWN\nDROP TABLE base;\n' },
    args: ['migrate'],
    code: 2,
    message: 'the file has a -- DOWN part but no -- UP part',
  },
  {
    name: 'SQL above -- UP',
    category: 'sections',
    files: { '002_stray.sql': 'DROP TABLE base;\n-- UP\nCREATE TABLE a (id int);\n' },
    args: ['migrate'],
    code: 2,
    message: 'SQL before -- UP would never run',
  },
  {
    name: 'a misspelt directive',
    category: 'sections',
    files: { '002_dir.sql': '-- pgshift:no-transactions\n-- UP\nCREATE TABLE a (id int);\n' },
    args: ['migrate'],
    code: 2,
    message: 'unknown directive "-- pgshift:no-transactions"',
  },
  {
    name: 'the no-transaction directive below -- UP',
    category: 'sections',
    files: { '002_dir.sql': '-- UP\n-- pgshift:no-transaction\nCREATE TABLE a (id int);\n' },
    args: ['migrate'],
    code: 2,
    message: '-- pgshift:no-transaction must come before -- UP',
  },

  // ── SQL ─────────────────────────────────────────────────────────────────
  {
    name: 'an unterminated dollar quote',
    category: 'SQL',
    files: { '002_fn.sql': '-- UP\nCREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $body$\nBEGIN\n  RETURN 1;\nEND;\n$bod$;\n' },
    args: ['migrate'],
    code: 2,
    message: 'unterminated dollar-quoted string $body$',
  },
  {
    name: 'an unterminated string',
    category: 'SQL',
    files: { '002_str.sql': "-- UP\nINSERT INTO base VALUES (2, 'it''s open);\nDROP TABLE base;\n" },
    args: ['migrate'],
    code: 2,
    message: 'unterminated quoted string',
  },
  {
    name: 'an unterminated quoted identifier',
    category: 'SQL',
    files: { '002_ident.sql': '-- UP\nCREATE TABLE "open (id int);\n' },
    args: ['migrate'],
    code: 2,
    message: 'unterminated quoted identifier',
  },
  {
    name: 'an unterminated block comment',
    category: 'SQL',
    files: { '002_comment.sql': '-- UP\nCREATE TABLE a (id int); /* DROP TABLE base;\n' },
    args: ['migrate'],
    code: 2,
    message: 'unterminated /* comment',
  },
  {
    name: 'a psql meta-command',
    category: 'SQL',
    files: { '002_include.sql': '-- UP\n\\i other.sql\n' },
    args: ['migrate'],
    code: 2,
    message: 'psql meta-command',
  },
  {
    name: 'pg_dump output with COPY ... FROM stdin data',
    category: 'SQL',
    files: { '002_copy.sql': '-- UP\nCOPY base (id, note) FROM stdin;\n2\tcopied\n\\.\n' },
    args: ['migrate'],
    code: 2,
    message: 'psql meta-command',
  },
  {
    name: 'a statement that fails at run time (rolled back)',
    category: 'SQL',
    files: { '002_fails.sql': "-- UP\nCREATE TABLE half (id int);\nINSERT INTO base VALUES (2, 'new');\nSELECT * FROM no_such_table;\n" },
    args: ['migrate'],
    code: 1,
    message: 'relation "no_such_table" does not exist',
  },

  // ── transaction control ────────────────────────────────────────────────
  {
    name: 'COMMIT inside a transactional migration',
    category: 'transaction control',
    files: { '002_commit.sql': '-- UP\nCREATE TABLE a (id int);\nCOMMIT;\nCREATE TABLE b (id int);\n' },
    args: ['migrate'],
    code: 2,
    message: '"COMMIT" would break the migration\'s own transaction',
  },
  {
    name: 'BEGIN inside a transactional migration',
    category: 'transaction control',
    files: { '002_begin.sql': '-- UP\nBEGIN;\nCREATE TABLE a (id int);\n' },
    args: ['migrate'],
    code: 2,
    message: '"BEGIN" would break the migration\'s own transaction',
  },
  {
    name: 'START TRANSACTION inside a transactional migration',
    category: 'transaction control',
    files: { '002_start.sql': '-- UP\nSTART TRANSACTION;\nCREATE TABLE a (id int);\n' },
    args: ['migrate'],
    code: 2,
    message: '"START TRANSACTION" would break',
  },
  {
    name: 'ROLLBACK inside a transactional migration',
    category: 'transaction control',
    files: { '002_rb.sql': '-- UP\nCREATE TABLE a (id int);\nROLLBACK;\n' },
    args: ['migrate'],
    code: 2,
    message: '"ROLLBACK" would break',
  },
  {
    name: 'lower-case commit after a comment',
    category: 'transaction control',
    files: { '002_commit.sql': '-- UP\nCREATE TABLE a (id int);\n/* done */ commit;\n' },
    args: ['migrate'],
    code: 2,
    message: '"COMMIT" would break',
  },
  {
    name: 'COMMIT inside a DO block (refused by the server, rolled back)',
    category: 'transaction control',
    files: { '002_do.sql': '-- UP\nCREATE TABLE a (id int);\nDO $$ BEGIN COMMIT; END $$;\nCREATE TABLE b (id int);\n' },
    args: ['migrate'],
    code: 1,
    message: 'invalid transaction termination',
  },
  {
    name: 'a COMMIT hidden by standard_conforming_strings = off on the database',
    category: 'transaction control',
    prepare: async (ctx) => void (await ctx.db.query(`ALTER DATABASE ${ctx.db.name} SET standard_conforming_strings = off`)),
    // With standard_conforming_strings off the server reads \' as a quote inside the string, so
    // the lexer and the server disagree on where the string ends and the COMMIT is real.
    files: { '002_hidden.sql': "-- UP\nCREATE TABLE half (id int);\nSELECT 'x\\''; COMMIT; SELECT '\\'';\nSELECT 1/0;\n" },
    args: ['migrate'],
    // Refused up front (2) or failed with its transaction rolled back (1); either way nothing may remain.
    code: [1, 2],
    message: /standard_conforming_strings|division by zero|syntax error/,
  },
  {
    name: 'a COMMIT hidden by SET standard_conforming_strings = off in an earlier migration of the run',
    category: 'transaction control',
    files: {
      '002_legacy.sql': '-- UP\nSET standard_conforming_strings = off;\nCREATE TABLE legacy (id int);\n',
      '003_hidden.sql': "-- UP\nCREATE TABLE half (id int);\nSELECT 'x\\''; COMMIT; SELECT '\\'';\nSELECT 1/0;\n",
    },
    args: ['migrate'],
    // One run: the SET lives in the session of the run that applied 002, so a second run would test something else.
    modes: ['human'],
    code: [1, 2],
    message: /standard_conforming_strings|division by zero|syntax error/,
    effect: async (ctx, expect) => {
      const tracked = await trackedVersions(ctx.db);
      expect(await tableExists(ctx.db, 'half'), 'a table created before the hidden COMMIT of the failed migration').toBe(false);
      expect(tracked).not.toContain(3);
      expect(await tableExists(ctx.db, 'legacy')).toBe(tracked.includes(2));
    },
  },
  {
    name: 'CREATE INDEX CONCURRENTLY in a transactional migration',
    category: 'transaction control',
    files: { '002_cic.sql': '-- UP\nCREATE INDEX CONCURRENTLY base_note ON base (note);\n' },
    args: ['migrate'],
    code: 2,
    message: '"CREATE INDEX CONCURRENTLY" cannot run inside a transaction',
  },
  {
    name: 'VACUUM in a transactional migration',
    category: 'transaction control',
    files: { '002_vacuum.sql': '-- UP\nVACUUM base;\n' },
    args: ['migrate'],
    code: 2,
    message: 'cannot run inside a transaction',
  },
  {
    name: 'COMMIT in the -- DOWN part',
    category: 'transaction control',
    files: { '002_down_commit.sql': '-- UP\nCREATE TABLE a (id int);\n-- DOWN\nDROP TABLE a;\nCOMMIT;\n' },
    args: ['migrate'],
    code: 2,
    message: '"COMMIT" would break',
  },
  {
    name: 'a 14-digit timestamp version on a tracking table whose version column is integer',
    category: 'file names',
    prepare: async (ctx) => void (await ctx.db.query('ALTER TABLE schema_migrations ALTER COLUMN version TYPE integer')),
    files: { '20240101120000_users.sql': USERS },
    args: ['migrate'],
    code: 1,
    message: 'does not fit the version column of schema_migrations',
  },

  // ── tracking table names ───────────────────────────────────────────────
  {
    name: 'table name with a quote-and-DROP injection',
    category: 'table name',
    args: ['migrate', '--table', 'x"; DROP TABLE base; --'],
    code: 2,
    message: 'invalid tracking table name',
  },
  {
    name: 'table name with a semicolon injection',
    category: 'table name',
    args: ['migrate', '--table', 'schema_migrations; DROP TABLE base'],
    code: 2,
    message: 'invalid tracking table name',
  },
  {
    name: 'table name with a comment and a parenthesis',
    category: 'table name',
    args: ['rollback', '--table', 'schema_migrations/**/(x)'],
    code: 2,
    message: 'invalid tracking table name',
  },
  {
    name: 'table name with two dots',
    category: 'table name',
    args: ['migrate', '--table', 'a.b.c'],
    code: 2,
    message: 'at most one dot (schema.table)',
  },
  {
    name: 'table name of 64 characters',
    category: 'table name',
    args: ['migrate', '--table', LONG_NAME_64],
    code: 2,
    message: "is longer than PostgreSQL's 63-character limit",
  },
  {
    name: 'schema name of 64 characters',
    category: 'table name',
    args: ['status', '--table', `${LONG_NAME_64}.schema_migrations`],
    code: 2,
    message: "is longer than PostgreSQL's 63-character limit",
  },
  { name: 'empty table name', category: 'table name', args: ['migrate', '--table', ''], code: 2, message: 'invalid tracking table name' },
  {
    name: 'table name with a non-ASCII letter',
    category: 'table name',
    args: ['migrate', '--table', 'migrations_é'],
    code: 2,
    message: 'invalid tracking table name',
  },
  {
    name: 'table name of exactly 63 characters (must work)',
    category: 'table name',
    noBaseline: true,
    files: { '001_users.sql': USERS },
    args: ['migrate', '--table', LONG_NAME_63],
    code: 0,
    message: /001_users\.sql {2}applied/,
    effect: async (ctx, expect) => expect(await trackedVersions(ctx.db, `"${LONG_NAME_63}"`)).toEqual([1]),
  },
  {
    name: 'reserved word as the table name (must work)',
    category: 'table name',
    noBaseline: true,
    files: { '001_users.sql': USERS },
    args: ['migrate', '--table', 'select'],
    code: 0,
    message: /001_users\.sql {2}applied/,
    effect: async (ctx, expect) => expect(await trackedVersions(ctx.db, '"select"')).toEqual([1]),
  },
  {
    name: 'reserved words as schema and table (must work)',
    category: 'table name',
    noBaseline: true,
    files: { '001_users.sql': USERS },
    args: ['migrate', '--table', 'order.user'],
    code: 0,
    message: /001_users\.sql {2}applied/,
    effect: async (ctx, expect) => expect(await trackedVersions(ctx.db, '"order"."user"')).toEqual([1]),
  },

  // ── arguments ───────────────────────────────────────────────────────────
  {
    name: '--steps 0',
    category: 'arguments',
    args: ['rollback', '--steps', '0'],
    code: 2,
    message: '--steps must be a whole number ≥ 1, got "0"',
  },
  {
    name: '--steps -1',
    category: 'arguments',
    args: ['rollback', '--steps', '-1'],
    code: 2,
    message: '--steps must be a whole number ≥ 1, got "-1"',
  },
  { name: '--steps 1.5', category: 'arguments', args: ['rollback', '--steps', '1.5'], code: 2, message: 'got "1.5"' },
  { name: '--steps abc', category: 'arguments', args: ['rollback', '--steps=abc'], code: 2, message: 'got "abc"' },
  {
    name: '--steps beyond 2^53',
    category: 'arguments',
    args: ['rollback', '--steps', '99999999999999999999'],
    code: 2,
    message: 'got "99999999999999999999"',
  },
  {
    name: '--target -1',
    category: 'arguments',
    args: ['migrate', '--target', '-1'],
    code: 2,
    message: '--target must be a whole number ≥ 0, got "-1"',
  },
  { name: '--target 2.0', category: 'arguments', args: ['rollback', '--target', '2.0'], code: 2, message: 'got "2.0"' },
  { name: '--target 0x10', category: 'arguments', args: ['plan', '--target', '0x10'], code: 2, message: 'got "0x10"' },
  { name: '--target with an empty value', category: 'arguments', args: ['migrate', '--target='], code: 2, message: 'got ""' },
  {
    name: '--target 0 on migrate applies nothing (valid)',
    category: 'arguments',
    files: { '002_users.sql': USERS },
    args: ['migrate', '--target', '0'],
    code: 0,
    message: /Nothing to apply|"ok": true/,
  },
  {
    name: '--steps on migrate',
    category: 'arguments',
    args: ['migrate', '--steps', '2'],
    code: 2,
    message: '--steps is only for rollback',
  },
  {
    name: '--target and --steps together',
    category: 'arguments',
    args: ['rollback', '--target', '1', '--steps', '1'],
    code: 2,
    message: '--target and --steps cannot be used together',
  },
  { name: 'an unknown flag', category: 'arguments', args: ['migrate', '--frobnicate'], code: 2, message: 'unknown option --frobnicate' },
  {
    name: 'a misspelt flag',
    category: 'arguments',
    args: ['migrate', '--dri', 'x'],
    code: 2,
    message: 'unknown option --dri (did you mean --dir?)',
  },
  { name: 'an unknown short flag', category: 'arguments', args: ['migrate', '-x'], code: 2, message: 'unknown option -x' },
  {
    name: 'a value given to a boolean flag',
    category: 'arguments',
    args: ['migrate', '--strict-order=yes'],
    code: 2,
    message: '--strict-order',
    notMessage: 'did you mean --strict-order?',
  },
  {
    name: 'an unknown command',
    category: 'arguments',
    args: ['migrat'],
    code: 2,
    message: 'unknown command "migrat" (did you mean migrate?)',
  },
  { name: 'no command', category: 'arguments', args: [], code: 2, message: 'no command given' },
  { name: 'an extra argument', category: 'arguments', args: ['migrate', 'now'], code: 2, message: 'unexpected argument "now"' },
  {
    name: '--dir without its value',
    category: 'arguments',
    dirArgs: () => [],
    args: ['migrate', '--dir'],
    code: 2,
    message: '--dir needs a value',
  },
  {
    name: '--lock-wait that is not a duration',
    category: 'arguments',
    args: ['migrate', '--lock-wait', 'forever'],
    code: 2,
    message: '--lock-wait must be a duration',
  },
  {
    name: '--statement-timeout that is negative',
    category: 'arguments',
    args: ['migrate', '--statement-timeout', '-5s'],
    code: 2,
    message: '--statement-timeout must be a duration',
  },

  // ── connection ──────────────────────────────────────────────────────────
  {
    name: 'no connection at all',
    category: 'connection',
    connection: null,
    args: ['migrate'],
    code: 2,
    message: 'no database to connect to',
  },
  {
    name: 'connection refused',
    category: 'connection',
    connection: (ctx) => swapHost(ctx.url, `127.0.0.1:${ctx.ports.closed}`),
    args: ['migrate'],
    code: 1,
    message: 'connection refused',
  },
  {
    name: 'unknown host (.invalid)',
    category: 'connection',
    connection: (ctx) => swapHost(ctx.url, 'db.pgshift-reliability.invalid:5432'),
    args: ['migrate'],
    code: 1,
    message: /unknown host|could not be resolved/,
  },
  {
    name: 'a database that does not exist',
    category: 'connection',
    connection: (ctx) => ctx.url.replace(/\/[^/?]+(\?|$)/, '/pgshift_rel_missing$1'),
    args: ['status'],
    code: 1,
    message: 'database "pgshift_rel_missing" does not exist',
  },
  {
    name: 'a user that does not exist',
    category: 'connection',
    connection: (ctx) => ctx.url.replace(/\/\/[^:]+:/, '//rel_nobody_here:'),
    args: ['migrate'],
    code: 1,
    message: /role "rel_nobody_here" does not exist|password authentication failed for user "rel_nobody_here"/,
  },
  {
    name: 'a wrong password (password authentication)',
    category: 'connection',
    connection: (ctx) => ctx.wrongPasswordUrl,
    secrets: (ctx) => [ctx.wrongPassword],
    args: ['migrate'],
    code: 1,
    message: /password authentication failed for user "rel_secret_[0-9a-f]+"/,
  },
  {
    name: 'a server that closes the connection on accept',
    category: 'connection',
    connection: (ctx) => swapHost(ctx.url, `127.0.0.1:${ctx.ports.closeOnAccept}`),
    args: ['migrate'],
    code: 1,
    message: 'the server closed the connection',
  },
  {
    name: 'a server that closes mid-handshake',
    category: 'connection',
    connection: (ctx) => swapHost(ctx.url, `127.0.0.1:${ctx.ports.closeAfterStartup}`),
    args: ['status'],
    code: 1,
    message: 'the server closed the connection',
  },
  {
    name: 'a server that answers the handshake with garbage',
    category: 'connection',
    connection: (ctx) => swapHost(ctx.url, `127.0.0.1:${ctx.ports.garbage}`),
    args: ['migrate'],
    code: 1,
    message: /cannot connect to 127\.0\.0\.1:\d+\/pgshift_rel_[0-9a-f]+: /,
  },
  {
    name: 'a URL with a port out of range',
    category: 'connection',
    connection: (ctx) => swapHost(ctx.url, '127.0.0.1:99999'),
    args: ['migrate'],
    code: 1,
    message: 'cannot connect to',
  },

  // ── size ────────────────────────────────────────────────────────────────
  {
    name: 'a 50 MB migration (one 50 MB string) (must work)',
    category: 'size',
    files: {
      '002_big.sql': `-- UP\nCREATE TABLE big (v text);\nINSERT INTO big VALUES ('${'x'.repeat(FIFTY_MB)}');\n-- DOWN\nDROP TABLE big;\n`,
    },
    args: ['migrate'],
    code: 0,
    message: /002_big\.sql {2}applied/,
    effect: async (ctx, expect) => {
      const [row] = await ctx.db.query<{ n: number }>('SELECT length(v) AS n FROM big');
      expect(row?.n).toBe(FIFTY_MB);
      await cleanStatus(ctx, expect);
    },
  },
  {
    name: 'a 50 MB migration of 1.2 million short statements is checked (validate)',
    category: 'size',
    files: {
      '002_many.sql': `-- UP\n${"INSERT INTO base VALUES (1, 'abcdefghijklmnopqrstuvwxyz0123456');\n".repeat(Math.ceil(FIFTY_MB / 58))}`,
    },
    args: ['validate'],
    modes: ['human'],
    deadlineMs: 45_000,
    code: 0,
    // Valid; its one warning is the missing DOWN part.
    message: 'valid, with warnings',
  },
];

/** The URL with another host:port, the credentials kept (so a leak would show). */
function swapHost(url: string, hostPort: string): string {
  return url.replace(/@[^/]+\//, `@${hostPort}/`);
}
