/**
 * What a fleet run records and reports, as data: the ledger's records, the
 * events, the reports; and ledgers merged into one summary. Pure.
 */
import type { Problem } from './problem.js';

export type TargetStatus = 'not-started' | 'running' | 'done' | 'failed';
export type FleetCommand = 'migrate' | 'rollback';

/** What happened to one target. */
export interface TargetRecord {
  readonly id: string;
  readonly wave: string;
  readonly status: TargetStatus;
  /** The highest applied version before and after (null: none). */
  readonly from?: number | null;
  readonly to?: number | null;
  /** Migrations applied (or rolled back) on it. */
  readonly applied?: number;
  /** Waited for another run's lock. */
  readonly lockWaited?: boolean;
  /** Lock retries its migrations needed. */
  readonly retries?: number;
  readonly durationMs?: number;
  readonly error?: ErrorRecord;
  /** Why a target was not started: the stop rule, a failed health check. */
  readonly reason?: string;
}

export interface Ledger {
  readonly format: 'pgshift-fleet-ledger/1';
  readonly runId: string;
  readonly command: FleetCommand;
  /** migrate: up to this version; rollback: down to it (a resumed run goes to the same). */
  readonly version?: number;
  /** `i/n` when the run was one shard of the fleet. */
  readonly shard?: string;
  readonly startedAt: string;
  updatedAt: string;
  finishedAt?: string;
  /** Why the run stopped before the end, when it did. */
  stopped?: string;
  /** An all-or-none run (--atomic): how long the first target prepared held its locks waiting for the last, in ms. */
  lockWindowMs?: number;
  readonly waves: readonly { readonly name: string; readonly targets: readonly string[] }[];
  readonly targets: TargetRecord[];
}

/** An error as a ledger keeps it: code, message, and the file and line when there are. */
export interface ErrorRecord {
  readonly code: string;
  readonly message: string;
  readonly file?: string;
  readonly line?: number;
}

/** What a run reports as it goes. */
export type FleetEvent =
  | { readonly type: 'wave-start'; readonly wave: string; readonly targets: number }
  | { readonly type: 'target-start'; readonly id: string; readonly wave: string }
  | { readonly type: 'target-done'; readonly record: TargetRecord; readonly counts: FleetCounts }
  | { readonly type: 'bake'; readonly wave: string; readonly seconds: number }
  | { readonly type: 'health'; readonly wave: string; readonly ok: boolean; readonly detail: string }
  | { readonly type: 'stopped'; readonly reason: string };

export interface FleetCounts {
  readonly done: number;
  readonly failed: number;
  readonly running: number;
  readonly total: number;
}

/** One target's state. */
export interface TargetStatusReport {
  readonly id: string;
  readonly labels: Readonly<Record<string, string>>;
  /** The highest applied version; null for none; undefined when it could not be read. */
  readonly currentVersion?: number | null;
  readonly pending: readonly number[];
  readonly problems: readonly Problem[];
  /** Why the target could not be looked at. */
  readonly error?: ErrorRecord;
}

/** The fleet's state, read-only. */
export interface FleetStatus {
  readonly ok: boolean;
  /** Problems with the targets themselves (found before looking): nothing was looked at when there are any. */
  readonly problems: readonly Problem[];
  readonly targets: readonly TargetStatusReport[];
  /** `48 at 3, 2 at 2, 1 unreachable`. */
  readonly histogram: string;
  readonly pendingTargets: number;
  readonly failedTargets: number;
}

export interface FleetRunReport extends FleetSummary {
  readonly command: FleetCommand;
  readonly runId?: string;
  readonly ledgerPath?: string;
  /** An all-or-none run (--atomic): how long the first target prepared held its locks waiting for the last, in ms. */
  readonly lockWindowMs?: number;
  /** Problems found before anything ran: then nothing ran. */
  readonly problems: readonly Problem[];
}

export interface FleetWaitReport {
  readonly reached: boolean;
  readonly problems: readonly Problem[];
  /** Targets below the version (or unreadable, with why) when the wait ended. */
  readonly behind: readonly { readonly id: string; readonly currentVersion: number | null | undefined; readonly error?: ErrorRecord }[];
  readonly targets: number;
  readonly waitedMs: number;
}

export interface FleetSummary {
  readonly runIds: readonly string[];
  readonly counts: Readonly<Record<TargetStatus, number>> & { readonly total: number };
  /** Targets by their version after the run: `{ "3": 48, "none": 2 }`. */
  readonly versions: Readonly<Record<string, number>>;
  /** One record per target; where ledgers disagree, the latest ledger's. */
  readonly targets: readonly TargetRecord[];
  readonly stopped: readonly string[];
  /** The waves' names, in the order they ran. */
  readonly waves: readonly string[];
  readonly ok: boolean;
}

/** Merges ledgers; a target in several keeps the record of the ledger updated last. */
export function mergeLedgers(ledgers: readonly Ledger[]): FleetSummary {
  const byId = new Map<string, TargetRecord>();
  for (const ledger of [...ledgers].sort((a, b) => a.updatedAt.localeCompare(b.updatedAt))) {
    for (const record of ledger.targets) byId.set(record.id, record);
  }
  const targets = [...byId.values()].sort((a, b) => a.id.localeCompare(b.id));
  const counts = { 'not-started': 0, running: 0, done: 0, failed: 0, total: targets.length };
  const versions: Record<string, number> = {};
  for (const t of targets) {
    counts[t.status]++;
    if (t.to !== undefined) {
      const key = t.to === null ? 'none' : String(t.to);
      versions[key] = (versions[key] ?? 0) + 1;
    }
  }
  return {
    runIds: [...new Set(ledgers.map((l) => l.runId))],
    counts,
    versions,
    targets,
    stopped: ledgers.flatMap((l) => (l.stopped === undefined ? [] : [`${l.runId}${l.shard ? ` (shard ${l.shard})` : ''}: ${l.stopped}`])),
    waves: [...new Set([...ledgers.flatMap((l) => l.waves.map((w) => w.name)), ...targets.map((t) => t.wave)])],
    ok: counts.done === counts.total,
  };
}
