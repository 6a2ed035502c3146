import { spawn, type ChildProcess } from 'node:child_process';
import { open } from 'node:fs/promises';
import { reasonOf } from './exec.js';
import { MARK, killMarked } from './kill.js';
import type { RunAs } from './run-as.js';
import type { Env } from './types.js';

/** A started postmaster, however it was started. */
export interface ServerProcess {
  /** Why it is no longer running (`exit code 1`), or undefined while it runs. */
  status(): Promise<string | undefined>;
  /** Immediate shutdown; resolves once it and everything it started have exited. */
  stop(): Promise<void>;
  /**
   * Kills the server and every process it started (its process group, or
   * its process tree on Windows) at once, from outside: for a deadline, when
   * a migration keeps it busy or has started programs of its own.
   */
  kill(): void;
  /** Signals it to shut down without waiting, for process `exit`. */
  stopSync(): void;
  /** Lets the caller's process end although the server runs (the exit handler then stops it). */
  idle(): void;
}

export interface LaunchOptions {
  readonly postgres: string;
  /** pg_ctl, needed on Windows. */
  readonly pgCtl?: string;
  readonly dataDir: string;
  /** The server's arguments besides `-D`. */
  readonly args: readonly string[];
  /** stdout and stderr of the server go here. */
  readonly logFile: string;
  readonly env: Env;
  readonly cwd: string;
  readonly user?: RunAs;
  /** Removed by the watcher when the calling process dies without stopping the server. */
  readonly dir: string;
  /** The value of {@link MARK} in `env`: every process of the server's carries it. */
  readonly mark: string;
}

/**
 * The watcher: a tiny `sh` that holds the read end of a pipe from this
 * process. A line on it means "stopped properly, go"; end of file without
 * one means this process died, even by SIGKILL (the kernel closes the
 * pipe). It then shuts the postmaster down (immediate), waits up to 10 s
 * for it to go (a zombie counts as gone: some containers' init is slow to
 * reap), and removes the directory. PostgreSQL cannot watch its parent
 * itself: it reads no stdin, and Node offers no PR_SET_PDEATHSIG.
 * Then it kills every process left with the server's mark (kill.ts): the
 * backends and the programs a migration started.
 * The watcher ignores terminal and termination signals and has a process
 * group of its own: its only job is to outlive its parent.
 * Limits: killing every process at once (a container or VM ending) takes
 * the watcher too; and if the postmaster exited and its pid was reused in
 * the microseconds between this process reaping it and dying, that pid
 * gets a SIGQUIT.
 */
const WATCHER = `trap '' INT QUIT HUP TERM
if read -r _; then exit 0; fi
kill -QUIT "$1" 2>/dev/null
running() {
  kill -0 "$1" 2>/dev/null || return 1
  [ -r "/proc/$1/stat" ] || return 0
  read -r _ _ state _ < "/proc/$1/stat"
  [ "$state" != Z ]
}
i=0
while running "$1" && [ "$i" -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
kill -KILL "$1" 2>/dev/null
for p in /proc/[0-9]*; do
  if tr '\\0' '\\n' < "$p/environ" 2>/dev/null | grep -qx "$3"; then kill -KILL "\${p#/proc/}" 2>/dev/null; fi
done
rm -rf "$2"`;

/**
 * Spawns postgres directly (so this process gets its exit and can signal
 * it), in a process group of its own (`detached`): a Ctrl-C at the terminal
 * reaches this process, which decides (cleanup.ts), and not the server
 * behind its back.
 */
export async function launchPosix(options: LaunchOptions): Promise<ServerProcess> {
  const log = await open(options.logFile, 'a');
  let server: ChildProcess;
  try {
    server = spawn(options.postgres, ['-D', options.dataDir, ...options.args], {
      env: options.env as NodeJS.ProcessEnv,
      cwd: options.cwd,
      stdio: ['ignore', log.fd, log.fd],
      detached: true,
      ...(options.user && { uid: options.user.uid, gid: options.user.gid }),
    });
  } catch (error) {
    await log.close();
    throw error;
  }
  // Before any await: a server that fails at once exits within the next tick, and this process may die at any time.
  const watcher = server.pid === undefined ? undefined : startWatcher(server.pid, options.dir, `${MARK}=${options.mark}`);
  let exit: string | undefined;
  const exited = new Promise<void>((resolve) => {
    server.once('error', (error) => {
      exit ??= `could not be started: ${reasonOf(error)}`;
      resolve();
    });
    server.once('exit', (code, signal) => {
      exit ??= code === null ? `ended by ${signal}` : `exit code ${code}`;
      watcher?.stdin?.end('stopped\n');
      resolve();
    });
  });
  // The child has its own copy of the descriptor.
  await log.close();
  return {
    status: async () => exit,
    async stop() {
      server.ref();
      if (exit === undefined) server.kill('SIGQUIT');
      // A postmaster that ignores SIGQUIT is stuck; SIGKILL leaves shared memory for its children to drop.
      const stuck = setTimeout(() => server.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(stuck);
      // The postmaster is reaped: its pid may be another process's now. What is left carries the mark.
      killMarked(options.mark);
    },
    kill() {
      // SIGQUIT first: the postmaster passes it to each backend, where the mark cannot be read (macOS).
      if (exit === undefined) server.kill('SIGQUIT');
      killAll(server.pid, options.mark);
    },
    stopSync() {
      // The watcher stays: when this process is gone it sees the pipe close, waits for the postmaster and removes what is left.
      if (exit === undefined && server.pid !== undefined) process.kill(server.pid, 'SIGQUIT');
    },
    idle() {
      server.unref();
      watcher?.unref();
      (watcher?.stdin as { unref?: () => void } | null | undefined)?.unref?.();
    },
  };
}

/**
 * SIGKILL to the process group the postmaster leads and to every process
 * with the server's mark: its backends (each in a session of its own) and
 * anything a migration started from one. Nothing left is not an error.
 */
function killAll(pid: number | undefined, mark: string): void {
  if (pid !== undefined) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // ESRCH: the group is empty already
    }
  }
  killMarked(mark, pid);
}

function startWatcher(pid: number, dir: string, mark: string): ChildProcess | undefined {
  try {
    const watcher = spawn('/bin/sh', ['-c', WATCHER, 'pgshift-scratch-watcher', String(pid), dir, mark], {
      stdio: ['pipe', 'ignore', 'ignore'],
      detached: true,
      // Not this process's environment (tokens, the production connection): /proc/<pid>/environ of a process
      // of the same user is readable by the server's programs.
      env: { PATH: '/usr/bin:/bin' },
    });
    // A watcher that could not start or has died must not crash the caller with EPIPE.
    watcher.once('error', () => {});
    watcher.stdin?.on('error', () => {});
    return watcher;
  } catch {
    // no /bin/sh: the exit handlers are the only cleanup left
    return undefined;
  }
}
