import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fail } from '../core/problem.js';
import { lastLines, reasonOf, run } from './exec.js';
import type { LaunchOptions, ServerProcess } from './launch-posix.js';

/**
 * Windows: postgres.exe refuses to run with administrative rights, which
 * GitHub's Windows runners have; pg_ctl starts it with a restricted token.
 * So the server is started and stopped through pg_ctl. It runs detached
 * from this process: a killed parent leaves it running (there is no
 * watcher here), which on a runner's throwaway machine is harmless.
 * Untested by pgshift's own suite, which runs on Linux.
 */
export async function launchWindows(options: LaunchOptions): Promise<ServerProcess> {
  const pgCtl = options.pgCtl;
  if (pgCtl === undefined) {
    throw fail('SCRATCH_UNAVAILABLE', `there is no pg_ctl.exe next to ${options.postgres}; on Windows the server is started through it`, {
      hint: 'set the PostgreSQL bin directory to a complete PostgreSQL installation, or give the scratch server URL of a server you provide',
      settings: ['scratchUrl', 'postgresBin'],
    });
  }
  const common = { env: options.env, cwd: options.cwd, timeoutMs: 30_000 };
  const stopArgs = ['stop', '-D', options.dataDir, '-m', 'immediate', '-w', '-s'];
  let started: string | undefined;
  try {
    // -W: do not wait; readiness is polled by the caller, more often than pg_ctl's 100 ms.
    const result = await run(
      pgCtl,
      ['start', '-D', options.dataDir, '-l', options.logFile, '-W', '-s', '-o', options.args.join(' ')],
      common,
    );
    if (result.code !== 0) started = `pg_ctl start failed: ${lastLines(result.output, 3)}`;
  } catch (error) {
    started = `pg_ctl could not be run: ${reasonOf(error)}`;
  }
  let stopped = false;
  return {
    async status() {
      if (started !== undefined || stopped) return started ?? 'stopped';
      // No child to watch: a fatal line in the log means the server gave up.
      const log = await readFile(options.logFile, 'utf8').catch(() => '');
      const fatal = /^.*(FATAL|PANIC):.*$/m.exec(log);
      return fatal ? fatal[0] : undefined;
    },
    async stop() {
      if (stopped || started !== undefined) return;
      stopped = true;
      await run(pgCtl, stopArgs, common).catch(() => undefined);
    },
    stopSync() {
      if (stopped || started !== undefined) return;
      stopped = true;
      spawnSync(pgCtl, stopArgs, { env: options.env as NodeJS.ProcessEnv, timeout: 10_000, windowsHide: true });
    },
    kill() {
      // pg_ctl kill signals the postmaster only; taskkill /T ends the tree it leads (read from postmaster.pid's first line).
      if (stopped || started !== undefined) return;
      stopped = true;
      const pid = /^\d+/.exec(readPid(options.dataDir))?.[0];
      if (pid) spawnSync('taskkill', ['/F', '/T', '/PID', pid], { timeout: 10_000, windowsHide: true });
    },
    idle() {},
  };
}

function readPid(dataDir: string): string {
  try {
    return readFileSync(join(dataDir, 'postmaster.pid'), 'utf8');
  } catch {
    return '';
  }
}
