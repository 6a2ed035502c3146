/**
 * What the front ends mask in all they print, made where the text is made
 * (before any escaping could split a secret).
 */
import { connectionFromEnv } from '../environment.js';
import { secretsOf, type ConnectionInput } from '../postgres/connection-info.js';

export { redactor, secretForms } from '../core/redact.js';

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Every secret a run knows of, as parts: the connection (a flag or an
 * input, else DATABASE_URL or the PG* variables) with its password in each
 * form, DATABASE_URL even when the connection given overrides it,
 * PGPASSWORD (node-postgres falls back to it for a connection string without
 * a password), the scratch server's password (the one given, and
 * PGSHIFT_SCRATCH_URL's even when the given one overrides it) and the
 * GitHub token.
 */
export function runSecrets(run: {
  readonly env: Env;
  readonly connection?: ConnectionInput | undefined;
  readonly scratchUrl?: string | undefined;
  readonly token?: string | undefined;
}): string[] {
  const { env } = run;
  return [
    ...secretsOf(run.connection),
    ...secretsOf(connectionFromEnv(env)),
    ...(env.PGPASSWORD ? [env.PGPASSWORD] : []),
    ...(run.token ? [run.token] : []),
    ...(run.scratchUrl ? secretsOf(run.scratchUrl) : []),
    ...(env.PGSHIFT_SCRATCH_URL ? secretsOf(env.PGSHIFT_SCRATCH_URL) : []),
  ];
}

/** The passwords of every connection the variables hold (a fleet's targets' `urlEnv`), in each form. */
export function variableSecrets(env: Env, names: readonly string[]): string[] {
  return names.flatMap((name) => (env[name] ? secretsOf(env[name]) : []));
}
