/**
 * The live scratch servers of this process, so that none outlives it.
 *
 * - On `exit` (the end of the event loop or `process.exit`) nothing can be
 *   awaited: each server gets a synchronous best effort (signal the
 *   postmaster, remove its directory). Databases on a given server cannot be
 *   dropped then; their `pgshift_scratch_` names tell them apart.
 * - On SIGINT, SIGTERM and SIGHUP the servers are stopped properly, and then
 *   the signal is raised again so the process ends as it would have (a shell
 *   sees 130 or 143) — but only when no one else listens to that signal.
 *   Listening to a signal in Node turns off its default action, so a host
 *   with a handler of its own (a watch mode, a server draining requests)
 *   has taken charge of it: pgshift then leaves the signal alone and relies
 *   on `exit`, rather than stopping servers that the host may still use or
 *   ending a process that meant to live on.
 *
 * The listeners are there only while a server is live, so a process with
 * none keeps Node's default behaviour. A second signal during the stop
 * skips the waiting. A process killed outright (SIGKILL, OOM) runs none of
 * this; the watcher in launch-posix.ts covers that case.
 */

export interface Cleanup {
  /** Stops the server and removes what it left, awaited on a signal. */
  stop(): Promise<void>;
  /** The no-wait best effort run on `exit`. */
  stopSync(): void;
}

const live = new Set<Cleanup>();
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
type Handled = (typeof SIGNALS)[number];
const NUMBERS: Record<Handled, number> = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 };
/** How long a signal waits for the servers to stop before the process goes anyway. */
const SIGNAL_GRACE_MS = 10_000;
let stopping = false;

/** Registers a live server; call the returned function once it has been stopped. */
export function track(entry: Cleanup): () => void {
  live.add(entry);
  if (live.size === 1) install();
  return () => {
    live.delete(entry);
    if (live.size === 0 && !stopping) uninstall();
  };
}

/** How many servers are live: for tests. */
export const liveCount = (): number => live.size;

function install(): void {
  process.on('exit', stopAllSync);
  for (const signal of SIGNALS) process.on(signal, onSignal);
}

function uninstall(): void {
  process.off('exit', stopAllSync);
  for (const signal of SIGNALS) process.off(signal, onSignal);
}

function stopAllSync(): void {
  for (const entry of [...live]) {
    try {
      entry.stopSync();
    } catch {
      // best effort: the process is going away and cannot report it
    }
  }
  live.clear();
}

function onSignal(signal: Handled): void {
  if (stopping) {
    stopAllSync();
    raiseAgain(signal);
    return;
  }
  // Ours is one of the listeners; any other means the host handles the signal.
  if (process.listenerCount(signal) > 1) return;
  stopping = true;
  const grace = setTimeout(() => {
    stopAllSync();
    raiseAgain(signal);
  }, SIGNAL_GRACE_MS);
  void Promise.allSettled([...live].map((entry) => entry.stop())).then(() => {
    clearTimeout(grace);
    stopAllSync();
    raiseAgain(signal);
  });
}

/** Ends the process by the signal it was sent, now that Node's default action is back. */
function raiseAgain(signal: Handled): void {
  stopping = false;
  uninstall();
  // Raised again rather than exiting: a listener added meanwhile gets it as if pgshift had not been there.
  // Windows has no signals to raise; the exit code is the conventional one.
  if (process.platform === 'win32') process.exit(128 + NUMBERS[signal]);
  process.kill(process.pid, signal);
}
