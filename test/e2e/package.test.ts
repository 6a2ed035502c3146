import { cp, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, type TestDatabase } from '../support/db.js';
import { exec, execOk, userEnv, type Exec } from '../support/exec.js';
import { consumerProject, type Lock, type Source } from '../support/lockfile.js';

// The npm package as a user gets it: `npm pack` of this working tree (whose `prepare` builds lib/
// from nothing, as on a clean clone), installed into a fresh project from npm's cache alone.

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const DENO = join(ROOT, 'node_modules/.bin/deno');
const USERS = '-- UP\nCREATE TABLE users (id serial PRIMARY KEY);\n-- DOWN\nDROP TABLE users;\n';
const ORDERS = '-- UP\nCREATE TABLE orders (id serial PRIMARY KEY, user_id int REFERENCES users (id));\n-- DOWN\nDROP TABLE orders;\n';
/** What a clean clone does not have, and what packing does not need. */
const NOT_COPIED = new Set(['node_modules', '.git', 'lib', '.tmp', 'coverage', 'bench/node_modules', 'bench/.work']);
/** npm must not reach the registry in these tests: the cache filled by our `npm ci` is all there is. */
const OFFLINE = { npm_config_offline: 'true', npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' };

interface Packed {
  readonly filename: string;
  readonly integrity: string;
  readonly unpackedSize: number;
  readonly files: readonly { path: string }[];
}

let work: string;
let project: string;
let packed: Packed;
let pack: Exec;
let app: string;
const pkg = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8'));

/** A fresh project depending on pgshift from `source`, with two migrations, installed by `npm ci --offline`. */
async function consumer(name: string, source: Source): Promise<string> {
  const dir = join(work, name);
  await mkdir(join(dir, 'migrations'), { recursive: true });
  const ours = JSON.parse(await readFile(join(ROOT, 'package-lock.json'), 'utf8')) as Lock;
  // No @types/pg: the library's own types must stand alone (skipLibCheck is off below).
  const { packageJson, lock } = consumerProject(ours, source, ['typescript', '@types/node']);
  await writeFile(join(dir, 'package.json'), JSON.stringify(packageJson, null, 2));
  await writeFile(join(dir, 'package-lock.json'), JSON.stringify(lock, null, 2));
  await writeFile(join(dir, 'migrations/001_users.sql'), USERS);
  await writeFile(join(dir, 'migrations/002_orders.sql'), ORDERS);
  await execOk('npm', ['ci', '--offline'], { cwd: dir, env: userEnv(OFFLINE) });
  return dir;
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'pgshift-package-'));
  project = join(work, 'pgshift');
  await cp(ROOT, project, { recursive: true, filter: (from) => !NOT_COPIED.has(relative(ROOT, from)) });
  // The build tools come from our node_modules, as `npm ci` would have put them.
  await symlink(join(ROOT, 'node_modules'), join(project, 'node_modules'), 'dir');
  pack = await execOk('npm', ['pack', '--json', '--pack-destination', work], { cwd: project, env: userEnv(OFFLINE) });
  packed = (JSON.parse(pack.stdout) as Packed[])[0]!;

  const manifest = JSON.parse((await execOk('tar', ['-xzOf', packed.filename, 'package/package.json'], { cwd: work })).stdout);
  app = await consumer('app', {
    spec: `file:../${packed.filename}`,
    resolved: `file:../${packed.filename}`,
    integrity: packed.integrity,
    manifest,
  });
}, 240_000);
// A copy of the project and two installs: 30 MB a run.
afterAll(async () => rm(work, { recursive: true, force: true }));

