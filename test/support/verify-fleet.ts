/**
 * A fleet for verify's fleet line, on real databases: acme and globex at
 * the base with an analysed `orders` table (50,000 and 5,000 rows), initech
 * already at the pull request's version, umbrella on a port nothing listens
 * on, hooli with its variable unset. Every URL holds a password, which must
 * never be printed.
 */
import { Migrator, memorySource } from '../../src/index.js';
import { createDatabases, type DatabaseSet } from './fleet.js';

export const BASE = '-- UP\nCREATE TABLE orders (id int PRIMARY KEY, note text);\n-- DOWN\nDROP TABLE orders;\n';
/** The pull request's migration: a column type change that rewrites orders. */
export const REWRITE =
  "-- UP\nSET lock_timeout = '1s';\nALTER TABLE orders ALTER COLUMN id TYPE bigint;\n-- DOWN\nALTER TABLE orders ALTER COLUMN id TYPE int;\n";

export const TARGETS = [
  { id: 'acme', urlEnv: 'ACME_URL' },
  { id: 'globex', urlEnv: 'GLOBEX_URL' },
  { id: 'initech', urlEnv: 'INITECH_URL' },
  { id: 'umbrella', urlEnv: 'UMBRELLA_URL' },
  { id: 'hooli', urlEnv: 'HOOLI_URL' },
];

export interface FleetFixture {
  readonly dbs: DatabaseSet;
  /** The targets' variables (hooli's left unset). */
  readonly env: Record<string, string>;
  /** The passwords the URLs hold. */
  readonly secrets: readonly string[];
}

/** `url` with a password (trust authentication ignores it); the server's own when it asks for one. */
function withPassword(url: string, password: string): { url: string; password: string } {
  const u = new URL(url);
  if (u.password === '') u.password = password;
  return { url: u.toString(), password: decodeURIComponent(u.password) };
}

export async function fleetFixture(): Promise<FleetFixture> {
  const dbs = await createDatabases(3);
  const [acme, globex, initech] = dbs.urls.map((url) => withPassword(url, 'Fl33tSecretPw'));
  const base = memorySource({ '001_orders.sql': BASE });
  for (const url of [acme!.url, globex!.url]) await new Migrator({ connection: url, source: base }).migrate();
  await new Migrator({ connection: initech!.url, source: memorySource({ '001_orders.sql': BASE, '002_wider.sql': REWRITE }) }).migrate();
  await dbs.query(0, "INSERT INTO orders SELECT g, 'x' FROM generate_series(1, 50000) g; ANALYZE orders");
  await dbs.query(1, "INSERT INTO orders SELECT g, 'x' FROM generate_series(1, 5000) g; ANALYZE orders");
  const umbrella = 'postgres://postgres:Umbr3llaSecretPw@127.0.0.1:1/nowhere';
  return {
    dbs,
    env: { ACME_URL: acme!.url, GLOBEX_URL: globex!.url, INITECH_URL: initech!.url, UMBRELLA_URL: umbrella },
    secrets: [...new Set([acme!.password, 'Umbr3llaSecretPw'])],
  };
}
