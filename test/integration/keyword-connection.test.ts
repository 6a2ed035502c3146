/**
 * libpq's keyword/value connection strings (`host=… dbname=…`), which
 * psql and libpq-based tools take, work as the URL they stand for: once
 * "unknown host".
 */
import { describe, expect, it } from 'vitest';
import { describeConnection, secretsOf } from '../../src/postgres/connection-info.js';
import { keywordsToUrl } from '../../src/postgres/keyword-string.js';
import { openSession } from '../../src/postgres/pg-client.js';
import { adminUrl } from '../support/db.js';

/** The test server's URL as a keyword/value string. */
function keywords(): string {
  const url = new URL(adminUrl());
  const pairs = [
    `host=${url.hostname}`,
    `port=${url.port || 5432}`,
    `dbname=${url.pathname.slice(1) || 'postgres'}`,
    `user=${decodeURIComponent(url.username)}`,
    ...(url.password ? [`password='${decodeURIComponent(url.password).replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`] : []),
  ];
  return pairs.join(' ');
}

describe('a keyword/value connection string', () => {
  it('connects as the URL it stands for', async () => {
    const session = await openSession(keywords());
    try {
      const { rows } = await session.client.query<{ one: number }>('SELECT 1 AS one');
      expect(rows).toEqual([{ one: 1 }]);
    } finally {
      await session.close();
    }
  });

  it('reads quoted values, socket directories and other settings', () => {
    expect(keywordsToUrl("host=db.example port=6432 dbname='my db' user=me password='it\\'s a secret' sslmode=require")).toBe(
      "postgres://me:it's%20a%20secret@db.example:6432/my%20db?sslmode=require",
    );
    expect(keywordsToUrl('host=/var/run/postgresql dbname=app')).toBe('postgres://localhost/app?host=%2Fvar%2Frun%2Fpostgresql');
    // A password without a user is kept (the driver's default user), not dropped.
    expect(keywordsToUrl('host=db password=s3cret')).toBe('postgres://:s3cret@db/');
  });

  it('is described without its password, and every form of the password is masked', () => {
    const text = "host=db.example dbname=app user=me password='p@ss word'";
    expect(describeConnection(text)).toEqual({ host: 'db.example', database: 'app' });
    expect(secretsOf(text)).toEqual(expect.arrayContaining(['p@ss word', 'p%40ss%20word']));
  });

  it('that cannot be read is refused in one line that shows none of it', async () => {
    await expect(openSession("host=db password='unterminated")).rejects.toMatchObject({
      code: 'INVALID_OPTION',
      message: expect.not.stringContaining('unterminated'),
    });
  });
});