describe('the npm package', () => {
  it('holds the CLI bundle, the built library with its types, and no tests, benchmarks or sources', () => {
    const paths = packed.files.map((f) => f.path);
    for (const needed of ['package.json', 'README.md', 'dist/cli/index.js', 'lib/index.js', 'lib/index.d.ts', 'lib/migrator.d.ts']) {
      expect(paths).toContain(needed);
    }
    expect(paths.filter((p) => !/^(lib|dist\/cli)\//.test(p)).sort()).toEqual(
      ['LICENSE', 'README.md', 'package.json'].filter((p) => paths.includes(p)),
    );
    expect(paths.filter((p) => /(^|\/)(test|bench|src|scripts|examples|docs)\/|\.test\.|\.ts$/.test(p) && !p.endsWith('.d.ts'))).toEqual(
      [],
    );
    // The action's bundle and the library's front ends are not for npm users.
    expect(paths.filter((p) => p === 'dist/index.js' || /^lib\/(cli|action)\//.test(p))).toEqual([]);
    // The CLI bundle carries PostgreSQL's parser (1.7 MB of WebAssembly), so that it runs with no
    // node_modules (Deno, a checkout); the rest (the CLI's chunks, lib/ with its types, the README) is
    // some 1.8 MB.
    expect(packed.unpackedSize).toBeLessThan(3_800_000);
  });

  it('is built by prepare, the one script npm runs for a pack, a publish and a git install alike', () => {
    // npm prepares a git dependency by installing its devDependencies in a clone and packing it
    // with `prepare` alone (pacote's DirFetcher; prepack is not run there), so lib/ must come from
    // prepare. The copy packed above had no lib/: it holds what prepare built.
    expect(pack.stderr).toContain(`> pgshift@${pkg.version} prepare`);
  });

  it("depends at run time on the driver and PostgreSQL's parser alone", () => {
    expect(Object.keys(pkg.dependencies).sort()).toEqual(['libpg-query', 'pg']);
  });

  it('installs from the tarball with its two dependencies, as a consistent tree', async () => {
    // npm ls exits non-zero on a missing, invalid or extraneous package.
    const ls = await exec('npm', ['ls', '--all', '--json'], { cwd: app, env: userEnv(OFFLINE) });
    expect(ls.code).toBe(0);
    const installed = JSON.parse(ls.stdout).dependencies.pgshift;
    expect(installed.version).toBe(pkg.version);
    expect(Object.keys(installed.dependencies).sort()).toEqual(['libpg-query', 'pg']);
  });

  it('npx pgshift --version prints the version', async () => {
    const run = await exec('npx', ['pgshift', '--version'], { cwd: app, env: userEnv(OFFLINE) });
    expect(run).toMatchObject({ code: 0, stdout: `${pkg.version}\n` });
  });

  describe('against a database', () => {
    let db: TestDatabase;
    beforeAll(async () => {
      db = await createDatabase();
    });
    afterAll(async () => db?.drop());

    it('npx pgshift migrate applies the migrations', async () => {
      const run = await exec('npx', ['pgshift', 'migrate', '--json'], { cwd: app, env: userEnv({ ...OFFLINE, DATABASE_URL: db.url }) });
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect(JSON.parse(run.stdout).applied.map((a: { version: number }) => a.version)).toEqual([1, 2]);
      expect(await db.query('SELECT version FROM schema_migrations ORDER BY version')).toEqual([{ version: '1' }, { version: '2' }]);
    });

    it('a TypeScript file importing Migrator type-checks under tsc --strict with NodeNext, and runs', async () => {
      await writeFile(
        join(app, 'tsconfig.json'),
        JSON.stringify({
          compilerOptions: {
            strict: true,
            module: 'NodeNext',
            moduleResolution: 'NodeNext',
            target: 'ES2022',
            types: ['node'],
            skipLibCheck: false,
            outDir: 'out',
          },
          files: ['check.ts'],
        }),
      );
      await writeFile(
        join(app, 'check.ts'),
        [
          "import { Migrator, PgshiftError, type Problem } from 'pgshift';",
          '',
          "const migrator = new Migrator({ connection: process.env.DATABASE_URL, dir: 'migrations' });",
          'const status = await migrator.status();',
          'const counts: { applied: number; pending: number } = { applied: status.appliedCount, pending: status.pendingCount };',
          'const problems: readonly Problem[] = status.problems;',
          'const report = await migrator.migrate();',
          'const ok: boolean = report.ok;',
          'const failed: string | undefined = report.error instanceof PgshiftError ? report.error.format() : undefined;',
          'console.log(JSON.stringify({ ...counts, problems: problems.length, ok, failed }));',
          '',
          // Types that were `any` would let these through; never called, only type-checked.
          'export function typeErrors() {',
          '  // @ts-expect-error dir is a string',
          '  new Migrator({ dir: 42 });',
          '  // @ts-expect-error there is no such method',
          '  return migrator.migrateEverything();',
          '}',
          '',
        ].join('\n'),
      );
      const tsc = await exec(join(app, 'node_modules/.bin/tsc'), ['-p', '.'], { cwd: app });
      expect(tsc.stdout + tsc.stderr).toBe('');
      expect(tsc.code).toBe(0);
      const run = await exec(process.execPath, ['out/check.js'], { cwd: app, env: userEnv({ DATABASE_URL: db.url }) });
      expect(run.stderr).toBe('');
      expect(JSON.parse(run.stdout)).toEqual({ applied: 2, pending: 0, problems: 0, ok: true });
    });

    it('regression: its declarations compile under --strict with no Node types (they once named NodeJS.Platform)', async () => {
      const dir = join(app, 'no-node-types');
      await mkdir(dir, { recursive: true });
      // types: [] leaves @types/node out, as in a project that has only typescript beside pgshift.
      const options = {
        strict: true,
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        target: 'ES2022',
        types: [],
        skipLibCheck: false,
        noEmit: true,
      };
      await writeFile(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: options, files: ['check.ts'] }));
      await writeFile(
        join(dir, 'check.ts'),
        [
          "import { Migrator, memorySource, type Problem, type VerifyReport } from 'pgshift';",
          "const migrator = new Migrator({ source: memorySource({ '001_a.sql': '-- UP\\nCREATE TABLE a (id int);\\n' }) });",
          'export const checked: Promise<readonly Problem[]> = migrator.validate().then((r) => r.problems);',
          'export type Sandbox = VerifyReport["sandbox"];',
          '',
        ].join('\n'),
      );
      const tsc = await exec(join(app, 'node_modules/.bin/tsc'), ['-p', '.'], { cwd: dir });
      expect(tsc.stdout + tsc.stderr).toBe('');
      expect(tsc.code).toBe(0);
    });

    it('deno run -A npm:pgshift status runs the installed package', async () => {
      // Deno takes npm: packages from the project's node_modules when told to ("manual"), so this
      // is the README's command on exactly what the tarball installs, with no registry.
      await writeFile(join(app, 'deno.json'), JSON.stringify({ nodeModulesDir: 'manual' }));
      const run = await exec(DENO, ['run', '-A', 'npm:pgshift', 'status', '--json'], {
        cwd: app,
        env: userEnv({ DATABASE_URL: db.url, DENO_NO_UPDATE_CHECK: '1' }),
      });
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect(JSON.parse(run.stdout)).toMatchObject({ applied_count: 2, pending_count: 0 });
    });
  });
});
