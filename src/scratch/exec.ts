import { spawn } from 'node:child_process';
import type { RunAs } from './run-as.js';
import type { Env } from './types.js';

export interface RunOptions {
  readonly env: Env;
  readonly cwd?: string;
  /** Run as this user (the caller is root); the child gets its uid and gid and no supplementary groups. */
  readonly user?: RunAs;
  /** Killed after this long; default 60 s. */
  readonly timeoutMs?: number;
}

export interface RunResult {
  /** The exit code; null when killed by a signal (or the timeout). */
  readonly code: number | null;
  readonly timedOut: boolean;
  readonly stdout: string;
  /** stdout and stderr interleaved, as a person would have seen them. */
  readonly output: string;
}

/**
 * Runs a short-lived program (initdb, `postgres --version`, pg_config) and
 * collects what it prints. Rejects only when it cannot be started at all
 * (ENOENT, EACCES): callers turn that into their own message.
 */
export function run(file: string, args: readonly string[], options: RunOptions): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, {
      env: options.env as NodeJS.ProcessEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
      windowsHide: true,
      ...(options.cwd !== undefined && { cwd: options.cwd }),
      ...(options.user && { uid: options.user.uid, gid: options.user.gid }),
    });
    let stdout = '';
    let output = '';
    let timedOut = false;
    child.stdout.setEncoding('utf8').on('data', (text: string) => {
      stdout += text;
      output += text;
    });
    child.stderr.setEncoding('utf8').on('data', (text: string) => (output += text));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, options.timeoutMs ?? 60_000);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, timedOut, stdout, output });
    });
  });
}

/** The last lines of a program's output or a log, for an error message. */
export function lastLines(text: string, count = 12): string {
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '');
  return lines.slice(-count).join('\n');
}

/** `ENOENT: no such file…` → a short reason, without a stack. */
export function reasonOf(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES') return 'permission denied';
  if (code === 'ENOEXEC' || code === 'UNKNOWN') return 'not a program this system can run';
  return error instanceof Error ? error.message : String(error);
}
