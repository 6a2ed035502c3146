/** Synthetic verify reports and problems for the comment tests: no database, no files. */
import type { Problem, VerifiedMigration, VerifyReport } from '../../src/index.js';
import type { SummaryGroup } from '../../src/schema/index.js';

export const verifiedMigration = (version: number, fields: Partial<VerifiedMigration> = {}): VerifiedMigration => ({
  version,
  name: `m${version}`,
  file: `migrations/${String(version).padStart(3, '0')}_m${version}.sql`,
  transaction: 'transaction',
  hasDown: true,
  up: 'ok',
  down: 'ok',
  reup: 'ok',
  upMs: 12,
  upSql: `CREATE TABLE t${version} (id bigint PRIMARY KEY, note text);\nCREATE INDEX t${version}_note ON t${version} (note);`,
  downSql: `DROP TABLE t${version};`,
  ...fields,
});

export const finding = (file: string, fields: Partial<Problem> = {}, lint: Partial<NonNullable<Problem['lint']>> = {}): Problem => ({
  code: 'LINT',
  severity: 'warning',
  message: 'Creating an index without CONCURRENTLY blocks writes to the table while it builds',
  file,
  line: 2,
  ...fields,
  lint: {
    rule: 'create-index',
    family: 'index-not-concurrent',
    fix: 'CREATE INDEX CONCURRENTLY t_note ON t (note);',
    observed: 'took SHARE on public.t',
    ...lint,
  },
});

export const group = (name: string, lines: readonly string[]): SummaryGroup => ({
  kind: 'table',
  name,
  title: `table ${name}`,
  change: 'added',
  headline: `added table ${name} (${lines.length} columns)`,
  lines: lines.map((text) => ({ sign: '+', text })),
  changes: [],
});

export const verifyReport = (fields: Partial<VerifyReport> = {}): VerifyReport => ({
  ok: true,
  base: 'main',
  baseMigrations: 1,
  server: { version: '17.2', kind: 'private' },
  migrations: [verifiedMigration(2)],
  problems: [],
  findings: [],
  schemaChanges: [],
  schemaSummary: [group('public.t2', ['column id bigint NOT NULL', 'column note text'])],
  phases: { read: 1, server: 1, base: 1, migrations: 1, total: 4 },
  ...fields,
});

/** The Markdown without its fenced code blocks, where GitHub links nothing. */
export function outsideFences(markdown: string): string {
  const kept: string[] = [];
  let fence: { readonly indent: string; readonly length: number } | undefined;
  for (const line of markdown.split('\n')) {
    const open = /^(\s*)(`{3,})/.exec(line);
    if (fence) {
      if (open && open[2]!.length >= fence.length && line.trim() === '`'.repeat(open[2]!.length)) fence = undefined;
    } else if (open) fence = { indent: open[1]!, length: open[2]!.length };
    else kept.push(line);
  }
  return kept.join('\n');
}

/**
 * What GitHub would read as a mention or an issue link: the text outside
 * fences and `<code>`, with character references decoded as its parser does.
 */
export function liveReferences(markdown: string): string[] {
  const prose = outsideFences(markdown)
    .replace(/<code>.*?<\/code>/g, ' ')
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)));
  return [...prose.matchAll(/(?<![\w`])@[a-z0-9][a-z0-9-]*(?:\/[a-z0-9][\w-]*)?|(?<!\w)#\d+|[\w.-]+\/[\w.-]+#\d+/gi)].map((m) => m[0]);
}
