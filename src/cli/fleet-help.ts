/** `pgshift fleet --help`. */
export const fleetHelp = (): string => `pgshift fleet: many databases (or schemas) migrated by the same engine, in waves

Usage: pgshift fleet <command> [options]

Commands:
  status              every target's version, as a histogram ("48 at 3, 2 at 2"); read-only
  plan                what migrate would apply where; read-only
  migrate             apply pending migrations, wave by wave (pgshift.json "waves"; default:
                      one canary, then 10 %, then the rest); writes a run ledger
  rollback            undo one migration on every target (refused when they disagree),
                      or down to --target <version>
  wait --at-least <v> exit 0 once every target (or --select) has version v; 3 at --timeout
  shard --shards <n>  print the GitHub matrix for n shards: {"shard":["1/n",...]}
  report <ledger ...> merge run ledgers into one summary (text, --json or --markdown);
                      appended to $GITHUB_STEP_SUMMARY in GitHub Actions

Targets (one of):
  pgshift.json "targets": [{ "id": "acme", "urlEnv": "ACME_DATABASE_URL", "schema": "tenant_acme",
                             "labels": { "tier": "canary" } }]
  --targets <file>          a JSON file with that list (or { "targets": [...] })
  --targets-sql <query>     rows of id, url_env, schema, labels (json), read on --database-url

Options:
  --concurrency <n>         targets at once, for waves without their own (default: 8)
  --per-server <n>          targets at once on one server, each holding up to 2 connections
                            (default: 10)
  --shard <i/n>             only shard i of n (a stable partition by the targets' ids)
  --resume <run id>         migrate, rollback: run again the failed and not-started targets of
                            that run, in its ledger; skip the done ones
  --ledger-dir <dir>        where run ledgers are written (default: .pgshift/runs;
                            PGSHIFT_LEDGER_DIR; pgshift.json "fleet": { "ledgerDir" })
  --target <version>        migrate, plan: up to this version; rollback: down to it
  --at-least <version>      wait: the version every target must have
  --timeout <duration>      wait: how long before exit 3 (default: 10min)
  --interval <duration>     wait: how often to look (default: 2s)
  --select <label=value,…>  wait: only targets with these labels
  --check                   status: exit 3 when a target has a pending migration
  --json                    one JSON document on stdout (the run id and ledger too)
  --database-url <url>      the connection of targets without urlEnv, and --targets-sql's
  Settings as for one database: --dir, --table, --lock-wait, --lock-timeout, --lock-retries,
  --statement-timeout, --strict-order, --config

Exit codes: 0 every target done (reached, up to date); 1 a target failed or a problem;
2 bad usage or targets; 3 status --check: pending somewhere; wait: not reached in time.`;
