/**
 * CREATE TABLE and ALTER TABLE as the lint sees them, from their parse
 * trees: the columns with their types and defaults, the constraints, and
 * each action of an ALTER TABLE with the lock PostgreSQL takes for it.
 */
import type { AlterTableStmt, ColumnDef as ColumnNode, Constraint, CreateStmt, Node } from 'libpg-query';
import type { Action, AlterAction, ColumnDef, ConstraintDef, ConstraintType, LockMode } from '../core/lint/action.js';
import { quoteIdent } from '../core/identifier.js';
import { as, callsIn, dotted, relationName, strings, typeText, type StatementText } from './ast.js';

export function createTable(stmt: CreateStmt, text: StatementText): Action {
  const table = relationName(stmt.relation);
  const parent = stmt.partbound ? stmt.inhRelations?.[0] : undefined;
  // A partition takes ACCESS EXCLUSIVE on its parent.
  if (parent) return { kind: 'other', tables: [{ table: relationName(as(parent, 'RangeVar')), mode: 'ACCESS EXCLUSIVE' }] };
  const columns: ColumnDef[] = [];
  const constraints: ConstraintDef[] = [];
  for (const element of stmt.tableElts ?? []) {
    const column = as(element, 'ColumnDef');
    const constraint = as(element, 'Constraint');
    if (column) columns.push(columnDef(column, text));
    else if (constraint) {
      const k = constraintDef(constraint, text);
      if (k) constraints.push(k);
    }
  }
  const references = [
    ...columns.flatMap((c) => (c.references ? [c.references] : [])),
    ...constraints.flatMap((k) => (k.references ? [k.references] : [])),
  ];
  const partitioned = stmt.partspec !== undefined;
  return {
    kind: 'create-table',
    table,
    columns,
    constraints,
    references,
    fromQuery: false,
    ...(partitioned && { partitioned }),
    ...(stmt.if_not_exists && { ifNotExists: true }),
  };
}

/** A column definition: its type, NOT NULL, default, generated or identity, and keys. */
export function columnDef(c: ColumnNode, text: StatementText): ColumnDef {
  const type = typeText(c.typeName);
  const serial = /^(small|big)?serial[248]?$/.test(type);
  const kinds = (c.constraints ?? []).map((k) => as(k, 'Constraint')?.contype);
  const has = (kind: string): boolean => kinds.includes(kind as Constraint['contype']);
  const identity = has('CONSTR_IDENTITY') || serial;
  const primaryKey = has('CONSTR_PRIMARY');
  const fk = (c.constraints ?? []).map((k) => as(k, 'Constraint')).find((k) => k?.contype === 'CONSTR_FOREIGN');
  const defaultOf = (c.constraints ?? []).map((k) => as(k, 'Constraint')).find((k) => k?.contype === 'CONSTR_DEFAULT');
  const generated = (c.constraints ?? []).map((k) => as(k, 'Constraint')).find((k) => k?.contype === 'CONSTR_GENERATED');
  const constraints = columnConstraints(c, text);
  return {
    name: c.colname ?? '',
    type,
    notNull: has('CONSTR_NOTNULL') || primaryKey || identity || c.is_not_null === true,
    // PostgreSQL 18's virtual generated columns are computed on read: nothing is stored.
    generatedStored: generated !== undefined && generated.generated_kind !== 'v',
    identity,
    primaryKey,
    unique: has('CONSTR_UNIQUE'),
    ...(defaultOf && { default: defaultText(c, defaultOf, text), defaultCalls: callsIn(defaultOf.raw_expr) }),
    ...(fk?.pktable && { references: relationName(fk.pktable) }),
    ...(constraints.length > 0 && { constraints }),
  };
}

/** A column's CHECK, REFERENCES, UNIQUE and PRIMARY KEY, as the table constraints they are (`FOREIGN KEY (c) REFERENCES ...`). */
function columnConstraints(c: ColumnNode, text: StatementText): ConstraintDef[] {
  const nodes = (c.constraints ?? []).map((k) => as(k, 'Constraint')).filter((k) => k !== undefined);
  const starts = nodes.map((k) => text.at(k.location)).filter((at): at is number => at !== undefined);
  return nodes.flatMap((k) => {
    const start = text.at(k.location) ?? 0;
    const end = Math.min(text.itemEnd(start), ...starts.filter((at) => at > start));
    const def = constraintDef(k, text, end);
    if (!def) return [];
    const column = quoteIdent(c.colname ?? '', 'readable');
    const written = def.type === 'foreign-key' ? `FOREIGN KEY (${column}) ${def.text}` : def.text;
    return [{ ...def, columns: [c.colname ?? ''], text: written }];
  });
}

