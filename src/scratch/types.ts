/**
 * The shapes shared by the two kinds of scratch server: a private one that
 * pgshift starts from the PostgreSQL binaries it finds, and one the user
 * gives as a URL. `pgshift verify` replays migrations on either.
 */

import type { DbClient } from '../core/ports.js';

/**
 * An operating system as Node names it (`process.platform`): spelled out so
 * that the library's declarations need no @types/node.
 */
export type Platform = 'aix' | 'android' | 'darwin' | 'freebsd' | 'haiku' | 'linux' | 'openbsd' | 'sunos' | 'win32' | 'cygwin' | 'netbsd';

/** Environment variables, as the caller passes them (`process.env`); never read behind its back. */
export type Env = Readonly<Record<string, string | undefined>>;

/** What the scratch code needs of a database connection: the engine's own port. */
export type ScratchClient = DbClient;

/** An open connection and the way to close it; `openSession` in postgres/ gives one. */
export interface ScratchSession {
  readonly client: ScratchClient;
  /** Closes the connection; never throws. */
  close(): Promise<void>;
}

/** Opens a connection to a `postgres://` URL, or rejects. */
export type ScratchConnect = (url: string) => Promise<ScratchSession>;

export interface CreateDatabaseOptions {
  /**
   * The database to copy: a name, or a URL that `createDatabase` returned.
   * Nobody may be connected to it while it is copied (PostgreSQL refuses).
   * Default: the server's default template (`template1`).
   */
  readonly template?: string;
}

/** A server to make throwaway databases on. */
export interface ScratchServer {
  /** `private`: started by pgshift, removed by `stop()`; `given`: the user's server, left as it was found. */
  readonly kind: 'private' | 'given';
  /**
   * A database to work in: the `postgres` database of a private server; on a
   * given server, a database pgshift created for this. May hold a password
   * (a given URL's): show it only through `describeUrl`.
   */
  readonly url: string;
  /** 15 for 15.20; 9.6 for the 9.x releases. */
  readonly major: number;
  /** `15.20`, `18.4`, `17beta1`. */
  readonly version: string;
  /**
   * Creates a new database named `pgshift_scratch_<hex>`, a copy of the
   * template when one is given, and returns its URL. On a given server it is
   * dropped by `stop()`.
   */
  createDatabase(options?: CreateDatabaseOptions): Promise<string>;
  /** Drops a database `createDatabase` returned (its URL), ending its sessions: done with before the server stops. */
  dropDatabase(url: string): Promise<void>;
  /**
   * Private: the roles that replay the base (a superuser) and run the
   * branch's migrations (the owner, no superuser rights); absent on a given
   * server, where everything runs as its URL's user.
   */
  readonly roles?: ScratchRoles;
  /** The operating-system user a private server runs as, when it is not this process's own (`postgres` under root). */
  readonly osUser?: string;
  /** Ends at once everything running on pgshift's databases (a private server and its process group are killed). */
  interrupt(): Promise<void>;
  /** Why a private server is no longer running (`ended by SIGKILL`), or undefined while it runs (always, for a given one). */
  gone(): Promise<string | undefined>;
  /**
   * Private: shuts the server down and removes its files. Given: drops
   * exactly the databases pgshift created there. Idempotent; after it,
   * `createDatabase` fails.
   */
  stop(): Promise<void>;
}

import type { ScratchRoles } from './roles.js';

/** A private server: a throwaway cluster in a temporary directory. */
export interface ScratchCluster extends ScratchServer {
  readonly kind: 'private';
  readonly roles: ScratchRoles;
  /** `postgres://postgres@127.0.0.1:<port>/postgres`: trust authentication, no password. */
  readonly url: string;
  /** The bin directory of the binaries it runs. */
  readonly bin: string;
  /** The temporary directory holding its data, socket and log; removed by `stop()`. */
  readonly dir: string;
  readonly port: number;
}

/** Where PostgreSQL's server binaries were found, and which release they are. */
export interface PostgresBinaries {
  readonly bin: string;
  readonly initdb: string;
  readonly postgres: string;
  /** pg_ctl, when the bin directory has one: on Windows the server is started through it. */
  readonly pgCtl?: string;
  readonly major: number;
  readonly version: string;
  /** How they were found, as said in messages: `pg_config`, `PATH`, `PGBIN`, … */
  readonly source: string;
}
