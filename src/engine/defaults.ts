/**
 * The engine's defaults that the public API names, kept apart from the
 * modules that use them: importing a number must not load the scratch
 * server's or the driver's code (the CLI and the library load each
 * command's engine only when it runs).
 */

/** verify's and drift's whole-check deadline. Ten minutes: a long check for migrations on empty tables, well inside a CI job's time. */
export const DEFAULT_VERIFY_TIMEOUT_MS = 10 * 60_000;
/** wait's time limit: 10 minutes. */
export const DEFAULT_WAIT_TIMEOUT_MS = 600_000;
/** wait's pause between two reads of the tracking table: 2 s. */
export const DEFAULT_WAIT_INTERVAL_MS = 2_000;
