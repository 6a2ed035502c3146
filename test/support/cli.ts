import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const CLI = fileURLToPath(new URL('../../dist/cli/index.js', import.meta.url));

export interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the built CLI bundle as a user would, with only the environment given (plus PATH). */
export function runCli(
  args: readonly string[],
  env: Record<string, string> = {},
  options: { cwd?: string; runtime?: string[] } = {},
): Promise<Run> {
  const runtime = options.runtime ?? [process.execPath];
  const [command, ...prefix] = runtime;
  return new Promise((resolve, reject) => {
    const child = spawn(command!, [...prefix, CLI, ...args], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
      cwd: options.cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