/** A DEFAULT's expression as written: from after the word DEFAULT to the column's next clause. */
function defaultText(c: ColumnNode, k: Constraint, text: StatementText): string {
  const start = text.at(k.location) ?? 0;
  // After the word DEFAULT (a named one, CONSTRAINT d DEFAULT ..., starts at CONSTRAINT).
  const word = text.tokens.findIndex((t, i) => i >= text.tokenAt(start) && t.kind === 'word' && t.upper === 'DEFAULT');
  const afterWord = text.tokens[word + 1]?.start ?? start;
  const later = (c.constraints ?? [])
    .map((n) => text.at(as(n, 'Constraint')?.location))
    .filter((at): at is number => at !== undefined && at > start);
  const end = Math.min(text.itemEnd(start), ...later, text.at(c.collClause?.location) ?? Infinity);
  return text.slice(afterWord, end);
}

const CONSTRAINT_TYPES: Readonly<Record<string, ConstraintType>> = {
  CONSTR_CHECK: 'check',
  CONSTR_FOREIGN: 'foreign-key',
  CONSTR_UNIQUE: 'unique',
  CONSTR_PRIMARY: 'primary-key',
  CONSTR_EXCLUSION: 'exclude',
};

/** A table constraint; undefined for the kinds the rules do not look at. */
export function constraintDef(k: Constraint, text: StatementText, end?: number): ConstraintDef | undefined {
  const type = k.contype && CONSTRAINT_TYPES[k.contype];
  if (!type) return undefined;
  const start = text.at(k.location) ?? 0;
  // The text after the constraint's name: `CHECK (price >= 0)`.
  const first = text.tokenAt(start);
  const body = k.conname && text.tokens[first]?.upper === 'CONSTRAINT' ? (text.tokens[first + 2]?.start ?? start) : start;
  const columns = strings(type === 'foreign-key' ? k.fk_attrs : k.keys);
  const notNullOf = type === 'check' ? provesNotNull(k.raw_expr) : undefined;
  return {
    type,
    notValid: k.skip_validation === true,
    columns,
    text: text.slice(body, end ?? text.itemEnd(start)),
    ...(k.conname && { name: k.conname }),
    ...(k.indexname && { usingIndex: k.indexname }),
    ...(k.pktable && { references: relationName(k.pktable) }),
    ...(notNullOf && { notNullOf }),
  };
}

/** The column a `CHECK (col IS NOT NULL)` proves not null. */
function provesNotNull(expr: Node | undefined): string | undefined {
  const test = as(expr, 'NullTest');
  if (test?.nulltesttype !== 'IS_NOT_NULL') return undefined;
  const fields = as(test.arg, 'ColumnRef')?.fields;
  return fields?.length === 1 ? dotted(fields) : undefined;
}

/** ALTER TABLE: each action with where it starts in the text, in the order written. */
export function alterTable(stmt: AlterTableStmt, text: StatementText): Action {
  const table = relationName(stmt.relation);
  const starts = actionStarts(stmt, text);
  const actions = (stmt.cmds ?? []).map((node, i): AlterAction => {
    const kind = alterAction(as(node, 'AlterTableCmd') ?? {}, text);
    const at = starts[i];
    return at === undefined ? kind : { ...kind, at };
  });
  return { kind: 'alter-table', table, actions };
}

/** Where each action of an ALTER TABLE starts: after the table's name, then after each comma between actions. */
function actionStarts(stmt: AlterTableStmt, text: StatementText): number[] {
  const tokens = text.tokens;
  let i = text.tokenAt(text.at(stmt.relation?.location) ?? 0);
  // The name's parts and dots, and a trailing `*`.
  while (tokens[i + 1]?.upper === '.') i += 2;
  i++;
  if (tokens[i]?.upper === '*') i++;
  const starts: number[] = [];
  if (tokens[i]) starts.push(tokens[i]!.start);
  for (let k = i; k < tokens.length; k++)
    if (tokens[k]!.depth === 0 && tokens[k]!.upper === ',' && tokens[k + 1]) starts.push(tokens[k + 1]!.start);
  return starts.length === (stmt.cmds ?? []).length ? starts : [];
}

