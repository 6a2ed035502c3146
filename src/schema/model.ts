/**
 * What a schema snapshot holds: plain JSON data, sorted, with no OIDs, so
 * two snapshots of equal schemas are deep-equal whichever database they
 * came from. Every name is as PostgreSQL renders it with search_path =
 * pg_catalog: schema-qualified and quoted where needed (`public.orders`,
 * `public."Order"`); names inside a table (columns, constraints, triggers)
 * are quoted, not qualified.
 */

/** One privilege one role holds; `PUBLIC` is the grantee for everyone. */
export interface Grant {
  readonly grantee: string;
  readonly privilege: string;
  readonly grantable: boolean;
}

/**
 * An object's owner, privileges and comment: compared as their own kinds of
 * change. Privileges are relative to PostgreSQL's built-in default for the
 * kind of object (the owner holds all; PUBLIC may EXECUTE functions and
 * USAGE types): `grants` is what GRANT added, `revoked` what REVOKE removed.
 */
export interface Owned {
  readonly owner: string;
  readonly grants: readonly Grant[];
  readonly revoked: readonly Grant[];
  readonly comment: string | null;
}

export interface SchemaEntry extends Owned {
  readonly name: string;
}

export interface Extension {
  readonly name: string;
  readonly version: string;
  readonly schema: string;
}

export type Persistence = 'permanent' | 'unlogged' | 'temporary';

export interface Column {
  readonly name: string;
  /** 1-based rank among live columns (not attnum, which keeps the gaps dropped columns leave). */
  readonly position: number;
  /**
   * The catalog's column number, which RENAME COLUMN keeps and a dropped
   * column leaves a gap in. Never compared (the same schema built another
   * way numbers its columns otherwise): it only pairs a column gone from a
   * table with one new in it as a rename. Absent in snapshots made by hand.
   */
  readonly attnum?: number;
  readonly type: string;
  readonly notNull: boolean;
  /** The default, or for a generated column its expression. */
  readonly default: string | null;
  readonly identity: 'always' | 'by default' | null;
  readonly generated: 'stored' | 'virtual' | null;
  /** Only when it is not the type's default collation. */
  readonly collation: string | null;
  /** Only when it is not the type's default storage. */
  readonly storage: 'plain' | 'external' | 'extended' | 'main' | null;
  readonly compression: string | null;
  readonly statisticsTarget: number | null;
  readonly options: readonly string[];
  readonly fdwOptions: readonly string[];
  readonly grants: readonly Grant[];
  readonly comment: string | null;
}

export type ConstraintType = 'check' | 'foreign key' | 'not null' | 'primary key' | 'unique' | 'exclusion';

export interface Constraint {
  readonly name: string;
  readonly type: ConstraintType;
  readonly definition: string;
  readonly validated: boolean;
  readonly deferrable: boolean;
  readonly deferred: boolean;
  readonly comment: string | null;
}

export interface Index {
  /** Schema-qualified: an index is a schema object of its own. */
  readonly name: string;
  readonly definition: string;
  /** False after a failed CREATE INDEX CONCURRENTLY: the index is there but not used. */
  readonly valid: boolean;
  readonly clustered: boolean;
  readonly replicaIdentity: boolean;
  /** The primary key, unique or exclusion constraint the index backs. */
  readonly constraint: string | null;
  /** The partitioned index this one is a partition of. */
  readonly partitionOf: string | null;
  readonly comment: string | null;
}

/** `origin` is plain ENABLE; `replica` and `always` are ENABLE REPLICA / ENABLE ALWAYS. */
export type Firing = 'origin' | 'disabled' | 'replica' | 'always';

export interface Trigger {
  readonly name: string;
  readonly definition: string;
  readonly enabled: Firing;
  readonly comment: string | null;
}

export interface Policy {
  readonly name: string;
  readonly command: 'ALL' | 'SELECT' | 'INSERT' | 'UPDATE' | 'DELETE';
  readonly permissive: boolean;
  readonly roles: readonly string[];
  readonly using: string | null;
  readonly withCheck: string | null;
  readonly comment: string | null;
}

export interface Rule {
  readonly name: string;
  readonly definition: string;
  readonly enabled: Firing;
  readonly comment: string | null;
}

export type RelationKind = 'table' | 'view' | 'materialized view' | 'foreign table';

