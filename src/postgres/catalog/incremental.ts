/**
 * Reading one database's schema again and again, as verify does after
 * every step: each read sends back only the relations whose catalog rows
 * changed since the last (queries-incremental.ts says how that is known),
 * and keeps the rest from before. A read's fingerprint is a SHA-256 of
 * every row, made here: per relation, then over all, so two reads of equal
 * schemas have equal fingerprints whatever their OIDs; its snapshot is the
 * same as `snapshotSchema` gives, made only when asked for.
 */
import { createHash } from 'node:crypto';
import type { DbClient } from '../../core/ports.js';
import type { SchemaSnapshot } from '../../schema/model.js';
import { rows, type Row } from '../../schema/raw.js';
import { normalise, type RawDocument } from './normalise.js';
import { INVENTORY_QUERY, RELATIONS_QUERY } from './queries-incremental.js';
import { RELATION_CLASSES, type ObjectClass, type RelationClass } from './queries.js';
import { column, excludedNames, type SnapshotOptions } from './snapshot.js';

/** A schema as one read saw it. */
export interface CatalogRead {
  /** Equal for two reads whose snapshots `diffSchemas` finds no change between. */
  readonly fingerprint: string;
  /** The relations whose rows this read sent again; `whole`: all of them. */
  readonly relationsRead: number;
  readonly whole: boolean;
  /** The schema snapshot, made on the first call. */
  snapshot(): SchemaSnapshot;
}

interface Relation {
  readonly n: string;
  readonly hash: string;
  readonly rows: Readonly<Partial<Record<RelationClass, readonly Row[]>>>;
}

interface State {
  readonly xmax: string;
  readonly running: readonly string[];
  readonly stamp: string;
  readonly relations: ReadonlyMap<string, Relation>;
}

interface Inventory {
  xmax: string;
  running: string[];
  stamp: string;
  whole: boolean;
  inventory: [number | string, string][];
  scope: (number | string)[];
  objects: Record<ObjectClass, Row[]>;
}

type Answer = Inventory & { relations: Record<RelationClass, [number | string, Row][]> };

const RELATION_KEYS = Object.keys(RELATION_CLASSES) as RelationClass[];

/** A row as hashed: a column's attnum left out, as the snapshot's comparison leaves it. */
function line(kind: string, row: Row): string {
  return `${kind}\t${JSON.stringify(kind === 'columns' ? { ...row, attnum: undefined } : row)}`;
}

const sha256 = (lines: string[]) => createHash('sha256').update(lines.sort().join('\n')).digest('hex');

/** Reads of one database, each after the last, by one caller at a time. */
export class CatalogTracker {
  private state: State | undefined;

  constructor(private readonly options: SnapshotOptions = {}) {}

  /** The schema now, read on `client`: a session of the database, outside a transaction (a new one after the last read's may be closed). */
  async read(client: DbClient): Promise<CatalogRead> {
    const [callerSchemas, answer] = await this.query(client);
    const previous = this.state;
    const relations = new Map<string, Relation>();
    const fresh = new Map<string, Partial<Record<RelationClass, Row[]>>>();
    for (const kind of RELATION_KEYS) {
      for (const [relid, row] of answer.relations[kind]) {
        const id = String(relid);
        const entry = fresh.get(id) ?? {};
        (entry[kind] ??= []).push(row);
        fresh.set(id, entry);
      }
    }
    const scope = new Set(answer.scope.map(String));
    for (const [relid, n] of answer.inventory) {
      const id = String(relid);
      const kept = previous?.relations.get(id);
      if (!scope.has(id) && kept !== undefined) {
        relations.set(id, kept);
        continue;
      }
      const rowsOf = fresh.get(id) ?? {};
      const lines = RELATION_KEYS.flatMap((kind) => (rowsOf[kind] ?? []).map((row) => line(kind, row)));
      relations.set(id, { n, hash: sha256(lines), rows: rowsOf });
    }
    this.state = { xmax: answer.xmax, running: answer.running, stamp: answer.stamp, relations };
    const objects = answer.objects;
    const fingerprint = sha256([
      ...[...relations.values()].map((r) => `relation\t${r.hash}`),
      ...(Object.keys(objects) as ObjectClass[]).flatMap((kind) => rows(objects[kind], kind).map((row) => line(kind, row))),
    ]);
    let made: SchemaSnapshot | undefined;
    const exclude = this.options.exclude ?? [];
    return {
      fingerprint,
      relationsRead: scope.size,
      whole: answer.whole,
      snapshot: () => (made ??= snapshotOf(objects, relations, callerSchemas, exclude)),
    };
  }

  /**
   * The read: what changed, then the rows of the relations to read again
   * (none: no second query), in one read-only transaction that sees one
   * snapshot, with search_path = pg_catalog (see queries.ts).
   */
  private async query(client: DbClient): Promise<[string[], Answer]> {
    const state = this.state;
    const begun = await client.query(
      `BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; SELECT to_json(current_schemas(false)) AS caller_schemas;
       SET LOCAL search_path = pg_catalog; SET LOCAL jit = off; SET LOCAL plan_cache_mode = force_generic_plan`,
    );
    try {
      const listed = column(begun, 'caller_schemas');
      const schemas = Array.isArray(listed) ? listed.map(String) : [];
      const ids = state ? [...state.relations.keys()] : [];
      const counts = ids.map((id) => state!.relations.get(id)!.n);
      const found = (
        await prepared<Inventory>(client, 'pgshift_catalog_inventory', INVENTORY_QUERY, [
          state?.xmax ?? null,
          ids,
          counts,
          state?.stamp ?? null,
          state?.running ?? [],
        ])
      ).rows[0];
      if (!found) throw new Error('schema snapshot: the catalog read returned no row');
      const empty = Object.fromEntries(RELATION_KEYS.map((k) => [k, []])) as unknown as Answer['relations'];
      const relations =
        found.scope.length === 0
          ? empty
          : ((await prepared<Pick<Answer, 'relations'>>(client, 'pgshift_catalog_relations', RELATIONS_QUERY, [found.scope])).rows[0]
              ?.relations ?? empty);
      await client.query('COMMIT');
      return [schemas, { ...found, relations }];
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  }
}

/**
 * The query as a named prepared statement when the client is node-postgres
 * (its plan is made once per session, not on every read: planning this
 * query takes several milliseconds); as a plain query otherwise.
 */
function prepared<T>(client: DbClient, name: string, text: string, values: unknown[]) {
  const named = client as unknown as { query(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: T[] }> };
  if ((client as { getTransactionStatus?: unknown }).getTransactionStatus !== undefined) return named.query({ name, text, values });
  return client.query<T>(text, values);
}

function snapshotOf(
  objects: Record<ObjectClass, Row[]>,
  relations: ReadonlyMap<string, Relation>,
  callerSchemas: string[],
  exclude: NonNullable<SnapshotOptions['exclude']>,
): SchemaSnapshot {
  const doc: Record<string, unknown> = { ...objects };
  for (const kind of RELATION_KEYS) doc[kind] = [...relations.values()].flatMap((r) => r.rows[kind] ?? []);
  const document = doc as RawDocument;
  return normalise(document, excludedNames(document, callerSchemas, exclude));
}
