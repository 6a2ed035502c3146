/**
 * The one rule for a PostgreSQL major version given as a setting: the CLI's
 * --postgres-version, the action's postgres-version input and a config
 * file's or the library's lint `postgresVersion` all take the same values
 * and say the same when one is wrong, each naming the setting in its words.
 *
 * A whole number from 9 to 99. The lint tells 9 and 10 apart from 11 and
 * 12 (instant constant defaults since 11, ADD VALUE in a transaction and SET
 * NOT NULL by a CHECK since 12), so majors older than the engine runs on
 * stay worth linting for.
 */

const OLDEST = 9;
const NEWEST = 99;

/** Whether `value` is a PostgreSQL major a setting may name: a whole number from 9 to 99. */
export function isPostgresMajor(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= OLDEST && value <= NEWEST;
}

/** A flag's or an input's text as a major (surrounding blanks ignored), or undefined when it is not one. */
export function parsePostgresMajor(raw: string): number | undefined {
  const text = raw.trim();
  if (!/^\d+$/.test(text)) return undefined;
  const major = Number(text);
  return isPostgresMajor(major) ? major : undefined;
}

/** `--postgres-version must be a major version from 9 to 99, such as 16, got "8"`: `name` is the setting in the caller's words. */
export function postgresMajorMessage(name: string, given: unknown): string {
  return `${name} must be a major version from ${OLDEST} to ${NEWEST}, such as 16, got ${JSON.stringify(given)}`;
}
