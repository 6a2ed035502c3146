/**
 * What keeps a check bounded whatever its SQL does: a deadline, and on a
 * private server a cap on the disk it may fill. Both act from outside the
 * server (it and every process it started are killed), since a migration
 * can turn any setting of its own session off.
 */
import { statfs } from 'node:fs/promises';
import { formatDuration } from '../core/duration.js';
import { problem, type Problem } from '../core/problem.js';
import type { ScratchServer } from '../scratch/index.js';

/** A private server may take this much disk at most, or half the free space it found, whichever is less. */
export const DISK_LIMIT_BYTES = 2 * 1024 ** 3;
const DISK_POLL_MS = 1_000;

export interface Guard {
  /** The step running now, for the messages (`UP of migrations/005_x.sql`). */
  step(what: string): void;
  /** Why the check was cut short, or undefined; looks at the server too (a migration may have ended it). */
  verdict(thrown: unknown): Promise<Problem | undefined>;
  stop(): void;
}

export interface GuardOptions {
  readonly deadlineMs: number;
  /** When the check started (performance.now()): the deadline counts from there. */
  readonly started: number;
  /** The private server's directory, whose file system is watched. */
  readonly dir?: string | undefined;
  readonly diskLimitBytes?: number;
}

export function guard(server: ScratchServer, options: GuardOptions): Guard {
  // Until the replay names its first step, the time went to starting the server.
  let step = "the scratch server's start";
  let cut: Problem | undefined;
  const trip = (why: Problem) => {
    if (cut) return;
    cut = why;
    void server.interrupt();
  };
  const timer = setTimeout(
    () => trip(timedOut(step, options.deadlineMs)),
    Math.max(0, options.deadlineMs - (performance.now() - options.started)),
  );
  const disk =
    options.dir === undefined
      ? undefined
      : watchDisk(options.dir, options.diskLimitBytes ?? DISK_LIMIT_BYTES, (limit) => trip(diskFull(step, limit)));
  return {
    step: (what) => void (step = what),
    async verdict(thrown) {
      if (cut) return cut;
      const ended = await server.gone();
      if (ended !== undefined || (thrown !== undefined && isSessionEnded(thrown))) return endedBy(step, ended);
      return undefined;
    },
    stop() {
      clearTimeout(timer);
      disk?.stop();
    },
  };
}

/** Polls the free space of the file system under `dir`; calls `over` once it has dropped by more than the limit. */
function watchDisk(dir: string, limitBytes: number, over: (limit: number) => void): { stop(): void } {
  let startFree: number | undefined;
  let busy = false;
  const free = async () => {
    const s = await statfs(dir);
    return s.bavail * s.bsize;
  };
  const poll = setInterval(() => {
    if (busy) return;
    busy = true;
    free()
      .then((now) => {
        startFree ??= now;
        const limit = Math.min(limitBytes, Math.floor(startFree / 2));
        if (startFree - now > limit) over(limit);
      })
      .catch(() => {})
      .finally(() => (busy = false));
  }, DISK_POLL_MS);
  poll.unref();
  void free().then(
    (now) => void (startFree ??= now),
    () => {},
  );
  return { stop: () => clearInterval(poll) };
}

/** The deadline passed: the check fails, naming what was running. */
function timedOut(step: string, deadlineMs: number): Problem {
  return problem(
    'VERIFY_TIMEOUT',
    `the check did not finish within ${formatDuration(deadlineMs)}: ${step} was running, and the scratch server was stopped`,
    {
      hint: 'make the migration finish sooner on an empty database (a pg_sleep, a loop, a lock it waits for), or allow a longer verify timeout',
      settings: ['verifyTimeout'],
    },
  );
}

function diskFull(step: string, limit: number): Problem {
  const mib = Math.round(limit / 1024 ** 2);
  return problem(
    'SCRATCH_DISK_LIMIT',
    `${step} wrote more than ${mib} MiB to the scratch server's disk, and the scratch server was stopped`,
    {
      hint: 'a migration proven on empty tables should write little: generate fewer rows, or prove data-heavy migrations elsewhere',
    },
  );
}

/** The server or pgshift's session on it ended under a migration: the migration's doing, not pgshift's. */
function endedBy(step: string, ended: string | undefined): Problem {
  const what = ended === undefined ? "ended pgshift's session on the scratch server" : `stopped the scratch server (${ended})`;
  return problem('SCRATCH_ENDED', `${step} ${what}; the check cannot go on`, {
    hint: 'a migration must not end other sessions or the server: remove the pg_terminate_backend, pg_cancel_backend or program that does',
  });
}

/** A connection ended by the server (terminated, shut down, reset) rather than a failure of pgshift. */
function isSessionEnded(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === '57P01' || code === '57P02' || code === '57P03' || code === 'ECONNRESET') return true;
  return /Connection terminated|terminating connection|server closed the connection|Client has encountered a connection error/i.test(
    error instanceof Error ? error.message : String(error),
  );
}
