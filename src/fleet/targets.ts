/**
 * The fleet's targets: read from a list (pgshift.json's `targets`, a
 * targets file, the rows of a query on a control database), each checked,
 * and every problem with them found before anything runs: a duplicated id,
 * a missing variable, a URL or password written into the list, a server
 * that cannot be reached.
 */
import { problem, type Problem } from '../core/problem.js';
import { parseTableName } from '../core/table-name.js';
import { describeConnection, formatConnection } from '../postgres/connection-info.js';
import { openSession } from '../postgres/pg-client.js';

/** A target as the list gives it: `{ "id": "acme", "urlEnv": "ACME_DATABASE_URL", "schema": "tenant_acme", "labels": { "tier": "canary" } }`. */
export interface TargetSpec {
  /** Names the target in every report, ledger and `--shard` partition. Letters, digits, `.`, `_` and `-`. */
  readonly id: string;
  /** The environment variable holding the target's connection URL. Absent: the default connection (`--database-url`, DATABASE_URL). */
  readonly urlEnv?: string;
  /** Schema-per-tenant: the schema the target's migrations run in (its search_path, its tracking table). */
  readonly schema?: string;
  /** Free labels (tier, region…) that waves select on. */
  readonly labels?: Readonly<Record<string, string>>;
}

/** A target checked, with its connection found. */
export interface Target {
  readonly id: string;
  readonly schema?: string;
  readonly labels: Readonly<Record<string, string>>;
  /** Where its URL came from (`ACME_DATABASE_URL`, or `DATABASE_URL` for the default), for messages: the URL itself is never shown. */
  readonly urlFrom: string;
  readonly connection: string;
  /** `host:port`, the server the target lives on: the per-server connection cap counts by it. */
  readonly server: string;
}

const ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const KNOWN = new Set(['id', 'urlEnv', 'schema', 'labels']);
const SECRET = /^(url|databaseurl|connection|connectionstring|connectionurl|dsn|password|pgpassword|passwd|secret)$/;

/**
 * Checks a list of targets as written (`where` names it: `pgshift.json`,
 * `targets.json`, `--targets-sql`): every problem at once, each naming the
 * target (by id, or by position) and what to do.
 */
export function checkSpecs(list: unknown, where: string): { readonly specs: readonly TargetSpec[]; readonly problems: readonly Problem[] } {
  const problems: Problem[] = [];
  const bad = (message: string, hint: string) => problems.push(problem('INVALID_OPTION', `${where}: ${message}`, { hint }));
  if (!Array.isArray(list)) {
    bad('targets must be a list', 'write "targets": [{ "id": "acme", "urlEnv": "ACME_DATABASE_URL" }]');
    return { specs: [], problems };
  }
  const specs: TargetSpec[] = [];
  const seen = new Map<string, number>();
  list.forEach((entry: unknown, index) => {
    const at = `target ${index + 1}`;
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      bad(`${at} is not an object`, 'write each target as { "id": "acme", "urlEnv": "ACME_DATABASE_URL" }');
      return;
    }
    const raw = entry as Record<string, unknown>;
    const id = typeof raw.id === 'string' ? raw.id : undefined;
    const name = id !== undefined && ID.test(id) ? `target "${id}"` : at;
    const before = problems.length;
    for (const key of Object.keys(raw)) {
      if (SECRET.test(key.toLowerCase().replace(/[-_]/g, ''))) {
        bad(
          `${name} holds "${key}": a connection or password is never written in the targets list`,
          'put the URL in an environment variable (a CI secret) and name that variable as "urlEnv"',
        );
      } else if (!KNOWN.has(key)) {
        bad(`${name} has an unknown key "${key}"`, 'a target holds id, urlEnv, schema and labels');
      }
    }
    if (id === undefined || !ID.test(id)) {
      bad(`${at} needs an "id": letters, digits, ".", "_" and "-", at most 100`, 'give each target a short unique id such as "acme"');
    } else if (seen.has(id)) {
      bad(`${name} is listed twice (targets ${seen.get(id)! + 1} and ${index + 1})`, 'give every target its own id');
    } else {
      seen.set(id, index);
    }
    if (raw.urlEnv !== undefined && (typeof raw.urlEnv !== 'string' || !ENV_NAME.test(raw.urlEnv))) {
      const looksLikeUrl = typeof raw.urlEnv === 'string' && /[:/@=]/.test(raw.urlEnv);
      bad(
        looksLikeUrl
          ? `${name}: urlEnv must name an environment variable, not hold a URL`
          : `${name}: urlEnv must be an environment variable's name`,
        'write "urlEnv": "ACME_DATABASE_URL" and set ACME_DATABASE_URL in the environment (from a secret)',
      );
    }
    if (raw.schema !== undefined && (typeof raw.schema !== 'string' || !plainSchema(raw.schema))) {
      bad(`${name}: schema must be a plain name (letters, digits, _ and $)`, 'write "schema": "tenant_acme"');
    }
    const labels = raw.labels;
    const labelsOk =
      labels === undefined ||
      (typeof labels === 'object' &&
        labels !== null &&
        !Array.isArray(labels) &&
        Object.values(labels).every((v) => typeof v === 'string'));
    if (!labelsOk) bad(`${name}: labels must be an object of strings`, 'write "labels": { "tier": "canary", "region": "eu" }');
    if (problems.length > before || id === undefined) return;
    specs.push({
      id,
      ...(typeof raw.urlEnv === 'string' && { urlEnv: raw.urlEnv }),
      ...(typeof raw.schema === 'string' && { schema: raw.schema.toLowerCase() }),
      labels: (labels ?? {}) as Record<string, string>,
    });
  });
  return { specs, problems };
}

