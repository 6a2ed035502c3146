/**
 * Secrets: the password must appear in no output, in no form (raw,
 * URL-encoded, decoded, JSON-escaped, or any fragment holding its marker).
 * The bad-input suite already runs each of its failing paths with the secret;
 * this file adds the ways a password reaches pgshift badly written (not
 * URL-encoded, in a libpq key=value string, in PG* variables) and the
 * GitHub Action's log, outputs, job summary and PR comment.
 */
import { existsSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import {
  ACTION,
  pullRequestEvent,
  pushEvent,
  runAction,
  workflowDispatchEvent,
  type ActionRun,
  type GitHubEvent,
} from '../support/action.js';
import { startEmbedded } from '../support/embedded.mjs';
import { startFakeGitHub, type FakeGitHub } from '../support/fake-github.js';
import { Figures } from '../support/reliability-figures.js';
import { createSecretRole, holdAdvisoryLock, newDatabase, type RelDatabase } from '../support/reliability-db.js';
import { GATE } from '../support/reliability-migrations.js';
import {
  SECRET,
  SECRET_TOKEN,
  brokenServer,
  closedPort,
  leaks,
  openMigrationsDir,
  runCliFully,
  startCli,
  waitUntil,
  removeTempDirs,
  takeLaunched,
  withCredentials,
} from '../support/reliability.js';

const figures = new Figures('secrets');
const USERS = '-- UP\nCREATE TABLE users (id int PRIMARY KEY);\n-- DOWN\nDROP TABLE users;\n';

let db: RelDatabase;
let role: Awaited<ReturnType<typeof createSecretRole>>;
let embedded: { url: string; stop: () => Promise<void> };
let embeddedRole: Awaited<ReturnType<typeof createSecretRole>>;
let closed: number;
let garbage: Awaited<ReturnType<typeof brokenServer>>;

beforeAll(async () => {
  db = await newDatabase();
  role = await createSecretRole();
  embedded = await startEmbedded();
  embeddedRole = await createSecretRole(SECRET, embedded.url);
  closed = await closedPort();
  garbage = await brokenServer('garbage');
}, 120_000);

afterAll(async () => {
  figures.save();
  await removeTempDirs();
  await takeLaunched();
  await garbage?.close();
  await db?.drop();
  await role?.drop();
  await embeddedRole?.drop().catch(() => {});
  await embedded?.stop();
});

const host = () => new URL(db.url).host;

interface Shape {
  readonly name: string;
  /** The password as the user meant it. */
  readonly password: string;
  /** The connection as the user wrote it: a URL or key=value string, or PG* variables. */
  readonly connection: () => { url?: string; env?: Record<string, string> };
}

/** Ways to hand pgshift a password full of special characters, most of them wrong, all of them failing. */
const SHAPES: readonly Shape[] = [
  {
    name: 'URL-encoded password, database missing',
    password: SECRET,
    connection: () => ({ url: withCredentials(`postgres://${host()}/pgshift_rel_missing`, role.role, SECRET) }),
  },
  {
    name: 'not encoded: digits then "/" (parses as host:port/path)',
    password: `2024/${SECRET_TOKEN}!`,
    connection: () => ({ url: `postgres://deploy.invalid:2024/${SECRET_TOKEN}!@${host()}/${db.name}` }),
  },
  {
    name: 'not encoded: "/" after letters',
    password: `${SECRET_TOKEN}/x!`,
    connection: () => ({ url: `postgres://${role.role}:${SECRET_TOKEN}/x!@${host()}/${db.name}` }),
  },
  {
    name: 'not encoded: "#"',
    password: `${SECRET_TOKEN}#frag`,
    connection: () => ({ url: `postgres://${role.role}:${SECRET_TOKEN}#frag@${host()}/${db.name}` }),
  },
  {
    name: 'not encoded: "?"',
    password: `${SECRET_TOKEN}?a=b`,
    connection: () => ({ url: `postgres://${role.role}:${SECRET_TOKEN}?a=b@${host()}/${db.name}` }),
  },
  {
    name: 'not encoded: "@", database missing',
    password: `${SECRET_TOKEN}@x`,
    connection: () => ({ url: `postgres://${role.role}:${SECRET_TOKEN}@x@${host()}/pgshift_rel_missing` }),
  },
  {
    name: 'not encoded: "%" not followed by hex',
    password: `100%${SECRET_TOKEN}`,
    connection: () => ({ url: `postgres://${role.role}:100%${SECRET_TOKEN}@${host()}/pgshift_rel_missing` }),
  },
  {
    name: 'not encoded: spaces and quotes, connection refused',
    password: `${SECRET_TOKEN} "quoted" 'too'`,
    connection: () => ({ url: `postgres://${role.role}:${SECRET_TOKEN} "quoted" 'too'@127.0.0.1:${closed}/${db.name}` }),
  },
  {
    name: 'encoded password, server answering with garbage',
    password: SECRET,
    connection: () => ({ url: withCredentials(`postgres://127.0.0.1:${garbage.port}/${db.name}`, role.role, SECRET) }),
  },
  {
    name: 'libpq key=value string',
    password: `${SECRET_TOKEN} @:/?#`,
    connection: () => ({ url: `host=127.0.0.1 port=${closed} dbname=${db.name} user=${role.role} password='${SECRET_TOKEN} @:/?#'` }),
  },
  {
    name: 'PGPASSWORD with PGHOST and a refused port',
    password: SECRET,
    connection: () => ({
      env: { PGHOST: '127.0.0.1', PGPORT: String(closed), PGUSER: role.role, PGDATABASE: db.name, PGPASSWORD: SECRET },
    }),
  },
  {
    name: 'PGPASSWORD with a missing PGDATABASE',
    password: SECRET,
    connection: () => ({
      env: {
        PGHOST: '127.0.0.1',
        PGPORT: new URL(db.url).port || '5432',
        PGUSER: role.role,
        PGDATABASE: 'pgshift_rel_missing',
        PGPASSWORD: SECRET,
      },
    }),
  },
  {
    name: 'wrong password (password authentication), encoded',
    password: `Wr0ng-${SECRET}`,
    connection: () => ({ url: withCredentials(embedded.url, embeddedRole.role, `Wr0ng-${SECRET}`) }),
  },
];

describe.concurrent('the CLI never prints the password', () => {
  for (const shape of SHAPES) {
    const title = `CLI: ${shape.name}`;
    it(title, async ({ expect }) => {
      figures.describe(
        title,
        'Secrets (CLI)',
        'status and migrate, each human and --json',
        'the command fails (exit 1 or 2) and no form of the password appears on stdout or stderr',
      );
      const { dir } = await openMigrationsDir({ '001_users.sql': USERS });
      const { url, env = {} } = shape.connection();
      for (const command of ['status', 'migrate']) {
        for (const json of [false, true]) {
          const args = [command, '--dir', dir, ...(json ? ['--json'] : [])];
          // Half the runs take the URL from --database-url, half from DATABASE_URL.
          const run =
            url === undefined
              ? await runCliFully(args, { env })
              : json
                ? await runCliFully([...args, '--database-url', url], { env })
                : await runCliFully(args, { env: { ...env, DATABASE_URL: url } });
          figures.add(title, 'runs');
          expect([1, 2], `${args.join(' ')}\n${run.stdout}\n${run.stderr}`).toContain(run.code);
          expect(leaks({ stdout: run.stdout, stderr: run.stderr }, [shape.password, SECRET]), `${run.stdout}\n${run.stderr}`).toEqual([]);
        }
      }
    });
  }
});

/** The action runs only when its bundle is real (someone else may be rebuilding it). */
const actionBuilt = existsSync(ACTION) && readFileSync(ACTION, 'utf8').length > 10_000;

describe.skipIf(!actionBuilt)('the action never writes the password', () => {
  let github: FakeGitHub;
  beforeAll(async () => {
    github = await startFakeGitHub();
  });
  afterAll(async () => github?.close());

  interface Scenario {
    readonly name: string;
    readonly files: Record<string, string>;
    readonly event: () => GitHubEvent;
    readonly inputs?: Record<string, string>;
    readonly connection: (own: RelDatabase) => string;
    readonly password: string;
    /** Runs before the step under test (apply first, hold the lock, ...); returns a cleanup. */
    readonly before?: (own: RelDatabase, dir: string, step: () => Promise<ActionRun>) => Promise<(() => Promise<void>) | void>;
  }
  const secretUrl = (own: RelDatabase) => role.url(own.name);
  const BROKEN = '-- UP\nCREATE TABLE broken (id int);\nSELECT no_such_function();\n';
  const SCENARIOS: readonly Scenario[] = [
    {
      name: 'plan on a pull request with a file that cannot run',
      files: { '001_users.sql': USERS, '002_commit.sql': '-- UP\nCOMMIT;\n' },
      event: () => pullRequestEvent(41),
      inputs: { command: 'plan' },
      connection: secretUrl,
      password: SECRET,
    },
    {
      name: 'migrate on push with a failing migration',
      files: { '001_users.sql': USERS, '002_broken.sql': BROKEN },
      event: () => pushEvent('main'),
      connection: secretUrl,
      password: SECRET,
    },
    {
      name: 'migrate on push, connection refused',
      files: { '001_users.sql': USERS },
      event: () => pushEvent('main'),
      connection: (own) => secretUrl(own).replace(/@[^/]+\//, `@127.0.0.1:${closed}/`),
      password: SECRET,
    },
    {
      name: 'plan on a pull request, database missing',
      files: { '001_users.sql': USERS },
      event: () => pullRequestEvent(42),
      inputs: { command: 'plan' },
      connection: () => role.url('pgshift_rel_missing'),
      password: SECRET,
    },
    {
      name: 'migrate on push, wrong password',
      files: { '001_users.sql': USERS },
      event: () => pushEvent('main'),
      connection: () => withCredentials(embedded.url, embeddedRole.role, `Wr0ng-${SECRET}`),
      password: `Wr0ng-${SECRET}`,
    },
    {
      name: 'rollback from workflow_dispatch on a drifted history',
      files: { '001_users.sql': USERS },
      event: () => workflowDispatchEvent({}),
      inputs: { command: 'rollback' },
      connection: secretUrl,
      password: SECRET,
      before: async (own, dir) => {
        const first = await runCliFully(['migrate', '--dir', dir], { env: { DATABASE_URL: own.url } });
        if (first.code !== 0) throw new Error(first.stderr);
        await writeFile(join(dir, '001_users.sql'), USERS.replace('PRIMARY KEY', 'PRIMARY KEY, edited int'));
      },
    },
    {
      name: 'migrate on push that cannot get the lock',
      files: { '001_gate.sql': `-- UP\nSELECT pg_advisory_xact_lock_shared(${GATE});\nCREATE TABLE gated (id int);\n` },
      event: () => pushEvent('main'),
      inputs: { 'lock-wait': '1s' },
      connection: secretUrl,
      password: SECRET,
      before: async (own, dir) => {
        const gate = await holdAdvisoryLock(own.url, GATE);
        const holder = startCli(['migrate', '--dir', dir], { env: { DATABASE_URL: own.url } });
        await waitUntil(
          async () => (await own.sessions('pgshift')).some((s) => s.wait_event === 'advisory'),
          'a holder parked in its migration',
        );
        return async () => {
          await gate.release();
          await holder.done;
        };
      },
    },
    {
      name: 'migrate on push with a password not URL-encoded (digits then "/")',
      files: { '001_users.sql': USERS },
      event: () => pushEvent('main'),
      connection: (own) => `postgres://deploy.invalid:2024/${SECRET_TOKEN}!@${host()}/${own.name}`,
      password: `2024/${SECRET_TOKEN}!`,
    },
  ];

  for (const scenario of SCENARIOS) {
    const title = `action: ${scenario.name}`;
    it(title, async ({ expect }) => {
      figures.describe(
        title,
        'Secrets (action)',
        'one run of the action bundle (dist/index.js) with a fake GitHub API',
        'the step fails, and no form of the password is in the log, stderr, the outputs file, the job summary, the PR comment or any request to GitHub',
      );
      const own = await newDatabase();
      try {
        const { dir } = await openMigrationsDir(scenario.files);
        const workspace = dirname(dir);
        const requestsBefore = github.requests.length;
        const step = () =>
          runAction({
            workspace,
            event: scenario.event(),
            inputs: {
              connection: scenario.connection(own),
              dir: 'migrations',
              'github-token': 'ghs_reliabilityToken0123456789',
              ...scenario.inputs,
            },
            env: { GITHUB_API_URL: github.url },
          });
        const cleanup = await scenario.before?.(own, dir, step);
        const run = await step();
        if (cleanup) await cleanup();
        figures.add(title, 'runs');
        expect(run.code, run.stdout).toBe(1);
        const requests = github.requests.slice(requestsBefore);
        const places: Record<string, string> = { log: run.log, stderr: run.stderr, outputs: run.outputFile, summary: run.summary };
        requests.forEach((r, i) => (places[`request ${i} ${r.method} ${r.url}`] = r.body));
        for (const [issue, comments] of github.comments) comments.forEach((c, i) => (places[`comment ${i} on #${issue}`] = c.body));
        expect(leaks(places, [scenario.password, SECRET]), run.log).toEqual([]);
      } finally {
        await own.drop();
      }
    });
  }
});
