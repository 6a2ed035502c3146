/**
 * The shape of a schema diff: a flat, sorted list of changes, each naming
 * one object. JSON-serialisable, so the CLI's --json and the Action's
 * outputs can carry it as it is.
 */
import type { Grant } from './model.js';

/** What an object is; `other` is the catch-all, with pg_identify_object's word in `objectType`. */
export type ObjectKind =
  | 'schema'
  | 'extension'
  | 'type'
  | 'sequence'
  | 'table'
  | 'view'
  | 'materialized view'
  | 'foreign table'
  | 'column'
  | 'constraint'
  | 'index'
  | 'trigger'
  | 'policy'
  | 'rule'
  | 'function'
  | 'procedure'
  | 'aggregate'
  | 'event trigger'
  | 'statistics'
  | 'default privileges'
  | 'other';

/** Object kinds, then the kinds of change that are about an object rather than one: the sort order of a diff. */
export const KIND_ORDER = [
  'schema',
  'extension',
  'type',
  'sequence',
  'table',
  'view',
  'materialized view',
  'foreign table',
  'column',
  'order',
  'constraint',
  'index',
  'trigger',
  'policy',
  'rule',
  'function',
  'procedure',
  'aggregate',
  'event trigger',
  'statistics',
  'default privileges',
  'other',
  'comment',
  'owner',
  'grant',
] as const;

export type ChangeKind = (typeof KIND_ORDER)[number];

/** The table, view or type a column, constraint, index, trigger, policy or rule belongs to. */
export interface ParentRef {
  readonly kind: ObjectKind;
  readonly name: string;
}

interface About {
  /**
   * The object's qualified name: `public.orders`, `public.orders_user_idx`
   * (indexes are schema objects), `public.orders.status` (a column),
   * `public.orders.orders_pkey` (a constraint, trigger, policy or rule),
   * `public.add(integer,integer)`. For comment, owner, grant and order: the
   * object they are about.
   */
  readonly name: string;
  readonly parent?: ParentRef;
  /** The name within the parent: `status`, `orders_pkey`, `orders_user_idx`. */
  readonly local?: string;
  /** For `other`: `collation`, `text search configuration`... */
  readonly objectType?: string;
}

/** One differing field of a changed object, with both values as the snapshot holds them. */
export interface FieldChange {
  readonly field: string;
  readonly before: unknown;
  readonly after: unknown;
}

export type SchemaChange =
  | (About & {
      readonly kind: ObjectKind;
      readonly change: 'added';
      /** The object as the snapshot holds it (a table with its columns, say). */
      readonly object: unknown;
    })
  | (About & { readonly kind: ObjectKind; readonly change: 'dropped'; readonly object: unknown })
  | (About & { readonly kind: ObjectKind; readonly change: 'changed'; readonly fields: readonly FieldChange[] })
  | (About & {
      readonly kind: 'comment';
      readonly change: 'added' | 'dropped' | 'changed';
      readonly on: ObjectKind;
      readonly before: string | null;
      readonly after: string | null;
    })
  | (About & {
      readonly kind: 'owner';
      readonly change: 'changed';
      readonly on: ObjectKind;
      readonly before: string;
      readonly after: string;
    })
  | (About & {
      readonly kind: 'grant';
      /** `added`: the grantee holds the privilege now; `dropped`: no longer. */
      readonly change: 'added' | 'dropped';
      readonly on: ObjectKind;
      readonly grant: Grant;
      /** The privilege is one PostgreSQL gives by default (EXECUTE to PUBLIC...), revoked on one side. */
      readonly byDefault: boolean;
    })
  | (About & {
      /**
       * Columns present on both sides are in another order: UP `DROP COLUMN a`
       * and DOWN `ADD COLUMN a` put `a` last. Its own kind, so a caller can
       * warn about it rather than fail. Lists are all columns of each side.
       */
      readonly kind: 'order';
      readonly change: 'changed';
      readonly on: ObjectKind;
      readonly before: readonly string[];
      readonly after: readonly string[];
    });

/** A change to an object itself (not to its comment, owner, grants or column order). */
export type ObjectChange = Extract<SchemaChange, { readonly kind: ObjectKind }>;
/** An object that is on one side only. */
export type PresenceChange = Extract<SchemaChange, { readonly object: unknown }>;
