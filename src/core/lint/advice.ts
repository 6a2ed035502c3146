import { readableName } from '../identifier.js';
/**
 * The words of each finding, in the pattern users trust from
 * strong_migrations: one sentence of what the statement does in lock terms
 * and what it blocks, then the safe way as SQL in pgshift's own file format
 * with the statement's real names (a `-- pgshift:no-transaction` migration
 * where CONCURRENTLY needs one, numbered steps for expand/contract changes).
 */
import type { Action } from './parse.js';
import type { Hazard, RuleName } from './rules.js';

export interface Advice {
  readonly message: string;
  /** One sentence: what to do instead. */
  readonly instead: string;
  /** Ready SQL for it, in migration files (`-- UP` / `-- DOWN`), when there is a mechanical one. */
  readonly fix?: string;
}

export interface AdviceInput {
  readonly hazard: Hazard;
  readonly action: Action;
  /** The statement as written. */
  readonly sql: string;
  readonly pgVersion: number;
  /** The primary key column of the table, for batching. */
  readonly key: string;
}

const migration = (up: string, down?: string, noTransaction = false): string =>
  `${noTransaction ? '-- pgshift:no-transaction\n' : ''}-- UP\n${up}\n${down ? `\n-- DOWN\n${down}\n` : ''}`;

const file = (n: number, title: string, body: string) => `-- migration ${n}: ${title}\n${body}`;

const WHOLE_TABLE = 'while the whole table is rewritten';

