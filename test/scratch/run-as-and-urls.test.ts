import { chmod, mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { blockedDirectory, parsePasswd, permits } from '../../src/scratch/run-as.js';
import { describeUrl, redactUrl, urlForDatabase } from '../../src/scratch/url.js';

const POSTGRES = { name: 'postgres', uid: 101, gid: 104 };

describe('the user the server runs as under root', () => {
  it('is read from /etc/passwd lines, comments and junk skipped', () => {
    const users = parsePasswd(
      '# users\nroot:x:0:0:root:/root:/bin/bash\nbroken line\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\npostgres:x:101:104:PostgreSQL administrator,,,:/var/lib/postgresql:/bin/bash\n',
    );
    expect(users.get('postgres')).toEqual(POSTGRES);
    expect(users.get('nobody')).toEqual({ name: 'nobody', uid: 65534, gid: 65534 });
    expect(users.has('broken line')).toBe(false);
  });

  it('may enter a directory by its owner, group or other bits, whichever apply to it', () => {
    expect(permits({ mode: 0o700, uid: 0, gid: 0 }, POSTGRES, 1)).toBe(false);
    expect(permits({ mode: 0o701, uid: 0, gid: 0 }, POSTGRES, 1)).toBe(true);
    expect(permits({ mode: 0o710, uid: 0, gid: 104 }, POSTGRES, 1)).toBe(true);
    // The owner's bits decide for the owner, even when others may enter.
    expect(permits({ mode: 0o601, uid: 101, gid: 0 }, POSTGRES, 1)).toBe(false);
    expect(permits({ mode: 0o1777, uid: 0, gid: 0 }, POSTGRES, 1)).toBe(true);
  });

  it('is stopped at the first mode-700 directory on the way, as in a checkout under /root', async () => {
    const top = await mkdtemp(join(tmpdir(), 'pgshift-blocked-'));
    try {
      const locked = join(top, 'home');
      await mkdir(join(locked, 'project', 'tmp'), { recursive: true });
      await chmod(top, 0o755);
      await chmod(locked, 0o700);
      const owner = await stat(locked);
      // A user who is neither the owner nor in its group.
      const stranger = { name: 'stranger', uid: owner.uid + 1000, gid: owner.gid + 1000 };
      expect(await blockedDirectory(join(locked, 'project', 'tmp'), stranger)).toBe(locked);
      expect(await blockedDirectory(top, stranger)).toBeUndefined();
      expect(await blockedDirectory(join(locked, 'project'), { name: 'owner', uid: owner.uid, gid: owner.gid })).toBeUndefined();
    } finally {
      await rm(top, { recursive: true, force: true });
    }
  });
});

describe('server URLs in messages', () => {
  const url = 'postgres://migrator:p%40ss-w0rd@db.example.com:5433/app?sslmode=require&password=other-secret';

  it('are shown without password or query string', () => {
    expect(describeUrl(url)).toBe('postgres://migrator@db.example.com:5433/app');
    expect(describeUrl('not a url with secret-pw')).not.toContain('secret-pw');
  });

  it('have every form of the password masked in driver messages', () => {
    const text = `failed for ${url}: password "p@ss-w0rd" (p%40ss-w0rd) or other-secret`;
    const masked = redactUrl(url, text);
    expect(masked).not.toMatch(/p@ss-w0rd|p%40ss-w0rd|other-secret/);
    expect(masked).toContain('postgres://migrator@db.example.com:5433/app');
  });

  it('point at another database with the same credentials', () => {
    expect(urlForDatabase('postgres://u:pw@h:1/postgres?sslmode=disable', 'pgshift_scratch_ab')).toBe(
      'postgres://u:pw@h:1/pgshift_scratch_ab?sslmode=disable',
    );
  });
});