/** A table (partitioned or not), view, materialized view or foreign table, with all that hangs off it. */
export interface Relation extends Owned {
  readonly name: string;
  readonly kind: RelationKind;
  readonly persistence: Persistence;
  readonly rowSecurity: boolean;
  readonly forceRowSecurity: boolean;
  readonly options: readonly string[];
  readonly replicaIdentity: 'default' | 'nothing' | 'full' | 'index';
  readonly accessMethod: string | null;
  readonly tablespace: string | null;
  /** A view's or materialized view's query (pg_get_viewdef). */
  readonly definition: string | null;
  /** PARTITION BY of a partitioned table. */
  readonly partitionKey: string | null;
  /** FOR VALUES of a partition. */
  readonly partitionBound: string | null;
  /** Parents in inheritance order (a partition has one: its partitioned table). */
  readonly parents: readonly string[];
  readonly server: string | null;
  readonly serverOptions: readonly string[];
  /** In position order. */
  readonly columns: readonly Column[];
  readonly constraints: readonly Constraint[];
  readonly indexes: readonly Index[];
  readonly triggers: readonly Trigger[];
  readonly policies: readonly Policy[];
  readonly rules: readonly Rule[];
}

/** Bounds are strings: bigint values do not fit in a JSON number. Never the current value. */
export interface Sequence extends Owned {
  readonly name: string;
  readonly type: string;
  readonly start: string;
  readonly increment: string;
  readonly min: string;
  readonly max: string;
  readonly cache: string;
  readonly cycle: boolean;
  /** `table.column` of OWNED BY (serial) or of the identity column the sequence serves. */
  readonly ownedBy: string | null;
  readonly identity: boolean;
  readonly persistence: Persistence;
}

export interface DomainConstraint {
  readonly name: string;
  readonly type: ConstraintType;
  readonly definition: string;
  readonly validated: boolean;
  readonly comment: string | null;
}

export interface TypeAttribute {
  readonly name: string;
  readonly type: string;
  readonly collation: string | null;
  readonly comment: string | null;
}

interface TypeCommon extends Owned {
  readonly name: string;
}

export type TypeEntry =
  | (TypeCommon & { readonly kind: 'enum'; readonly labels: readonly string[] })
  | (TypeCommon & {
      readonly kind: 'domain';
      readonly baseType: string;
      readonly default: string | null;
      readonly notNull: boolean;
      readonly collation: string | null;
      readonly constraints: readonly DomainConstraint[];
    })
  | (TypeCommon & { readonly kind: 'composite'; readonly attributes: readonly TypeAttribute[] })
  | (TypeCommon & {
      readonly kind: 'range';
      readonly subtype: string;
      readonly collation: string | null;
      readonly opclass: string | null;
      readonly canonical: string | null;
      readonly subtypeDiff: string | null;
      readonly multirange: string | null;
    })
  | (TypeCommon & { readonly kind: 'base' | 'shell'; readonly definition: string | null });

export type RoutineKind = 'function' | 'procedure' | 'aggregate';

export interface Routine extends Owned {
  /** `schema.name(argument types)`, as regprocedure writes it. */
  readonly name: string;
  readonly kind: RoutineKind;
  /** pg_get_functiondef; for an aggregate, its CREATE AGGREGATE options in words. */
  readonly definition: string;
}

export interface EventTrigger {
  readonly name: string;
  readonly event: string;
  readonly function: string;
  readonly enabled: Firing;
  readonly tags: readonly string[];
  readonly owner: string;
  readonly comment: string | null;
}

export interface StatisticsObject {
  readonly name: string;
  readonly table: string;
  readonly definition: string;
  readonly target: number | null;
  readonly owner: string;
  readonly comment: string | null;
}

export interface DefaultPrivilege {
  readonly role: string;
  /** NULL: for objects made in any schema. */
  readonly schema: string | null;
  readonly objects: 'tables' | 'sequences' | 'functions' | 'types' | 'schemas';
  /** For all schemas: relative to the built-in default, as for objects. For one schema: what it adds. */
  readonly grants: readonly Grant[];
  readonly revoked: readonly Grant[];
}

/** An object no class above covers (a collation, an operator, a cast...): its identity only. */
export interface OtherObject {
  /** pg_identify_object's type: `collation`, `text search configuration`... */
  readonly type: string;
  readonly identity: string;
  readonly comment: string | null;
}

export interface SchemaSnapshot {
  readonly schemas: readonly SchemaEntry[];
  readonly extensions: readonly Extension[];
  readonly relations: readonly Relation[];
  readonly sequences: readonly Sequence[];
  readonly types: readonly TypeEntry[];
  readonly routines: readonly Routine[];
  readonly eventTriggers: readonly EventTrigger[];
  readonly statistics: readonly StatisticsObject[];
  readonly defaultPrivileges: readonly DefaultPrivilege[];
  readonly others: readonly OtherObject[];
}
