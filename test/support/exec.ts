import { spawn } from 'node:child_process';
import { dirname } from 'node:path';

export interface Exec {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * The environment a user's shell would give npm, npx, tsc or deno: this process's, without the
 * npm_* variables that `npm test` sets (they would steer a nested npm to this repository), and with
 * the Node running the tests first on PATH, so that Node 24 CI runs everything under Node 24.
 */
export function userEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value !== undefined && !/^npm_/i.test(name) && name !== 'DATABASE_URL') env[name] = value;
  }
  env.PATH = `${dirname(process.execPath)}:${process.env.PATH ?? ''}`;
  return { ...env, ...extra };
}

/** Runs a command to its end and collects its output; never rejects on a non-zero exit. */
export function exec(command: string, args: readonly string[], options: { cwd: string; env?: Record<string, string> }): Promise<Exec> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? userEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Like exec, but throws with the command's output when it exits non-zero, so a failing step says why. */
export async function execOk(
  command: string,
  args: readonly string[],
  options: { cwd: string; env?: Record<string, string> },
): Promise<Exec> {
  const run = await exec(command, args, options);
  if (run.code !== 0) {
    throw new Error(
      `${command} ${args.join(' ')} (in ${options.cwd}) exited ${run.code}\n--- stdout\n${run.stdout}\n--- stderr\n${run.stderr}`,
    );
  }
  return run;
}
