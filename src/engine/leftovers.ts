/**
 * The prepared transactions of an all-or-none run (`fleet migrate --atomic`),
 * by name, and what to do with one that a run left behind.
 *
 * A run prepares every target, then commits its **coordinator** (the first
 * target with work) before any other. Every other target's transaction
 * carries the coordinator's id and transaction id in its gid, so the fate of
 * the coordinator's transaction is the run's decision, kept by PostgreSQL
 * itself: no file, no runner, survives a crash.
 *
 * The rule for a leftover, found while holding its target's migration lock
 * (so the run that prepared it is over):
 * - the coordinator's own transaction, still prepared: the run never
 *   committed anything (it commits the coordinator first) → roll back;
 * - another target's: the coordinator's transaction committed → commit;
 *   aborted, or still prepared (it is rolled back by the same rule) → roll
 *   back; unknown (the coordinator cannot be reached or is not among the
 *   targets) → left as it is and reported, with the statements to end it:
 *   guessing could commit half a run.
 */
import { createHash } from 'node:crypto';
import { problem, type Problem } from '../core/problem.js';

/** Every gid pgshift gives a prepared transaction starts with it. */
export const GID_PREFIX = 'pgshift:';

/** The run's coordinator: its target id and its transaction's id. */
export interface Coordinator {
  readonly id: string;
  readonly xid: string;
}

/** What a gid says: the run, the target, and for all but the coordinator, the coordinator. */
export interface GidParts {
  readonly runId: string;
  /** The target's key: its id, or a shortened form of a long one (`gidKey`). */
  readonly target: string;
  readonly coordinator?: { readonly key: string; readonly xid: string };
}

/** A run id: letters, digits, `.`, `_` and `-`, up to 40. */
export const RUN_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/;

/** A target id as it goes into a gid (whose limit is 199 bytes): as it is up to 60 characters, else cut and a hash added. */
export function gidKey(id: string): string {
  if (id.length <= 60 && /^[A-Za-z0-9._-]+$/.test(id)) return id;
  const hash = createHash('sha256').update(id).digest('hex').slice(0, 12);
  return `${id.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 40)}~${hash}`;
}

/** `pgshift:<run>:<target>` for the coordinator, `pgshift:<run>:<target>:<coordinator>:<xid>` for the others. */
export function gidOf(runId: string, targetId: string, coordinator?: Coordinator): string {
  const own = `${GID_PREFIX}${runId}:${gidKey(targetId)}`;
  return coordinator ? `${own}:${gidKey(coordinator.id)}:${coordinator.xid}` : own;
}

/** The parts of a gid pgshift made, or undefined for any other. */
export function parseGid(gid: string): GidParts | undefined {
  if (!gid.startsWith(GID_PREFIX)) return undefined;
  const parts = gid.slice(GID_PREFIX.length).split(':');
  const [runId, target, key, xid] = parts;
  if (runId === undefined || target === undefined || !RUN_ID.test(runId) || target === '') return undefined;
  if (parts.length === 2) return { runId, target };
  if (parts.length === 4 && key && xid && /^\d+$/.test(xid)) return { runId, target, coordinator: { key, xid } };
  return undefined;
}

/** What became of the coordinator's transaction, as `txid_status` says; undefined when it cannot be known. */
export type CoordinatorFate = 'committed' | 'aborted' | 'in progress' | undefined;

/** The rule above, for one leftover; `fate` is asked only for a transaction that is not the coordinator's. */
export async function decideLeftover(
  parts: GidParts,
  fate: (coordinator: { readonly key: string; readonly xid: string }) => Promise<CoordinatorFate>,
): Promise<'commit' | 'rollback' | 'unknown'> {
  if (parts.coordinator === undefined) return 'rollback';
  const status = await fate(parts.coordinator);
  if (status === 'committed') return 'commit';
  if (status === 'aborted' || status === 'in progress') return 'rollback';
  return 'unknown';
}

/** A leftover that stays: what is known, and the two statements that end it, to run once the coordinator's fate is known. */
export function undecidedLeftover(gid: string, target: string, parts: GidParts): Problem {
  const coordinator = parts.coordinator!;
  return problem(
    'PREPARED_LEFTOVER',
    `target ${target}: the prepared transaction '${gid}' of run ${parts.runId} was left by a run that ended between its phases, and the fate of its coordinator (target ${coordinator.key}, transaction ${coordinator.xid}) cannot be read; it holds its locks and holds back VACUUM until it is ended`,
    {
      hint: `include target ${coordinator.key} in the run (or make it reachable) and run again; or ask its database SELECT txid_status(${coordinator.xid}): 'committed' → COMMIT PREPARED '${gid}', otherwise ROLLBACK PREPARED '${gid}', on target ${target}'s database`,
    },
  );
}
