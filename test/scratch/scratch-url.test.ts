import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { liveCount } from '../../src/scratch/cleanup.js';
import { scratchFromUrl } from '../../src/scratch/index.js';
import { adminUrl } from '../support/db.js';
import { connect, failure, query } from '../support/scratch-support.js';

const databases = async (): Promise<string[]> =>
  (await query<{ datname: string }>(adminUrl(), 'SELECT datname FROM pg_database')).map((r) => r.datname).sort();

/** The test server's URL with another password, database or port: for failures that must not show it. */
function withPassword(password: string, changes: { database?: string; port?: string } = {}): string {
  const url = new URL(adminUrl());
  url.password = password;
  if (changes.database) url.pathname = `/${changes.database}`;
  if (changes.port) url.port = changes.port;
  return url.toString();
}

describe('a scratch server given as a URL', () => {
  it('works in databases of its own, and drops exactly those', async () => {
    // Databases pgshift did not create, one that only looks like its own: they must survive.
    const tag = randomBytes(6).toString('hex');
    const bystanders = [`pgshift_scratch_${tag}`, `bystander_${tag}`];
    for (const name of bystanders) await query(adminUrl(), `CREATE DATABASE ${name}`);
    try {
      // The test server may be shared with other test runs, which come and go: only these are sure to stay.
      const before = (await databases()).filter(
        (name) => bystanders.includes(name) || ['postgres', 'template0', 'template1'].includes(name),
      );
      expect(before).toEqual(expect.arrayContaining(bystanders));
      const server = await scratchFromUrl(adminUrl(), { connect });
      expect(server.kind).toBe('given');
      const [release] = await query<{ v: string }>(adminUrl(), `SELECT current_setting('server_version') AS v`);
      expect(server.version).toBe(release!.v.split(' ')[0]);
      expect(server.major).toBe(Number.parseInt(server.version, 10));

      await query(server.url, `CREATE TABLE kept (id int); INSERT INTO kept VALUES (42)`);
      const copy = await server.createDatabase({ template: server.url });
      const plain = await server.createDatabase();
      expect(await query(copy, 'SELECT id FROM kept')).toEqual([{ id: 42 }]);
      // A session left open in one of them does not stop the drop.
      const lingering = await connect(plain);

      const ours = [server.url, copy, plain].map((url) => new URL(url).pathname.slice(1));
      expect(new Set(ours).size).toBe(3);
      expect(await databases()).toEqual(expect.arrayContaining([...before, ...ours]));
      for (const url of [server.url, copy, plain]) expect(new URL(url).host).toBe(new URL(adminUrl()).host);

      await server.stop();
      await lingering.close();
      const after = await databases();
      expect(after).toEqual(expect.arrayContaining(before));
      expect(after.filter((name) => ours.includes(name))).toEqual([]);
      await server.stop();
      expect((await failure(server.createDatabase())).message).toBe('the scratch server has been stopped');
    } finally {
      for (const name of bystanders) await query(adminUrl(), `DROP DATABASE IF EXISTS ${name}`);
    }
  });

  it('drops one of its databases when asked, a session still in it, and refuses one it did not create', async () => {
    const server = await scratchFromUrl(adminUrl(), { connect });
    try {
      const copy = await server.createDatabase({ template: server.url });
      const name = new URL(copy).pathname.slice(1);
      const lingering = await connect(copy);
      await server.dropDatabase(copy);
      await lingering.close().catch(() => undefined);
      expect(await databases()).not.toContain(name);
      await expect(server.dropDatabase(adminUrl())).rejects.toThrow(/^refusing to drop .*, which this scratch server did not create$/);
      expect(await databases()).toContain(new URL(server.url).pathname.slice(1));
    } finally {
      await server.stop();
    }
  });

  it('leaves nothing registered for the signal handlers once stopped', async () => {
    const before = liveCount();
    const server = await scratchFromUrl(adminUrl(), { connect });
    expect(liveCount()).toBe(before + 1);
    await server.stop();
    expect(liveCount()).toBe(before);
  });

  it('never shows the password of the URL when it cannot connect', async () => {
    const password = `secret-${randomBytes(4).toString('hex')}`;
    for (const url of [withPassword(password, { database: 'no_such_database_here' }), withPassword(password, { port: '1' })]) {
      const error = await failure(scratchFromUrl(url, { connect }));
      expect(error.code).toBe('SCRATCH_UNAVAILABLE');
      expect(error.message).toMatch(/^could not connect to the scratch server postgres:\/\/\w+@[^ ]+: /);
      expect(JSON.stringify(error.problems) + error.message + String(error.stack)).not.toContain(password);
    }
  });

  it('never shows the password when a database cannot be copied', async () => {
    const password = new URL(adminUrl()).password;
    const server = await scratchFromUrl(adminUrl(), { connect });
    try {
      const error = await failure(server.createDatabase({ template: 'no_such_template' }));
      expect(error.code).toBe('SCRATCH_FAILED');
      expect(error.message).toMatch(/^could not copy the database no_such_template on postgres:\/\/\w+@[^ ]+: there is no such database$/);
      if (password.length >= 3) expect(error.message).not.toContain(password);
    } finally {
      await server.stop();
    }
  });

  it('refuses what is not a postgres:// URL without echoing it', async () => {
    const error = await failure(scratchFromUrl('host=db password=hunter22', { connect }));
    expect(error.code).toBe('SCRATCH_UNAVAILABLE');
    expect(error.message).toBe('the scratch server URL is not a postgres:// URL');
  });
});
