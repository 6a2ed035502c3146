// Command-line flags and environment variables of the benchmark.

export const USAGE = `Usage: node bench/run.mjs [options]   (or: npm run bench -- [options])

  --quick              N = 10 and 50, 2 rounds, 2 start-up samples per round
  --n 100,1000         migration counts to apply            (env BENCH_N)
  --rounds 11          interleaved rounds                   (env BENCH_ROUNDS)
  --startup-reps 3     start-up (--version) samples per round
  --warmups 3          untimed applies at the start of each apply phase (see lib/phases.mjs)
  --status-files 10000 migration files for the status run    (env BENCH_STATUS_FILES)
  --only a,b           run only these peers: node-pg-migrate, node-pg-migrate-tx, postgrator,
                       dbmate, dbmate-nodump (the floors and pgshift always run)
  --async-commit       set synchronous_commit=off on each benchmark database: takes the
                       disk's flush latency (and much of its noise) out, leaving the tools' own cost
  --budget 14          minutes: no new round starts when it would end past this (env BENCH_BUDGET_MINUTES)
  --no-counts          skip the untimed message-counting pass through the proxy
  --verify-rounds 5    rounds of the verify scenario (a base of 200 migrations, 5 new ones)
  --verify-only        run only the verify scenario and print it (written with --out only)
  --fleet-rounds 3     rounds of the fleet scenario (200 databases and 1,000 schemas, 5 migrations;
                       pgshift fleet migrate against a shell loop of pgshift migrate)
  --fleet-loop-rounds 1  of those, the rounds that also run the loop (long: a process per target)
  --fleet-concurrency 1,8,16,32   the concurrencies of fleet migrate
  --fleet-databases 200 --fleet-schemas 1000   the fleet scenario's size
  --fleet-only         run only the fleet scenario; replaces the fleet section of the results
                       file (bench/results.md unless --out), leaving the others as they are
  --no-fleet           skip the fleet scenario in a full run
  --noop-only          run only the start-up pairs: the no-op migrate (N of --n) against the
                       Node + pg floor, lint of one file and --version against node -e "";
                       --noop-reps runs of each (default 41), printed (written with --out only)
  --noop-reps 41       runs of each start-up pair with --noop-only
  --out FILE           where to write the markdown (default bench/results.md; '-' for none)
  -h, --help           this help

Database: BENCH_DATABASE_URL, else DATABASE_URL, else postgres://postgres@127.0.0.1:5432/postgres.
Each measured run gets a freshly created database on that server (creation is not timed).`;

const DEFAULTS = { n: [100, 1000], rounds: 11, startupReps: 3, statusFiles: 10_000, verifyRounds: 5, fleetRounds: 3 };
const QUICK = { n: [10, 50], rounds: 2, startupReps: 2, statusFiles: 10_000, verifyRounds: 2, fleetRounds: 1 };

function positiveInt(text, what) {
  const value = Number(text);
  if (!/^\d+$/.test(String(text).trim()) || !Number.isSafeInteger(value) || value < 1) {
    throw new Error(`${what} must be a whole number ≥ 1, got "${text}"`);
  }
  return value;
}

function intList(text, what) {
  const values = String(text)
    .split(',')
    .map((part) => positiveInt(part, what));
  if (values.length === 0) throw new Error(`${what} needs at least one value`);
  return [...new Set(values)].sort((a, b) => a - b);
}

/** argv (without `node run.mjs`) and env → settings. Throws with a readable message on bad input. */
export function parseOptions(argv, env) {
  const quick = argv.includes('--quick') || env.BENCH_QUICK === '1';
  const base = quick ? QUICK : DEFAULTS;
  const settings = {
    quick,
    n: env.BENCH_N ? intList(env.BENCH_N, 'BENCH_N') : base.n,
    rounds: env.BENCH_ROUNDS ? positiveInt(env.BENCH_ROUNDS, 'BENCH_ROUNDS') : base.rounds,
    startupReps: base.startupReps,
    statusFiles: env.BENCH_STATUS_FILES ? positiveInt(env.BENCH_STATUS_FILES, 'BENCH_STATUS_FILES') : base.statusFiles,
    only: undefined,
    counts: true,
    verifyRounds: base.verifyRounds,
    verifyOnly: false,
    fleetRounds: base.fleetRounds,
    fleetLoopRounds: 1,
    fleetConcurrency: [1, 8, 16, 32],
    fleetDatabases: 200,
    fleetSchemas: 1000,
    fleetOnly: false,
    fleet: true,
    noopOnly: false,
    noopReps: 41,
    warmups: 3,
    asyncCommit: false,
    budgetMinutes: env.BENCH_BUDGET_MINUTES ? positiveInt(env.BENCH_BUDGET_MINUTES, 'BENCH_BUDGET_MINUTES') : 14,
    out: undefined,
    help: false,
    databaseUrl: env.BENCH_DATABASE_URL || env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres',
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--quick':
        break;
      case '--n':
        settings.n = intList(value(), '--n');
        break;
      case '--rounds':
        settings.rounds = positiveInt(value(), '--rounds');
        break;
      case '--warmups':
        settings.warmups = Number(value());
        if (!Number.isSafeInteger(settings.warmups) || settings.warmups < 0) throw new Error('--warmups must be a whole number ≥ 0');
        break;
      case '--startup-reps':
        settings.startupReps = positiveInt(value(), '--startup-reps');
        break;
      case '--status-files':
        settings.statusFiles = positiveInt(value(), '--status-files');
        break;
      case '--only':
        settings.only = value()
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean);
        break;
      case '--async-commit':
        settings.asyncCommit = true;
        break;
      case '--budget':
        settings.budgetMinutes = positiveInt(value(), '--budget');
        break;
      case '--no-counts':
        settings.counts = false;
        break;
      case '--verify-rounds':
        settings.verifyRounds = positiveInt(value(), '--verify-rounds');
        break;
      case '--verify-only':
        settings.verifyOnly = true;
        break;
      case '--fleet-rounds':
        settings.fleetRounds = positiveInt(value(), '--fleet-rounds');
        break;
      case '--fleet-loop-rounds':
        settings.fleetLoopRounds = positiveInt(value(), '--fleet-loop-rounds');
        break;
      case '--fleet-concurrency':
        settings.fleetConcurrency = intList(value(), '--fleet-concurrency');
        break;
      case '--fleet-databases':
        settings.fleetDatabases = positiveInt(value(), '--fleet-databases');
        break;
      case '--fleet-schemas':
        settings.fleetSchemas = positiveInt(value(), '--fleet-schemas');
        break;
      case '--fleet-only':
        settings.fleetOnly = true;
        break;
      case '--no-fleet':
        settings.fleet = false;
        break;
      case '--noop-only':
        settings.noopOnly = true;
        break;
      case '--noop-reps':
        settings.noopReps = positiveInt(value(), '--noop-reps');
        break;
      case '--out':
        settings.out = value();
        break;
      case '-h':
      case '--help':
        settings.help = true;
        break;
      default:
        throw new Error(`unknown option ${arg} (try --help)`);
    }
  }
  return settings;
}
