/**
 * Bad input: one test per entry of bad-input.cases.ts. Each case gets its
 * own database copied from a template where 001_base.sql is applied, runs
 * the built CLI twice (human output with DATABASE_URL, then --json with
 * --database-url), each time as a role whose password is full of
 * URL-special characters, and checks the exit code, the message, that no
 * form of the password was printed, and that a dump of the database is the
 * same before and after (or, for inputs that must work, what changed).
 */
import { chmod, rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { startEmbedded } from '../support/embedded.mjs';
import { Figures } from '../support/reliability-figures.js';
import { createSecretRole, newDatabase, type RelDatabase } from '../support/reliability-db.js';
import {
  SECRET,
  brokenServer,
  closedPort,
  leaks,
  openMigrationsDir,
  runCliFully,
  unprivileged,
  removeTempDirs,
  takeLaunched,
  withCredentials,
} from '../support/reliability.js';
import { BASELINE, CASES, type CaseContext } from './bad-input.cases.js';

const figures = new Figures('bad-input');
const WRONG_PASSWORD = `Wr0ng-${SECRET}`;

let template: RelDatabase;
let role: Awaited<ReturnType<typeof createSecretRole>>;
let embedded: { url: string; stop: () => Promise<void> };
let embeddedRole: Awaited<ReturnType<typeof createSecretRole>>;
let servers: Awaited<ReturnType<typeof brokenServer>>[] = [];
let ports: CaseContext['ports'];

beforeAll(async () => {
  template = await newDatabase({ prefix: 'pgshift_reltpl' });
  const { dir } = await openMigrationsDir(BASELINE);
  const seeded = await runCliFully(['migrate', '--dir', dir], { env: { DATABASE_URL: template.url } });
  if (seeded.code !== 0) throw new Error(`seeding the template failed: ${seeded.stderr}`);
  const [server] = await template.query<{ v: string }>(`SELECT 'PostgreSQL ' || current_setting('server_version') AS v`);
  figures.fact('server', server?.v ?? 'unknown');
  figures.fact('database', process.env.DATABASE_URL ? 'DATABASE_URL' : 'the embedded PostgreSQL of the test setup');
  await template.close();
  role = await createSecretRole();
  embedded = await startEmbedded();
  embeddedRole = await createSecretRole(SECRET, embedded.url);
  servers = [await brokenServer('close-on-accept'), await brokenServer('close-after-startup'), await brokenServer('garbage')];
  ports = { closed: await closedPort(), closeOnAccept: servers[0]!.port, closeAfterStartup: servers[1]!.port, garbage: servers[2]!.port };
}, 120_000);

afterAll(async () => {
  figures.save();
  await removeTempDirs();
  await takeLaunched();
  await Promise.all(servers.map((s) => s.close()));
  await template?.drop();
  await role?.drop();
  await embeddedRole?.drop().catch(() => {});
  await embedded?.stop();
});

/** Every `message` in a JSON document (the error's, its problems', a validation's problems'). */
function messages(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(messages);
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, v]) => (key === 'message' && typeof v === 'string' ? [v] : messages(v)));
  }
  return [];
}

describe.concurrent('bad input', () => {
  for (const [index, c] of CASES.entries()) {
    it(c.name, async ({ expect }) => {
      const db = await newDatabase({ template: template.name });
      const { root, dir } = await openMigrationsDir(c.noBaseline ? (c.files ?? {}) : { ...BASELINE, ...c.files });
      const ctx: CaseContext = {
        db,
        root,
        dir,
        url: role.url(db.name),
        ports,
        wrongPasswordUrl: withCredentials(embedded.url, embeddedRole.role, WRONG_PASSWORD),
        wrongPassword: WRONG_PASSWORD,
      };
      const modes = c.modes ?? ['human', 'json'];
      const codes: readonly number[] = typeof c.code === 'number' ? [c.code] : c.code;
      figures.badInput({
        index,
        test: c.name,
        name: c.name,
        category: c.category,
        code: codes.join(' or '),
        message: String(c.message),
        runs: modes.length,
      });
      try {
        await c.prepare?.(ctx);
        const before = await db.dump();
        const url = c.connection === null ? undefined : (c.connection ?? ((x: CaseContext) => x.url))(ctx);
        for (const mode of modes) {
          const args = [...c.args, ...(c.dirArgs ? c.dirArgs(ctx) : ['--dir', dir])];
          const env: Record<string, string> = {};
          if (mode === 'json') args.push('--json', ...(url === undefined ? [] : ['--database-url', url]));
          else if (url !== undefined) env.DATABASE_URL = url;
          const deadlineMs = c.deadlineMs ?? 60_000;
          const run = await runCliFully(args, { env, deadlineMs, ...(c.unprivileged && unprivileged()) });
          const shown = `${mode} run of pgshift ${args.join(' ')}\nexit ${run.code}\nstdout: ${run.stdout.slice(0, 3000)}\nstderr: ${run.stderr.slice(0, 3000)}`;
          expect(run.hung, `${mode}: still running after ${deadlineMs / 1000} s, killed`).toBe(false);
          expect(codes, shown).toContain(run.code);
          let text = run.stdout + run.stderr;
          if (mode === 'json') {
            let doc: Record<string, unknown>;
            try {
              doc = JSON.parse(run.stdout) as Record<string, unknown>;
            } catch {
              throw new Error(`--json printed no JSON document\n${shown}`);
            }
            if (run.code === 0) {
              if ('ok' in doc) expect(doc.ok, shown).toBe(true);
              text = '';
            } else {
              text = messages(doc).join('\n');
            }
          }
          if (text !== '') {
            if (typeof c.message === 'string') expect(text, shown).toContain(c.message);
            else expect(text, shown).toMatch(c.message);
          }
          if (c.notMessage !== undefined) {
            if (typeof c.notMessage === 'string') expect(run.stdout + run.stderr).not.toContain(c.notMessage);
            else expect(run.stdout + run.stderr).not.toMatch(c.notMessage);
          }
          expect(run.stderr, 'a stack trace').not.toMatch(/\n\s+at /);
          expect(leaks({ stdout: run.stdout, stderr: run.stderr }, [SECRET, ...(c.secrets?.(ctx) ?? [])]), shown).toEqual([]);
          if (!c.effect) expect(await db.dump(), `the database dump after the ${mode} run\n${shown}`).toBe(before);
        }
        if (c.effect) await c.effect(ctx, expect);
      } finally {
        await db.drop();
        await chmod(dir, 0o755).catch(() => {});
        await rm(root, { recursive: true, force: true }).catch(() => {});
      }
    });
  }
});