function plainSchema(name: string): boolean {
  const parsed = parseTableName(name);
  return !('code' in parsed) && parsed.schema === undefined;
}

/**
 * The targets with their connections from the environment; a variable that
 * is unset or empty is a problem naming the target and the variable. A
 * target without urlEnv uses `fallback` (the default connection).
 */
export function resolveTargets(
  specs: readonly TargetSpec[],
  env: Readonly<Record<string, string | undefined>>,
  fallback: { readonly connection?: string; readonly from: string },
): { readonly targets: readonly Target[]; readonly problems: readonly Problem[] } {
  const problems: Problem[] = [];
  const targets: Target[] = [];
  for (const spec of specs) {
    const from = spec.urlEnv ?? fallback.from;
    const connection = spec.urlEnv !== undefined ? env[spec.urlEnv] : fallback.connection;
    if (connection === undefined || connection.trim() === '') {
      problems.push(
        problem('CONNECTION_FAILED', `target "${spec.id}": ${from} is not set`, {
          hint: `set ${from} in the environment to the target's connection URL`,
        }),
      );
      continue;
    }
    targets.push({
      id: spec.id,
      ...(spec.schema !== undefined && { schema: spec.schema }),
      labels: spec.labels ?? {},
      urlFrom: from,
      connection,
      server: serverOf(connection),
    });
  }
  const seen = new Map<string, string>();
  for (const t of targets) {
    const key = `${databaseOf(t.connection)}|${t.schema ?? ''}`;
    const other = seen.get(key);
    if (other !== undefined) {
      problems.push(
        problem('INVALID_OPTION', `targets "${other}" and "${t.id}" are the same database${t.schema ? ` and schema ${t.schema}` : ''}`, {
          hint: 'list each database (or schema) once',
        }),
      );
    } else seen.set(key, t.id);
  }
  return { targets, problems };
}

/** `host:port` of a URL (the default host when it names none). */
export function serverOf(connection: string): string {
  const info = describeConnection(connection);
  return `${info.host ?? 'localhost'}:${info.port ?? 5432}`;
}

function databaseOf(connection: string): string {
  const info = describeConnection(connection);
  return `${serverOf(connection)}/${info.database ?? ''}`;
}

/**
 * Connects once to every database the targets name, `limit` at a time,
 * and reports each one that cannot be reached, with the targets on it.
 */
export async function unreachable(targets: readonly Target[], limit = 8): Promise<readonly Problem[]> {
  const byDatabase = new Map<string, Target[]>();
  for (const t of targets) byDatabase.set(t.connection, [...(byDatabase.get(t.connection) ?? []), t]);
  const problems: Problem[] = [];
  const queue = [...byDatabase];
  const worker = async () => {
    for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
      const [connection, on] = next;
      try {
        const session = await openSession(connection, { readOnly: true });
        await session.close();
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        const ids = on.map((t) => `"${t.id}"`).join(', ');
        problems.push(
          problem('CONNECTION_FAILED', `target${on.length > 1 ? 's' : ''} ${ids} (${on[0]!.urlFrom}): ${reason}`, {
            hint: `check ${on[0]!.urlFrom} and that ${formatConnection(describeConnection(connection))} accepts connections from here`,
          }),
        );
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, queue.length) }, worker));
  return problems;
}
