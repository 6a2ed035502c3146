/**
 * Small SQL fragments the catalog query repeats for every object class:
 * comments, grants, owners, names. Each is a correlated scalar subquery or
 * an expression, so the big query stays one statement.
 */

/** The comment on an object (`pg_description`), or NULL. */
export function comment(objoid: string, catalog: string, subid = '0'): string {
  return `(SELECT d.description FROM pg_description d WHERE d.objoid = ${objoid} AND d.classoid = '${catalog}'::regclass AND d.objsubid = ${subid})`;
}

const explode = (acl: string): string => `SELECT x.grantee, x.privilege_type, x.is_grantable FROM aclexplode(${acl}) x`;

const grantList = (select: string): string => `(SELECT json_agg(json_build_object(
      'grantee', CASE WHEN g.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(g.grantee)) END,
      'privilege', g.privilege_type, 'grantable', g.is_grantable))
    FROM (${select}) g)`;

/**
 * Privileges as `{ granted, revoked }`, each a list of `{ grantee, privilege,
 * grantable }`, relative to the built-in default (acldefault): `granted` is
 * what GRANT added to it, `revoked` what REVOKE took from it (EXECUTE from
 * PUBLIC on a function, say). A NULL ACL is the default, and GRANT then
 * REVOKE leaves that same default written out: both read as nothing granted,
 * nothing revoked, as pg_dump sees them. Owners' own privileges are not
 * listed one by one, so a change of owner is one change, not fourteen.
 * `kind` is SQL for acldefault's letter (`'r'`); without one (columns,
 * per-schema default privileges) there is no default and the ACL is listed
 * as it is. The grantor is left out: it says who ran GRANT, not what the
 * schema allows.
 */
export function grants(acl: string, kind: string | null, owner: string): string {
  if (kind === null) return `CASE WHEN ${acl} IS NOT NULL THEN json_build_object('granted', ${grantList(explode(acl))}) END`;
  const byDefault = explode(`acldefault(${kind}, ${owner})`);
  return `CASE WHEN ${acl} IS NOT NULL THEN json_build_object(
      'granted', ${grantList(`${explode(acl)} EXCEPT ${byDefault}`)},
      'revoked', ${grantList(`${byDefault} EXCEPT ${explode(acl)}`)}) END`;
}

/** A role's name, quoted as an identifier when it needs to be. */
export const role = (oid: string): string => `quote_ident(pg_get_userbyid(${oid}))`;

/** `schema.name` with both parts quoted as needed, as pg_dump writes names. */
export const qualified = (schema: string, name: string): string => `quote_ident(${schema}) || '.' || quote_ident(${name})`;

/** A collation as `schema.name`, or NULL for 0. */
export const collation = (oid: string): string =>
  `(SELECT ${qualified('cn.nspname', 'co.collname')} FROM pg_collation co JOIN pg_namespace cn ON cn.oid = co.collnamespace WHERE co.oid = ${oid})`;

/** Not created by CREATE EXTENSION (pg_depend deptype 'e'): extension members belong to the extension. */
export const notExtensionMember = (catalog: string, oid: string): string =>
  `NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = '${catalog}'::regclass AND e.objid = ${oid} AND e.deptype = 'e')`;

/**
 * Not part of another object (pg_depend deptype 'i'): the constructor
 * functions and the cast a range type makes come and go with the type.
 */
export const notInternal = (catalog: string, oid: string): string =>
  `NOT EXISTS (SELECT 1 FROM pg_depend i WHERE i.classid = '${catalog}'::regclass AND i.objid = ${oid} AND i.deptype = 'i')`;

/** A JSON array of the rows `select` makes, `[]` when there are none. */
export const array = (select: string): string => `coalesce((SELECT json_agg(row_json) FROM (${select}) AS q), '[]'::json)`;