type AlterKind = AlterAction extends infer A ? (A extends unknown ? Omit<A, 'at'> : never) : never;

/** Lock modes of the ALTER TABLE forms that let reads and writes (or reads) go on, as PostgreSQL's ALTER TABLE page lists them. */
const WEAKER_LOCKS: Readonly<Record<string, LockMode>> = {
  AT_SetStatistics: 'SHARE UPDATE EXCLUSIVE',
  AT_SetOptions: 'SHARE UPDATE EXCLUSIVE',
  AT_ResetOptions: 'SHARE UPDATE EXCLUSIVE',
  AT_SetRelOptions: 'SHARE UPDATE EXCLUSIVE',
  AT_ResetRelOptions: 'SHARE UPDATE EXCLUSIVE',
  AT_ClusterOn: 'SHARE UPDATE EXCLUSIVE',
  AT_DropCluster: 'SHARE UPDATE EXCLUSIVE',
  AT_DetachPartitionFinalize: 'SHARE UPDATE EXCLUSIVE',
  AT_EnableTrig: 'SHARE ROW EXCLUSIVE',
  AT_EnableAlwaysTrig: 'SHARE ROW EXCLUSIVE',
  AT_EnableReplicaTrig: 'SHARE ROW EXCLUSIVE',
  AT_DisableTrig: 'SHARE ROW EXCLUSIVE',
  AT_EnableTrigAll: 'SHARE ROW EXCLUSIVE',
  AT_DisableTrigAll: 'SHARE ROW EXCLUSIVE',
  AT_EnableTrigUser: 'SHARE ROW EXCLUSIVE',
  AT_DisableTrigUser: 'SHARE ROW EXCLUSIVE',
};

function alterAction(cmd: NonNullable<ReturnType<typeof as<'AlterTableCmd'>>>, text: StatementText): AlterKind {
  const column = cmd.name ?? '';
  switch (cmd.subtype) {
    case 'AT_AddColumn':
      return { kind: 'add-column', column: columnDef(as(cmd.def, 'ColumnDef') ?? {}, text) };
    case 'AT_DropColumn':
      return { kind: 'drop-column', column };
    case 'AT_AlterColumnType': {
      const def = as(cmd.def, 'ColumnDef');
      return { kind: 'alter-type', column, type: typeText(def?.typeName), using: def?.raw_default !== undefined };
    }
    case 'AT_SetNotNull':
      return { kind: 'set-not-null', column };
    case 'AT_DropNotNull':
      return { kind: 'drop-not-null', column };
    case 'AT_ColumnDefault':
      return { kind: cmd.def ? 'set-default' : 'drop-default', column };
    case 'AT_AddConstraint': {
      const k = constraintDef(as(cmd.def, 'Constraint') ?? {}, text);
      return k ? { kind: 'add-constraint', constraint: k } : { kind: 'other', lock: 'ACCESS EXCLUSIVE' };
    }
    case 'AT_ValidateConstraint':
      return { kind: 'validate-constraint', name: column };
    case 'AT_DropConstraint':
      return { kind: 'drop-constraint', name: column };
    case 'AT_SetLogged':
      return { kind: 'set-logged' };
    case 'AT_SetUnLogged':
      return { kind: 'set-unlogged' };
    case 'AT_SetTableSpace':
      return { kind: 'set-tablespace' };
    case 'AT_AttachPartition':
      return { kind: 'attach-partition', partition: relationName(as(cmd.def, 'PartitionCmd')?.name) };
    case 'AT_DetachPartition':
      return { kind: 'other', lock: as(cmd.def, 'PartitionCmd')?.concurrent ? 'SHARE UPDATE EXCLUSIVE' : 'ACCESS EXCLUSIVE' };
    default:
      return { kind: 'other', lock: (cmd.subtype && WEAKER_LOCKS[cmd.subtype]) || 'ACCESS EXCLUSIVE' };
  }
}
