import { PgshiftError } from '../index.js';

/** Deno's words for a permission it refused: `Requires net access to "…", run again with the --allow-net flag`. */
const REFUSED = /Requires (\w+) access to ("[^"]*"|\S+), run again with the (--allow-[a-z-]+) flag/;

/**
 * Under Deno, a permission the command was not given fails the first call
 * that needs it (reading the directory, the environment, the network), deep
 * inside; wherever that was, this finds Deno's sentence and says it as one
 * line with the flag to add. Undefined for any other failure.
 */
export function missingPermission(error: unknown): string | undefined {
  const texts =
    error instanceof PgshiftError
      ? [error.message, ...error.problems.map((p) => p.message)]
      : [error instanceof Error ? `${error.name}: ${error.message}` : String(error)];
  for (const text of texts) {
    const found = REFUSED.exec(text);
    if (found)
      return `Deno refused ${found[1]} access to ${found[2]}: run again with the ${found[3]} flag (pgshift needs --allow-read, --allow-env and --allow-net)`;
  }
  return undefined;
}
