import { describe, expect, it } from 'vitest';
import type { Problem } from '../../src/core/problem.js';
import { nextFileName, parseFileName, sanitizeName } from '../../src/core/file-name.js';

describe('file names', () => {
  it('reads 1_, 01_ and 001_ as version 1', () => {
    for (const f of ['1_a.sql', '01_a.sql', '001_a.sql']) expect(parseFileName(f)).toEqual({ version: 1, name: 'a' });
  });

  it('reads 14-digit timestamp versions exactly', () => {
    expect(parseFileName('20240115103000_init.sql')).toEqual({ version: 20240115103000, name: 'init' });
  });

  it('refuses names that do not fit, saying the expected form', () => {
    for (const f of ['create_users.sql', '001-create.sql', '001_.sql', 'v1_x.sql', '001.sql']) {
      const result = parseFileName(f);
      expect(result).toHaveProperty('code', 'INVALID_FILE_NAME');
      expect((result as Problem).message).toContain('<version>_<name>.sql');
    }
  });

  it('refuses versions too long to keep exactly', () => {
    expect((parseFileName('1234567890123456_x.sql') as Problem).code).toBe('INVALID_FILE_NAME');
  });

  it('sanitises names to lower-case words joined by underscores', () => {
    expect(sanitizeName('Add Orders-Table!')).toBe('add_orders_table');
    expect(sanitizeName('Crème brûlée')).toBe('creme_brulee');
    expect(sanitizeName('../../etc/passwd')).toBe('etc_passwd');
    expect(sanitizeName('!!!')).toBe('');
  });

  it('numbers the next file highest + 1 at the width the directory uses', () => {
    const now = new Date('2026-11-24T10:00:00Z');
    expect(nextFileName([], 'x', now)).toEqual({ version: 1, fileName: '001_x.sql' });
    expect(nextFileName([{ version: 7, fileName: '0007_a.sql' }], 'x', now)).toEqual({ version: 8, fileName: '0008_x.sql' });
  });

  it('gives a directory of timestamps the current UTC timestamp', () => {
    const now = new Date('2026-11-24T10:00:05Z');
    expect(nextFileName([{ version: 20240101000000, fileName: '20240101000000_a.sql' }], 'x', now).version).toBe(20261124100005);
  });
});
