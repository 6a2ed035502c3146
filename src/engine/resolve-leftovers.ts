import type { DbClient } from '../core/ports.js';
import type { Problem } from '../core/problem.js';
import { qualify, type TableName } from '../core/table-name.js';
import type { ConnectionInput } from '../postgres/connection-info.js';
import { takeLock, type MigrationLock } from '../postgres/lock.js';
import { openSession, type Session } from '../postgres/pg-client.js';
import { finishPrepared, listPrepared } from '../postgres/prepared.js';
import type { Settings } from '../options.js';
import { decideLeftover, GID_PREFIX, gidKey, parseGid, undecidedLeftover, type CoordinatorFate } from './leftovers.js';
import { unexpectedError } from './unexpected.js';

/** What ending a leftover needs: the options (for the lock), and a way to learn what became of a coordinator's transaction. */
export interface LeftoverContext {
  readonly settings: Settings;
  /** The fate of transaction `xid` on the target whose gid key is `key` (`gidKey(id)`); undefined when it cannot be read. */
  readonly fate: (coordinator: { readonly key: string; readonly xid: string }) => Promise<CoordinatorFate>;
}

interface Target {
  readonly id: string;
  readonly connection: ConnectionInput;
  readonly schema?: string | undefined;
}

/** A leftover prepared transaction, and what was done with it. */
export interface ResolvedLeftover {
  readonly gid: string;
  readonly runId: string;
  readonly action: 'committed' | 'rolled-back' | 'left';
}

/** The tracking table of a target: `<schema>.<table>` for a schema-per-tenant one whose table setting names no schema. */
export function tableOf(settings: Settings, target: Target): TableName {
  const { table } = settings;
  if (target.schema === undefined || table.schema !== undefined) return table;
  return { ...qualify(table, target.schema), display: `${target.schema}.${table.table}` };
}

/**
 * Ends the prepared transactions that earlier runs left on this target, by
 * the rule in leftovers.ts, holding the target's migration lock (taken here
 * unless `locked`: then the caller holds it), so that no run still going is
 * touched. A leftover whose fate cannot be known stays, as a problem.
 */
export async function resolveOwnLeftovers(
  target: Target,
  context: LeftoverContext,
  on: { readonly client: DbClient; readonly locked?: boolean },
): Promise<{ leftovers: ResolvedLeftover[]; problems: Problem[] }> {
  const key = gidKey(target.id);
  const own = (await listPrepared(on.client, GID_PREFIX)).filter((x) => parseGid(x.gid)?.target === key);
  const leftovers: ResolvedLeftover[] = [];
  const problems: Problem[] = [];
  if (own.length === 0) return { leftovers, problems };
  let lock: MigrationLock | undefined;
  try {
    if (!on.locked)
      lock = await takeLock(target.connection, context.settings, {
        table: tableOf(context.settings, target),
        waitMs: context.settings.lockWaitMs,
      });
    // Read again under the lock: the run that held it may have ended them.
    const still = on.locked ? own : (await listPrepared(on.client, GID_PREFIX)).filter((x) => parseGid(x.gid)?.target === key);
    for (const { gid } of still) {
      const parts = parseGid(gid)!;
      const decision = await decideLeftover(parts, context.fate);
      if (decision === 'unknown') {
        problems.push(undecidedLeftover(gid, target.id, parts));
        leftovers.push({ gid, runId: parts.runId, action: 'left' });
        continue;
      }
      await finishPrepared(on.client, gid, decision);
      leftovers.push({ gid, runId: parts.runId, action: decision === 'commit' ? 'committed' : 'rolled-back' });
    }
  } finally {
    await lock?.release();
  }
  return { leftovers, problems };
}

/**
 * Finds and ends the prepared transactions pgshift left on one target (a
 * run killed between PREPARE and COMMIT PREPARED), by the rule in
 * leftovers.ts. Never throws: a failure is one of its problems.
 * @example await resolveLeftovers({ id: 'acme', connection }, { settings, fate })
 */
export async function resolveLeftovers(
  target: Target,
  context: LeftoverContext,
): Promise<{ leftovers: readonly ResolvedLeftover[]; problems: readonly Problem[] }> {
  let session: Session | undefined;
  try {
    session = await openSession(target.connection, context.settings);
    return await resolveOwnLeftovers(target, context, { client: session.client });
  } catch (thrown) {
    return { leftovers: [], problems: unexpectedError(thrown).problems };
  } finally {
    await session?.close();
  }
}
