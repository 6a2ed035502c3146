import { describe, expect, it } from 'vitest';
import { quoteIdent, readableName } from '../../src/core/identifier.js';

describe('the one identifier quoter', () => {
  it('always quotes a name pgshift sends, doubling quotes inside', () => {
    expect(quoteIdent('users')).toBe('"users"');
    expect(quoteIdent('we"ird')).toBe('"we""ird"');
  });

  it('leaves plain names bare in SQL a person reads, but quotes reserved words, capitals and anything else', () => {
    expect(readableName('public.users')).toBe('public.users');
    // A bare reserved word is a syntax error: CREATE INDEX ON order (…)
    expect(readableName('public.order')).toBe('public."order"');
    expect(readableName('user')).toBe('"user"');
    expect(readableName('Users')).toBe('"Users"');
    expect(readableName('my table')).toBe('"my table"');
    expect(readableName('événements')).toBe('"événements"');
  });
});