export function advise(input: AdviceInput): Advice {
  const { hazard, action, sql } = input;
  const table = hazard.table ?? '';
  const t = readableName(table);
  const a = hazard.action;
  const col = a && 'column' in a ? (typeof a.column === 'string' ? a.column : a.column.name) : '';
  const c = readableName(col);
  const words = WORDS[hazard.rule];
  switch (hazard.rule) {
    case 'volatile-default':
    case 'add-column-default': {
      const def = a?.kind === 'add-column' ? a.column : undefined;
      const type = def?.type ?? 'type';
      return {
        message: `Adding column ${c} to ${t} with DEFAULT ${def?.default ?? ''} blocks reads and writes ${WHOLE_TABLE}${hazard.rule === 'volatile-default' ? ', since every row gets its own value' : ' (before PostgreSQL 11 every default does)'}.`,
        instead:
          'add the column without the default, set the default for new rows, then fill the old rows in batches outside a transaction.',
        fix:
          file(
            1,
            'the column',
            migration(
              `ALTER TABLE ${t} ADD COLUMN ${c} ${type};\nALTER TABLE ${t} ALTER COLUMN ${c} SET DEFAULT ${def?.default ?? 'NULL'};`,
              `ALTER TABLE ${t} DROP COLUMN ${c};`,
            ),
          ) +
          '\n' +
          file(2, 'the old rows, in batches', batchFix(t, input.key, `UPDATE ${t} SET ${c} = ${def?.default ?? 'NULL'}`, `${c} IS NULL`)),
      };
    }
    case 'add-required-column': {
      const def = a?.kind === 'add-column' ? a.column : undefined;
      return {
        message: `Adding column ${c} to ${t} as NOT NULL without a DEFAULT fails as soon as ${t} has a row: the old rows would hold NULL.`,
        instead:
          'add it with a DEFAULT (a constant one is instant since PostgreSQL 11), or add it nullable, fill it in batches, then make it NOT NULL through a validated CHECK.',
        fix: migration(
          `ALTER TABLE ${t} ADD COLUMN ${c} ${def?.type ?? ''} NOT NULL DEFAULT <value>;`,
          `ALTER TABLE ${t} DROP COLUMN ${c};`,
        ),
      };
    }
    case 'add-auto-increment-column':
    case 'add-stored-generated-column':
      return {
        message: `Adding ${hazard.rule === 'add-auto-increment-column' ? 'the auto-increment' : 'the stored generated'} column ${c} to ${t} blocks reads and writes ${WHOLE_TABLE}.`,
        instead:
          hazard.rule === 'add-auto-increment-column'
            ? 'add a plain nullable column, give it a sequence default for new rows, fill the old rows in batches, then add NOT NULL through a validated CHECK.'
            : 'add a plain column, keep it filled with a trigger, and fill the old rows in batches outside a transaction.',
      };
    case 'column-type-rewrite':
      return {
        message: `Changing the type of ${t}.${c}${hazard.detail?.['from'] ? ` from ${hazard.detail['from']}` : ''} to ${hazard.detail?.['to'] ?? ''} blocks reads and writes ${WHOLE_TABLE}${hazard.detail?.['from'] ? '' : " (pgshift could not see the column's current type; a wider varchar or numeric would not rewrite)"}.`,
        instead: `1. add a new column of the new type; 2. write to both columns in the application; 3. fill the new column in batches; 4. move reads to it; 5. stop writing the old one; 6. drop it (or rename in a short migration with a lock_timeout).`,
        fix: file(
          1,
          'the new column',
          migration(
            `ALTER TABLE ${t} ADD COLUMN ${readableName(`${col}_new`)} ${hazard.detail?.['to'] ?? ''};`,
            `ALTER TABLE ${t} DROP COLUMN ${readableName(`${col}_new`)};`,
          ),
        ),
      };
    case 'narrow-column-type':
      return {
        message: `Changing ${t}.${c}${hazard.detail?.['from'] ? ` from ${hazard.detail['from']}` : ''} to ${hazard.detail?.['to'] ?? ''} narrows what it holds: it checks or rewrites every row under ACCESS EXCLUSIVE, fails on a value that does not fit, and code that writes longer values breaks.`,
        instead:
          'make sure no row and no running code needs the wider type, then add the limit as a CHECK ... NOT VALID and VALIDATE it in a later migration.',
      };
    case 'set-not-null':
      return {
        message: `Setting NOT NULL on ${t}.${c} blocks reads and writes while every row is checked${input.pgVersion < 12 ? '' : ', since no validated CHECK proves the column not null'}.`,
        instead:
          input.pgVersion < 12
            ? 'PostgreSQL before 12 always scans for SET NOT NULL; run it when the table is quiet, or keep a validated CHECK (col IS NOT NULL) instead.'
            : 'add a CHECK (col IS NOT NULL) NOT VALID, VALIDATE it in a later migration, then SET NOT NULL, which uses it and does not scan.',
        fix:
          file(
            1,
            'the check',
            migration(
              `ALTER TABLE ${t} ADD CONSTRAINT ${readableName(`${last(table)}_${col}_not_null_check`)} CHECK (${c} IS NOT NULL) NOT VALID;`,
              `ALTER TABLE ${t} DROP CONSTRAINT ${readableName(`${last(table)}_${col}_not_null_check`)};`,
            ),
          ) +
          '\n' +
          file(
            2,
            'validate it, then NOT NULL',
            migration(
              `ALTER TABLE ${t} VALIDATE CONSTRAINT ${readableName(`${last(table)}_${col}_not_null_check`)};\nALTER TABLE ${t} ALTER COLUMN ${c} SET NOT NULL;\nALTER TABLE ${t} DROP CONSTRAINT ${readableName(`${last(table)}_${col}_not_null_check`)};`,
              `ALTER TABLE ${t} ALTER COLUMN ${c} DROP NOT NULL;`,
            ),
          ),
      };
    case 'add-check':
    case 'add-foreign-key': {
      const k = a?.kind === 'add-constraint' ? a.constraint : undefined;
      const name = k?.name ?? `${last(table)}_${hazard.rule === 'add-check' ? 'check' : 'fkey'}`;
      const what = k?.text ?? '';
      return {
        message: `Adding ${hazard.rule === 'add-check' ? 'a CHECK' : 'a FOREIGN KEY'} to ${t} checks every row while holding ${hazard.rule === 'add-check' ? 'ACCESS EXCLUSIVE: reads and writes wait' : 'SHARE ROW EXCLUSIVE on both tables: writes wait'}.`,
        instead:
          'add it NOT VALID (new rows are checked at once), then VALIDATE it in a later migration: VALIDATE lets reads and writes go on.',
        fix:
          file(
            1,
            'the constraint, not yet checked',
            migration(
              `ALTER TABLE ${t} ADD CONSTRAINT ${readableName(name)} ${what} NOT VALID;`,
              `ALTER TABLE ${t} DROP CONSTRAINT ${readableName(name)};`,
            ),
          ) +
          '\n' +
          file(2, 'check the old rows', migration(`ALTER TABLE ${t} VALIDATE CONSTRAINT ${readableName(name)};`)),
      };
    }
    case 'validate-in-same-transaction': {
      const name = a?.kind === 'validate-constraint' ? a.name : '';
      return {
        message: `Validating ${readableName(name)} in the transaction that added it keeps the ACCESS EXCLUSIVE lock the ADD took on ${t} through the whole check: reads and writes wait.`,
        instead: 'move the VALIDATE into a migration of its own, so that it runs in its own transaction with only SHARE UPDATE EXCLUSIVE.',
        fix: migration(`ALTER TABLE ${t} VALIDATE CONSTRAINT ${readableName(name)};`),
      };
    }
    case 'primary-key-nullable':
      return {
        message: `Adding the primary key to ${t} USING an index sets NOT NULL on ${hazard.detail?.['columns'] ?? 'its columns'}, which checks every row under ACCESS EXCLUSIVE.`,
        instead: 'make the columns NOT NULL first, through a validated CHECK (col IS NOT NULL) (see set-not-null), then add the key.',
      };
    case 'add-unique-constraint': {
      const k = a?.kind === 'add-constraint' ? a.constraint : undefined;
      const name = k?.name ?? `${last(table)}_${k?.columns.join('_') ?? ''}_key`;
      const kind = k?.type === 'primary-key' ? 'PRIMARY KEY' : 'UNIQUE';
      const columns = k?.columns.map(readableName).join(', ') ?? '';
      return {
        message: `Adding ${k?.type === 'exclude' ? 'an exclusion constraint' : `a ${kind} constraint`} to ${t} builds its index while holding ACCESS EXCLUSIVE: reads and writes wait for the whole build.`,
        instead:
          'build the unique index CONCURRENTLY in a no-transaction migration, then add the constraint USING INDEX, which is instant.',
        ...(k?.type !== 'exclude' && {
          fix:
            file(
              1,
              'the index',
              migration(
                `CREATE UNIQUE INDEX CONCURRENTLY ${readableName(name)} ON ${t} (${columns});`,
                `DROP INDEX CONCURRENTLY ${readableName(name)};`,
                true,
              ),
            ) +
            '\n' +
            file(
              2,
              'the constraint',
              migration(
                `ALTER TABLE ${t} ADD CONSTRAINT ${readableName(name)} ${kind} USING INDEX ${readableName(name)};`,
                `ALTER TABLE ${t} DROP CONSTRAINT ${readableName(name)};`,
              ),
            ),
        }),
      };
    }
    case 'create-index': {
      const name = action.kind === 'create-index' ? action.name : undefined;
      const concurrent =
        action.kind === 'create-index' ? `${sql.slice(0, action.insertAt)} CONCURRENTLY${sql.slice(action.insertAt)};` : '';
      return {
        message: `Creating ${name ? `index ${readableName(name)}` : 'an index'} on ${t} without CONCURRENTLY holds SHARE on the table for the whole build: writes wait.`,
        instead: 'build it CONCURRENTLY, in a migration of its own marked no-transaction (CONCURRENTLY cannot run in a transaction).',
        fix: migration(concurrent, name ? `DROP INDEX CONCURRENTLY ${readableName(name)};` : undefined, true),
      };
    }
    case 'drop-index': {
      const names = action.kind === 'drop-index' ? action.names : [];
      return {
        message: `Dropping ${names.map(readableName).join(', ')} without CONCURRENTLY takes ACCESS EXCLUSIVE on ${table ? t : 'its table'}: reads and writes wait, and so does the drop, behind any long query.`,
        instead: 'drop it CONCURRENTLY, one index per statement, in a no-transaction migration.',
        fix: migration(names.map((n) => `DROP INDEX CONCURRENTLY IF EXISTS ${readableName(n)};`).join('\n'), undefined, true),
      };
    }
    case 'reindex': {
      const r = action.kind === 'reindex' ? action : undefined;
      return {
        message: `REINDEX without CONCURRENTLY blocks writes to ${table ? t : 'the table'} (and reads that use the index) while it rebuilds.`,
        instead:
          input.pgVersion >= 12
            ? 'rebuild it CONCURRENTLY, in a no-transaction migration.'
            : 'before PostgreSQL 12: build a new index CONCURRENTLY, drop the old one CONCURRENTLY, rename the new one.',
        ...(input.pgVersion >= 12 &&
          r && { fix: migration(`REINDEX ${r.target.toUpperCase()} CONCURRENTLY ${readableName(r.name)};`, undefined, true) }),
      };
    }
    case 'set-logged':
    case 'set-tablespace':
    case 'vacuum-full':
    case 'cluster':
      return {
        message: `${words} ${table ? t : 'the table'} rewrites it while holding ACCESS EXCLUSIVE: reads and writes wait until it is done.`,
        instead:
          hazard.rule === 'vacuum-full' || hazard.rule === 'cluster'
            ? 'use pg_repack (or pg_squeeze), which rebuild the table online, instead of a migration; or acknowledge it for a maintenance window.'
            : 'there is no online way: run it in a maintenance window, and acknowledge it here.',
      };
    case 'drop-table':
    case 'drop-column':
      return {
        message: `Dropping ${hazard.rule === 'drop-table' ? `table ${t}` : `column ${t}.${c}`} breaks any running code that still uses it, and the data are gone once it commits.`,
        instead: 'first deploy code that no longer uses it, then drop it in a later migration, and acknowledge it there.',
      };
    case 'rename-column':
    case 'rename-table': {
      const to = a?.kind === 'rename-column' || a?.kind === 'rename-table' ? a.to : '';
      const from = a?.kind === 'rename-column' ? a.from : table;
      return {
        message: `Renaming ${hazard.rule === 'rename-table' ? `table ${t}` : `column ${t}.${readableName(from)}`} to ${readableName(to)} breaks every running query that uses the old name, from the moment it commits until the new code is out.`,
        instead:
          hazard.rule === 'rename-table'
            ? `1. rename the table and create a view with the old name (CREATE VIEW ${t} AS SELECT * FROM ${readableName(to)}), which simple queries can still write through; 2. deploy code that uses ${readableName(to)}; 3. drop the view.`
            : `1. add the new column ${readableName(to)}; 2. write to both in the application; 3. fill ${readableName(to)} in batches; 4. move reads to it; 5. stop writing ${readableName(from)}; 6. drop ${readableName(from)}.`,
      };
    }
    case 'truncate':
      return {
        message: `TRUNCATE of ${t} deletes every row at once under ACCESS EXCLUSIVE${/\bCASCADE\b/i.test(sql) ? ', and CASCADE empties every table that references it too' : ''}.`,
        instead: 'make sure nothing needs the rows, then acknowledge it; to empty a table in use, DELETE in batches instead.',
      };
    case 'lock-timeout':
      return {
        message: `This statement takes ${hazard.detail?.['mode'] ?? 'a lock'} on ${t} with no lock_timeout set: while it waits behind a long query, every other query on ${t} waits behind it.`,
        instead:
          'set a lock_timeout at the top of the migration (and retry the deploy if it runs out), or set the lock timeout pgshift runs with.',
        fix: `SET lock_timeout = '5s';`,
      };
    case 'unbatched-dml':
      return {
        message: `This ${action.kind === 'delete' ? 'DELETE' : 'UPDATE'} of ${t} may change many rows in one transaction: it holds their row locks until the migration commits (blocking writers to them), and bloats the table at once.`,
        instead: 'change the rows in batches that commit one by one, in a no-transaction migration.',
        ...(action.kind === 'update' || action.kind === 'delete'
          ? {
              fix: batchFix(
                t,
                input.key,
                action.kind === 'update' ? `UPDATE ${t} ${action.setText.replace(/^(ONLY\s+)?/i, '').trim()}` : `DELETE FROM ${t}`,
                action.where?.text,
              ),
            }
          : {}),
      };
    case 'enum-value-in-transaction':
      return {
        message: 'ALTER TYPE ... ADD VALUE cannot run inside a transaction block before PostgreSQL 12: the migration fails.',
        instead: 'put it in a no-transaction migration of its own.',
        fix: migration(`${sql};`, undefined, true),
      };
    case 'not-analysed':
      return {
        message: 'This DO block changes tables, and pgshift does not analyse the SQL inside it: its locks and rewrites are not predicted.',
        instead:
          'write the statements as plain SQL where you can; `pgshift verify` runs it and reports the locks it takes and the tables it rewrites.',
      };
    case 'observed-rewrite':
      return {
        message: `This statement rewrote ${t} while holding ${hazard.detail?.['mode'] ?? 'ACCESS EXCLUSIVE'}: reads and writes wait until it is done.`,
        instead:
          'find the change that rewrites the table and do it in steps (add, fill in batches, switch), or acknowledge it for a maintenance window.',
      };
  }
}

const WORDS: Partial<Record<RuleName, string>> = {
  'set-logged': 'SET LOGGED / UNLOGGED on',
  'set-tablespace': 'SET TABLESPACE on',
  'vacuum-full': 'VACUUM FULL of',
  cluster: 'CLUSTER of',
};

const last = (name: string): string => name.split('.').pop() ?? name;

/** A no-transaction migration that changes rows in key ranges, each range committed on its own. */
function batchFix(table: string, key: string, change: string, where: string | undefined): string {
  const k = readableName(key);
  const also = where ? ` AND (${where})` : '';
  return migration(
    [
      'DO $$',
      'DECLARE',
      '  low bigint;',
      '  high bigint;',
      'BEGIN',
      `  SELECT min(${k}), max(${k}) INTO low, high FROM ${table};`,
      '  WHILE low <= high LOOP',
      `    ${change} WHERE ${k} >= low AND ${k} < low + 10000${also};`,
      '    low := low + 10000;',
      '    COMMIT;',
      '  END LOOP;',
      'END $$;',
    ].join('\n'),
    undefined,
    true,
  );
}
