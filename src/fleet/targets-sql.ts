import { fail, problem, type Problem } from '../core/problem.js';
import { openSession } from '../postgres/pg-client.js';
import { databaseError } from '../postgres/database-error.js';

/**
 * The targets listed by a query on a control database (`--targets-sql`),
 * on a read-only session: columns `id`, `url_env`, `schema` and `labels`
 * (json), `url_env` and `schema` may be null. The rows come back as the
 * list a file would hold, for the same checks.
 */
export async function targetsFromSql(
  connection: string,
  sql: string,
): Promise<{ readonly list: unknown[]; readonly problems: readonly Problem[] }> {
  const session = await openSession(connection, { readOnly: true, statementTimeoutMs: 30_000 });
  try {
    let rows: Record<string, unknown>[];
    let columns: string[];
    try {
      const result = await session.client.query<Record<string, unknown>>(sql);
      rows = result.rows;
      columns = result.fields.map((f) => f.name);
    } catch (error) {
      throw databaseError(error, 'running --targets-sql');
    }
    if (!columns.includes('id')) {
      return {
        list: [],
        problems: [
          problem('INVALID_OPTION', `--targets-sql: the query returns no "id" column (it returns ${columns.join(', ') || 'no columns'})`, {
            hint: 'select id, url_env, schema, labels, e.g. SELECT id, url_env, schema, labels FROM tenants',
          }),
        ],
      };
    }
    const list = rows.map((row) => ({
      id: row.id === null || row.id === undefined ? undefined : String(row.id),
      ...(row.url_env != null && { urlEnv: String(row.url_env) }),
      ...(row.schema != null && { schema: String(row.schema) }),
      ...(row.labels != null && { labels: typeof row.labels === 'string' ? parseLabels(row.labels) : row.labels }),
    }));
    return { list, problems: [] };
  } finally {
    await session.close();
  }
}

function parseLabels(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw fail('INVALID_OPTION', `--targets-sql: a labels value is not JSON: ${text.slice(0, 80)}`, {
      hint: "return labels as json, e.g. json_build_object('tier', tier)",
    });
  }
}
