import { describe, expect, it } from 'vitest';
import { MIN_SECRET_LENGTH, redactor, secretForms } from '../../src/core/redact.js';
import { secretsOf } from '../../src/postgres/connection-info.js';
import { markdownForms, redactDeep } from '../../src/action/secrets.js';
import { PgshiftError } from '../../src/index.js';
import { problem } from '../../src/core/problem.js';

describe('the parts of a connection that are secret', () => {
  it("take a URL's password raw, URL-encoded and decoded, with the whole URL", () => {
    const url = 'postgres://app:p%40ss%2Fw0rd@db.internal:5432/shop';
    expect(secretsOf(url)).toEqual(expect.arrayContaining([url, 'p%40ss%2Fw0rd', 'p@ss/w0rd', 'p%2540ss%252Fw0rd']));
  });

  it('take a password whose @ and / were not encoded, whole', () => {
    expect(secretsOf('postgres://app:p@ss/w0rd@db.internal:5432/shop')).toContain('p@ss/w0rd');
  });

  it('take a password= query parameter alone, not with the parameters after it', () => {
    const parts = secretsOf('postgres://app@db.internal/shop?sslmode=require&password=qu3ry%26pw&application_name=x');
    expect(parts).toEqual(expect.arrayContaining(['qu3ry%26pw', 'qu3ry&pw']));
    expect(redactor(parts)('password=qu3ry&pw then qu3ry%26pw')).toBe('password=*** then ***');
  });

  it('take a libpq keyword password, quoted or not', () => {
    expect(secretsOf('host=db password=k3yw0rd dbname=shop')).toContain('k3yw0rd');
    expect(secretsOf("host=db password='with sp\\'ace' dbname=shop")).toContain("with sp'ace");
  });

  it("take a settings object's password and its connection string's", () => {
    expect(secretsOf({ host: 'db', password: 'obj/Pass' })).toEqual(expect.arrayContaining(['obj/Pass', 'obj%2FPass']));
    expect(secretsOf({ connectionString: 'postgres://app:inn3r@db/shop' })).toContain('inn3r');
    expect(secretsOf({ host: 'db', password: () => 'unknowable' })).toEqual([]);
  });

  it(`leave out parts under ${MIN_SECRET_LENGTH} characters`, () => {
    expect(secretsOf({ password: 'pw' })).toEqual([]);
  });
});

describe('the redactor', () => {
  it('masks every form of every secret: raw, URL-encoded, decoded, JSON-escaped', () => {
    const redact = redactor(['to ken/"x\\y']);
    const forms = ['to ken/"x\\y', 'to%20ken%2F%22x%5Cy', JSON.stringify('to ken/"x\\y').slice(1, -1)];
    for (const form of forms) expect(redact(`a ${form} b`)).toBe('a *** b');
    expect(redact(JSON.stringify({ message: 'to ken/"x\\y' }))).toBe('{"message":"***"}');
    expect(redactor(['p%40ss'])('p@ss and p%40ss')).toBe('*** and ***');
  });

  it('masks the whole connection string before its password, and a common password everywhere', () => {
    const url = 'postgres://postgres:postgres@db/shop';
    const redact = redactor(secretsOf(url));
    expect(redact(`connecting to ${url}: ALTER TABLE t OWNER TO postgres`)).toBe('connecting to ***: ALTER TABLE t OWNER TO ***');
    const forms = secretForms(secretsOf(url));
    expect(forms.indexOf(url)).toBeLessThan(forms.indexOf('postgres'));
  });

  it('leaves secrets under 3 characters alone', () => {
    expect(redactor(['ab'])('abc ab')).toBe('abc ab');
  });

  it('with the Markdown-escaped forms, masks a secret in text escaped before it was masked', () => {
    const redact = redactor(markdownForms(['Pr0d_S3cr@t']));
    expect(redact('table Pr0d&#95;S3cr&#64;&#8203;t and <code>Pr0d&#95;S3cr&#64;t</code>')).toBe('table *** and <code>***</code>');
  });

  it('masks every string of a report at any depth, errors included', () => {
    const redact = redactor(['s3cr3t']);
    const error = new PgshiftError(problem('DATABASE_ERROR', 'relation s3cr3t', { server: { detail: 'key (s3cr3t)' } }));
    const when = new Date(0);
    const out = redactDeep({ list: [{ name: 's3cr3t_table', n: 1 }], error, when }, redact);
    expect(out.list).toEqual([{ name: '***_table', n: 1 }]);
    expect(out.error).toBeInstanceOf(PgshiftError);
    expect(out.error.message).toBe('relation ***');
    expect(out.error.problem.server?.detail).toBe('key (***)');
    expect(out.when).toBe(when);
  });
});
