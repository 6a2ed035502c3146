/**
 * Taking a snapshot: one message to the server (one round trip), then the
 * document normalised into the model. The caller's session is left as it
 * was: search_path changes only inside a transaction or savepoint of our
 * own that ends within the same message.
 */
import type { DbClient } from '../../core/ports.js';
import type { SchemaSnapshot } from '../../schema/model.js';
import { normalise, type RawDocument } from './normalise.js';
import { IN_OWN_TRANSACTION, IN_SAVEPOINT, UNDO_OWN_TRANSACTION, UNDO_SAVEPOINT } from './queries.js';
import { rows } from '../../schema/raw.js';

/** A table to leave out, with everything that exists only because of it. */
export interface ExcludedTable {
  /** Without a schema: the table PostgreSQL finds on the connection's search_path. */
  readonly schema?: string;
  readonly table: string;
}

export interface SnapshotOptions {
  /**
   * Tables to leave out, with their indexes, constraints, triggers, policies,
   * rules, extended statistics and the sequences their columns own: pgshift's
   * tracking table, say. Names are as stored in the catalog (not quoted,
   * already folded to lower case where SQL would fold them). Default: none.
   */
  readonly exclude?: readonly ExcludedTable[];
}

/** `no_active_sql_transaction`: SAVEPOINT sent outside a transaction block. */
const NO_ACTIVE_TRANSACTION = '25P01';

type Mode = 'savepoint' | 'own transaction';

/**
 * What the client says of its transaction, when it can: node-postgres keeps
 * the status of the last ReadyForQuery ('I' idle, 'T' in a transaction,
 * 'E' in a failed one). Other clients: unknown.
 */
function knownMode(client: DbClient): Mode | undefined {
  const status = (client as { getTransactionStatus?: () => unknown }).getTransactionStatus;
  if (typeof status !== 'function') return undefined;
  const value: unknown = status.call(client);
  if (value === 'I') return 'own transaction';
  if (value === 'T' || value === 'E') return 'savepoint';
  return undefined;
}

function sqlState(error: unknown): unknown {
  return typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
}

interface Catalog {
  readonly document: RawDocument;
  readonly callerSchemas: readonly string[];
}

/** node-postgres answers a message of several statements with one result per statement. */
function results(answer: unknown): { fields?: readonly { name: string }[]; rows?: unknown[] }[] {
  return (Array.isArray(answer) ? answer : [answer]) as { fields?: readonly { name: string }[]; rows?: unknown[] }[];
}

/** The JSON value of column `name` in the first row of the result that has it. */
export function column(answer: unknown, name: string): unknown {
  const result = results(answer).find((r) => r.fields?.some((f) => f.name === name));
  const row = result?.rows?.[0] as Record<string, unknown> | undefined;
  if (!row) throw new Error(`schema snapshot: the server's answer has no ${name}; the client must return every statement's result`);
  const value = row[name];
  // A client that does not parse json hands over the text.
  return typeof value === 'string' ? JSON.parse(value) : value;
}

async function read(client: DbClient, mode: Mode): Promise<Catalog> {
  const [text, undo] = mode === 'savepoint' ? [IN_SAVEPOINT, UNDO_SAVEPOINT] : [IN_OWN_TRANSACTION, UNDO_OWN_TRANSACTION];
  let answer: unknown;
  try {
    answer = await client.query(text);
  } catch (error) {
    // The rest of a failed message is skipped: our transaction or savepoint
    // is still open. Undo it so the session is as it was, then report.
    if (sqlState(error) !== NO_ACTIVE_TRANSACTION) await client.query(undo).catch(() => undefined);
    throw error;
  }
  const callerSchemas = column(answer, 'caller_schemas');
  return {
    document: column(answer, 'snapshot') as RawDocument,
    callerSchemas: Array.isArray(callerSchemas) ? callerSchemas.map(String) : [],
  };
}

async function readCatalog(client: DbClient): Promise<Catalog> {
  const mode = knownMode(client);
  if (mode) return read(client, mode);
  // Unknown state: a savepoint outside a transaction fails harmlessly, while
  // BEGIN ... COMMIT inside one would commit the caller's work.
  try {
    return await read(client, 'savepoint');
  } catch (error) {
    if (sqlState(error) !== NO_ACTIVE_TRANSACTION) throw error;
    return read(client, 'own transaction');
  }
}

/** The display names (`public.schema_migrations`) of the relations `exclude` names. */
export function excludedNames(document: RawDocument, callerSchemas: readonly string[], exclude: readonly ExcludedTable[]): Set<string> {
  const names = rows(document.relationNames, 'relation names').map((r) => (r as unknown as unknown[]).map(String));
  const found = new Set<string>();
  for (const { schema, table } of exclude) {
    // Unqualified: the first schema on the caller's path that has it, as name lookup goes.
    const schemas = schema === undefined ? callerSchemas : [schema];
    for (const candidate of schemas) {
      const hit = names.find(([, nsp, rel]) => nsp === candidate && rel === table);
      if (hit?.[0] !== undefined) {
        found.add(hit[0]);
        break;
      }
    }
  }
  return found;
}

/**
 * A snapshot of the database's schema: every user object the catalog
 * describes, OID-free, sorted, JSON-serialisable; equal schemas give
 * deep-equal snapshots. One round trip (two for a client that cannot tell
 * whether it is inside a transaction and is not). Works inside or outside
 * a transaction; inside one it sees the transaction's own changes.
 *
 * @example
 * const before = await snapshotSchema(client, { exclude: [{ schema: 'public', table: 'schema_migrations' }] });
 */
export async function snapshotSchema(client: DbClient, options: SnapshotOptions = {}): Promise<SchemaSnapshot> {
  const catalog = await readCatalog(client);
  return normalise(catalog.document, excludedNames(catalog.document, catalog.callerSchemas, options.exclude ?? []));
}
