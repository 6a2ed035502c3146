/**
 * Helpers for the reliability suite (test/reliability): the built CLI as a
 * child process that can be watched, killed and run as another user; polling
 * with a generous bound for things that must eventually happen; the secret
 * password and every form of it that must never be printed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmod, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { chmodSync, cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { CLI } from './cli.js';
import { addFiles } from './files.js';

/** The connection password used by every failing path: every URL-special character, a space, quotes, a backslash, `%41`, non-ASCII. */
export const SECRET = `Zq7s3cr3t@:/?#[]!$&'()*+,;= %41"\\<>^{|}~ü`;
/** A fragment only the secret holds (the same raw, encoded and decoded): catches a partial leak too. */
export const SECRET_TOKEN = 'Zq7s3cr3t';

/** Every form a password can take on its way through a URL, a log or a JSON document. */
export function secretForms(password: string): string[] {
  const forms = new Set<string>([password, encodeURIComponent(password), encodeURI(password)]);
  try {
    forms.add(decodeURIComponent(password));
  } catch {
    // not decodable: nothing more to add
  }
  for (const form of [...forms]) forms.add(JSON.stringify(form).slice(1, -1));
  return [...forms].filter((f) => f.length >= 3);
}

/** The forms of `passwords` (and the tokens) found in `texts`, as `form in place`; [] when none. */
export function leaks(texts: Record<string, string>, passwords: readonly string[], tokens: readonly string[] = [SECRET_TOKEN]): string[] {
  const found: string[] = [];
  const forms = [...new Set([...passwords.flatMap(secretForms), ...tokens])];
  for (const [place, text] of Object.entries(texts)) {
    for (const form of forms) if (text.includes(form)) found.push(`${JSON.stringify(form)} in ${place}`);
  }
  return found;
}

/** `url` with another user and password (the password URL-encoded, as a user must write it). */
export function withCredentials(url: string, user: string, password: string): string {
  const u = new URL(url);
  return `${u.protocol}//${encodeURIComponent(user)}:${encodeURIComponent(password)}@${u.host}${u.pathname}${u.search}`;
}

export interface CliRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  /** True when the run was killed because it outlived its liveness bound. */
  readonly hung: boolean;
}

export interface CliProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  stdout(): string;
  stderr(): string;
  readonly done: Promise<CliRun>;
  /** Resolves when the output so far matches (a pattern, or a test of stdout and stderr); rejects if the process ends first or the bound passes. */
  waitForOutput(pattern: RegExp | ((stdout: string, stderr: string) => boolean), what?: string, limitMs?: number): Promise<void>;
  kill(signal?: NodeJS.Signals): void;
}

export interface StartOptions {
  readonly env?: Record<string, string>;
  readonly cwd?: string;
  /** Run as this uid/gid (only when the tests run as root), e.g. nobody to make chmod 000 bite. */
  readonly uid?: number;
  readonly gid?: number;
  /** Liveness bound: a run still going after this long is killed and reported as hung. Default 120 s. */
  readonly deadlineMs?: number;
}

const launched: CliProcess[] = [];

/** Every process started since the last call (to scan all their output for secrets), each killed if still running. */
export async function takeLaunched(): Promise<CliRun[]> {
  const all = launched.splice(0);
  for (const p of all) if (p.child.exitCode === null && p.child.signalCode === null) p.kill('SIGKILL');
  return Promise.all(all.map((p) => p.done));
}

let copiedCli: string | undefined;

/**
 * The built CLI where another user can run it: a checkout under a mode-700
 * home is out of nobody's reach, so the bundle (with its chunk and the
 * parser's .wasm) is copied once into the system's temporary directory.
 */
function cliFor(uid: number | undefined): string {
  if (uid === undefined) return CLI;
  if (copiedCli === undefined) {
    const dir = mkdtempSync(join(tmpdir(), 'pgshift-test-cli-'));
    cpSync(dirname(CLI), dir, { recursive: true });
    chmodSync(dir, 0o755);
    for (const file of readdirSync(dir)) chmodSync(join(dir, file), 0o755);
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    copiedCli = join(dir, basename(CLI));
  }
  return copiedCli;
}

