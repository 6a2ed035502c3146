/**
 * PostgreSQL's own parser (libpg_query compiled to WebAssembly, from the
 * libpg-query package), loaded on demand: only the commands that check SQL
 * (validate, lint, plan) pay for compiling it, never --version, status or
 * migrate. Loaded once, it parses synchronously.
 */
import { statSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Node } from 'libpg-query';
import { fail } from '../core/problem.js';
import { offsetFromServerPosition } from '../core/source-position.js';

export type { Node } from 'libpg-query';

/** One statement as PostgreSQL parsed it. */
export interface ParsedStatement {
  /** Its node, e.g. `{ CreateStmt: { ... } }`; `location`s inside are UTF-8 byte offsets into the parsed text (see {@link utf16Offset}). */
  readonly node: Node;
  /** UTF-16 offsets into the parsed text of its first token and just past its last (the `;` not included). */
  readonly start: number;
  readonly end: number;
}

/** Why PostgreSQL's parser refused the text. */
export interface SqlSyntaxError {
  /** PostgreSQL's message, e.g. `syntax error at or near "CREAT"`. */
  readonly message: string;
  /** UTF-16 offset into the parsed text of the character the message is about (its length for "at end of input"). */
  readonly offset: number;
}

/** Every statement of the text, or why the text does not parse. */
export type ParseOutcome =
  | { readonly statements: readonly ParsedStatement[]; readonly error?: undefined }
  | { readonly error: SqlSyntaxError; readonly statements?: undefined };

export interface SqlParser {
  /** The PostgreSQL major the grammar is from. */
  readonly major: number;
  /** Parses SQL text of any number of statements; never throws for bad SQL. */
  parse(sql: string): ParseOutcome;
  /** Whether PostgreSQL's parser takes the text: for checking many statements in one call. */
  accepts(sql: string): boolean;
  /** PL/pgSQL's parse of a CREATE FUNCTION ... LANGUAGE plpgsql statement (libpg-query's JSON); throws when it refuses the body. */
  parsePlpgsql(functionSql: string): unknown;
}

let loading: Promise<SqlParser> | undefined;

/**
 * PostgreSQL's parser, compiled once per process. Rejects when it cannot be
 * loaded (its .wasm missing or not readable). Start it early and await it
 * when needed: a caller that fails first and never awaits it leaves no
 * unhandled rejection.
 *
 * @example
 * const sql = await loadParser();
 * const outcome = sql.parse('CREAT INDEX i ON t (a)'); // { error: { message: 'syntax error at or near "CREAT"', offset: 0 } }
 */
export function loadParser(): Promise<SqlParser> {
  if (loading === undefined) {
    loading = load().catch((error: unknown) => {
      loading = undefined;
      throw error;
    });
    loading.catch(() => undefined);
  }
  return loading;
}

async function load(): Promise<SqlParser> {
  const lib = await importLibpgQuery();
  await lib.loadModule();
  const major = Math.floor((lib.parseSync('SELECT').version ?? 0) / 10000);
  return {
    major,
    parse(sql) {
      if (sql.trim() === '') return { statements: [] }; // libpg-query refuses empty text; PostgreSQL takes it as no statement
      try {
        const result = lib.parseSync(sql);
        const offset = utf16Offset(sql);
        const statements = (result.stmts ?? []).flatMap((raw): ParsedStatement[] => {
          if (!raw.stmt) return [];
          const from = raw.stmt_location ?? 0;
          // No stmt_len: to the end of the text.
          return [{ node: raw.stmt, start: offset(from), end: raw.stmt_len ? offset(from + raw.stmt_len) : sql.length }];
        });
        return { statements };
      } catch (error) {
        if (!lib.hasSqlDetails(error)) throw error;
        // The cursor counts characters (code points) from 0, as PostgreSQL's error position does from 1.
        const position = (error.sqlDetails?.cursorPosition ?? 0) + 1;
        return { error: { message: error.message, offset: offsetFromServerPosition(sql, position) } };
      }
    },
    parsePlpgsql: (functionSql) => lib.parsePlPgSQLSync(functionSql),
    accepts(sql) {
      if (sql.trim() === '') return true;
      try {
        lib.parseSync(sql);
        return true;
      } catch {
        // parse, statement by statement, says what and where.
        return false;
      }
    },
  };
}

/**
 * The libpg-query module, imported only now. Its Emscripten loader reads
 * `__dirname` (to find libpg-query.wasm beside itself) as it is evaluated. A
 * CommonJS module has its own; in pgshift's ESM bundles (ncc) there is none,
 * so there it is given one for that moment: the directory where ncc copied
 * the .wasm. Installed as a package (the library), libpg-query's own
 * `__dirname` shadows the global one, and none is given.
 */
async function importLibpgQuery(): Promise<typeof import('libpg-query')> {
  // ncc copies the file this URL names beside the bundle and rewrites the expression into that copy's path, a
  // string; compiled by tsc it stays a URL, unused. ncc's asset finder reads this file as ES2020: nothing newer
  // here (a numeric separator once made it skip the file, and webpack then copied the .wasm as text).
  const copy: URL | string = new URL('../../node_modules/libpg-query/wasm/libpg-query.wasm', import.meta.url);
  if (typeof copy !== 'string') return import('libpg-query');
  try {
    // Deno's refusal, or a bundle without its .wasm, said by pgshift rather than as a WebAssembly abort. (Not
    // accessSync: Deno's asks for --allow-sys too, to compare the file's owner with the user.)
    statSync(copy);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    throw fail('INTERNAL', `PostgreSQL's parser is missing: ${copy} does not exist`, {
      hint: 'reinstall pgshift: the bundle needs the libpg-query.wasm beside it',
    });
  }
  // pgshift's own process (the CLI, the action; a library leaves V8's flags to its host): the parser compiled by
  // V8's baseline compiler alone. Its optimising compiler spends longer on the parser's huge functions than a run
  // lasts, and Node waits for it at exit. Measured on Node 20.20 (2 cores): `lint` of one file 70 to 90 ms less
  // CPU, 15,000 statements parsed in 0.4 s instead of 1.5 s. (Deno takes the call and ignores it.)
  const { setFlagsFromString } = await import('node:v8'); // not at start-up: --version and status have no use for it
  setFlagsFromString('--liftoff-only');
  const global = globalThis as { __dirname?: string };
  const before = global.__dirname;
  global.__dirname = dirname(copy);
  try {
    return await import('libpg-query');
  } finally {
    if (before === undefined) delete global.__dirname;
    else global.__dirname = before;
  }
}

/**
 * UTF-16 offsets (JavaScript string indexes) of UTF-8 byte offsets into
 * `text`, as PostgreSQL reports locations; the same numbers for ASCII text.
 */
export function utf16Offset(text: string): (byte: number) => number {
  // eslint-disable-next-line no-control-regex -- ASCII is the test
  if (/^[\x00-\x7f]*$/.test(text)) return (byte) => byte;
  let at = 0;
  let bytes = 0;
  return (byte) => {
    if (byte < bytes) [at, bytes] = [0, 0];
    while (at < text.length && bytes < byte) {
      const c = text.codePointAt(at)!;
      bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
      at += c < 0x10000 ? 1 : 2;
    }
    return at;
  };
}
