/**
 * Hazard/safe cases for one lint rule, as ESLint's RuleTester runs a rule's
 * invalid and valid cases: each case is the UP part of a migration linted
 * on BASE (a filled orders table and a customers table, as an earlier
 * migration made them), by every rule, with `SET lock_timeout` first. A
 * hazard must give exactly its rule's finding; a safe form, none.
 */
import { describe, expect, it } from 'vitest';
import { lintMigrations, type LintOptions } from '../../src/core/lint/lint.js';
import type { RuleName } from '../../src/core/lint/registry.js';
import type { Problem } from '../../src/core/problem.js';
import { parseSections } from '../../src/core/sections.js';
import { describer } from '../../src/sql/describe.js';
import { loadParser } from '../../src/sql/parser.js';
import type { Migration } from '../../src/core/types.js';

/** PostgreSQL's parser, which reads the statements for the lint. */
export const describeSql = describer(await loadParser());

/** The existing schema, as an earlier migration made it: a filled orders table and a customers table. */
export const BASE = `-- UP
CREATE TABLE customers (id bigint PRIMARY KEY, email text NOT NULL, name varchar(50));
CREATE TABLE orders (id int PRIMARY KEY, customer_id bigint, status varchar(10) NOT NULL DEFAULT 'new',
  note text, amount int, price numeric(10,2), created_at timestamptz NOT NULL DEFAULT now());
CREATE INDEX orders_created_at_idx ON orders (created_at);
ALTER TABLE orders ADD CONSTRAINT orders_note_not_null CHECK (note IS NOT NULL);
`;

/** The header line that makes a migration run outside a transaction (VACUUM and CONCURRENTLY need it). */
export const NO_TRANSACTION = '-- pgshift:no-transaction\n';

export interface SnippetOptions extends Partial<Omit<LintOptions, 'facts' | 'together'>> {
  /** Lines above `-- UP`: `-- pgshift:no-transaction`, a file-wide `-- pgshift:safe`. */
  readonly header?: string;
  /** False: no `SET lock_timeout` before the statements. */
  readonly timeout?: boolean;
  /** More of the existing schema: statements of the earlier migration, after BASE. */
  readonly context?: string;
}

/** A migration file's text as the lint reads it. */
export function migrationOf(version: number, text: string): Migration {
  const file = { version, name: 'm', fileName: `00${version}_m.sql`, path: `migrations/00${version}_m.sql`, checksum: '', text };
  const sections = parseSections(text, file.path);
  if ('code' in sections) throw new Error(`${file.path}: ${sections.message}`);
  return { ...file, ...sections };
}

/** The findings on `up` as migration 002 on BASE (PostgreSQL 14 unless said). */
export function lintSnippet(up: string, options: SnippetOptions = {}): Problem[] {
  const { header = '', timeout = true, pgVersion = 14, context = '', ...rest } = options;
  const text = `${header}-- UP\n${timeout ? "SET lock_timeout = '2s';\n" : ''}${up}\n`;
  const result = lintMigrations({
    ...rest,
    describe: describeSql,
    pgVersion,
    together: true,
    context: [migrationOf(1, `${BASE}${context}\n`)],
    migrations: [migrationOf(2, text)],
  });
  return result.findings.map((f) => f.problem);
}

/** The rules of the findings on `up`, in order. */
export const rulesOf = (up: string, options?: SnippetOptions): (string | undefined)[] => lintSnippet(up, options).map((f) => f.lint?.rule);

/** A case: the statements, or the statements with the options they need. */
export type RuleCase = string | ({ readonly sql: string } & SnippetOptions);

/** One describe block for `rule`: each invalid case gives exactly its finding, each valid case none. */
export function testRule(rule: RuleName, cases: { readonly invalid: readonly RuleCase[]; readonly valid?: readonly RuleCase[] }): void {
  const split = (c: RuleCase): { sql: string; options: SnippetOptions } => {
    if (typeof c === 'string') return { sql: c, options: {} };
    const { sql, ...options } = c;
    return { sql, options };
  };
  describe(`rule ${rule}`, () => {
    for (const { sql, options } of cases.invalid.map(split)) it(`flags: ${sql}`, () => expect(rulesOf(sql, options)).toEqual([rule]));
    for (const { sql, options } of (cases.valid ?? []).map(split))
      it(`lets through: ${sql}`, () => expect(rulesOf(sql, options)).toEqual([]));
  });
}