/** Starts the built CLI (dist/cli/index.js) with only PATH, HOME and the given environment. */
export function startCli(args: readonly string[], options: StartOptions = {}): CliProcess {
  const child = spawn(process.execPath, [cliFor(options.uid), ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: options.uid === undefined ? (process.env.HOME ?? '/tmp') : '/tmp', ...options.env },
    cwd: options.cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(options.uid !== undefined && { uid: options.uid }),
    ...(options.gid !== undefined && { gid: options.gid }),
  });
  let out = '';
  let err = '';
  let hung = false;
  let ended = false;
  const listeners = new Set<() => void>();
  const notify = () => listeners.forEach((l) => l());
  child.stdout!.setEncoding('utf8');
  child.stderr!.setEncoding('utf8');
  child.stdout!.on('data', (d: string) => ((out += d), notify()));
  child.stderr!.on('data', (d: string) => ((err += d), notify()));
  const deadline = setTimeout(() => {
    hung = true;
    child.kill('SIGKILL');
  }, options.deadlineMs ?? 120_000);
  const done = new Promise<CliRun>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(deadline);
      ended = true;
      notify();
      resolve({ code, signal, stdout: out, stderr: err, hung });
    });
  });
  const started: CliProcess = {
    child,
    pid: child.pid ?? -1,
    stdout: () => out,
    stderr: () => err,
    done,
    waitForOutput(pattern, what = String(pattern), limitMs = 60_000) {
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => finish(new Error(`gave up waiting for ${what}\nstdout: ${out}\nstderr: ${err}`)), limitMs);
        const check = () => {
          if (typeof pattern === 'function' ? pattern(out, err) : pattern.test(out + err)) finish();
          else if (ended) finish(new Error(`the process ended before ${what}\nstdout: ${out}\nstderr: ${err}`));
        };
        const finish = (error?: Error) => {
          clearTimeout(timer);
          listeners.delete(check);
          if (error) reject(error);
          else resolve();
        };
        listeners.add(check);
        check();
      });
    },
    kill(signal = 'SIGKILL') {
      child.kill(signal);
    },
  };
  launched.push(started);
  return started;
}

/** Runs the CLI to the end. */
export function runCliFully(args: readonly string[], options: StartOptions = {}): Promise<CliRun> {
  return startCli(args, options).done;
}

/**
 * Polls `check` until it returns true. The bound is a liveness limit for
 * something that must happen (a backend going away, a process waiting), far
 * above what it normally takes; it is never a performance assertion.
 */
export async function waitUntil(check: () => Promise<boolean> | boolean, what: string, limitMs = 60_000, everyMs = 25): Promise<void> {
  const started = Date.now();
  for (;;) {
    if (await check()) return;
    if (Date.now() - started > limitMs) throw new Error(`gave up waiting for ${what} after ${limitMs / 1000} s`);
    await sleep(everyMs);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

const roots: string[] = [];

/** Removes every directory openMigrationsDir made in this test file (call it in afterAll). */
export async function removeTempDirs(): Promise<void> {
  for (const root of roots.splice(0)) {
    await chmod(join(root, 'migrations'), 0o755).catch(() => {});
    await rm(root, { recursive: true, force: true }).catch(() => {});
  }
}

/** A real temporary migrations directory that everyone may read (for runs as nobody). */
export async function openMigrationsDir(files: Record<string, string | Buffer> = {}): Promise<{ root: string; dir: string }> {
  const root = await mkdtemp(join(tmpdir(), 'pgshift-rel-'));
  roots.push(root);
  const dir = join(root, 'migrations');
  await mkdir(dir);
  await addFiles(dir, files);
  await chmod(root, 0o755);
  await chmod(dir, 0o755);
  return { root, dir };
}

/** The uid/gid of nobody when the tests run as root (chmod 000 does not stop root); undefined otherwise. */
export function unprivileged(): { uid: number; gid: number } | undefined {
  return process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : undefined;
}

/** A node:net server on 127.0.0.1 that plays a broken PostgreSQL: it closes at once, or answers the start-up with garbage. */
export async function brokenServer(
  behaviour: 'close-on-accept' | 'close-after-startup' | 'garbage',
): Promise<{ port: number; connections: () => number; close: () => Promise<void> }> {
  let connections = 0;
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    if (behaviour === 'close-on-accept') socket.destroy();
    else if (behaviour === 'close-after-startup') socket.once('data', () => socket.end());
    else socket.once('data', () => socket.end('HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\n\r\n\x00\xff\xfegarbage'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    port,
    connections: () => connections,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A TCP port on 127.0.0.1 nothing listens on. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 1;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A small deterministic pseudo-random sequence (the seed is printed by the tests that use it, to replay a failure). */
export function random(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state / 0x100000000;
  };
}

/** Text lines of a run's human output that report one applied (or rolled back) migration. */
export function doneLines(stdout: string): string[] {
  return stdout.split('\n').filter((l) => /^\s+✓ /.test(l));
}
