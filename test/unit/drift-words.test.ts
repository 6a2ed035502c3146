/**
 * Drift's scope and words, pure: which changes are drift, and how each reads
 * when the diff goes from the replayed schema to the database's.
 */
import { describe, expect, it } from 'vitest';
import { describeDrift, driftChanges, globMatcher, type SchemaChange } from '../../src/schema/index.js';

const table = { kind: 'table' as const, name: 'public.orders' };

describe('exclude patterns', () => {
  it('match whole qualified names, * any run of characters and ? one, the rest literally', () => {
    const excluded = globMatcher(['public.*_p20*', 'audit.?og', 'a+b.(x)']);
    expect(['public.orders_p2024_01', 'public.orders_p20', 'audit.log', 'a+b.(x)'].map(excluded)).toEqual([true, true, true, true]);
    expect(['public.orders', 'xpublic.orders_p2024', 'audit.blog', 'aab.(x)', 'publicXorders_p2024'].map(excluded)).toEqual([
      false,
      false,
      false,
      false,
      false,
    ]);
    expect(globMatcher([])('anything')).toBe(false);
  });

  it('leave out an excluded table with what belongs to it, and owners always', () => {
    const changes: SchemaChange[] = [
      { kind: 'table', change: 'added', name: 'public.orders_p2024', object: {} },
      {
        kind: 'index',
        change: 'added',
        name: 'public.orders_p2024_pkey',
        parent: { kind: 'table', name: 'public.orders_p2024' },
        object: {},
      },
      { kind: 'owner', change: 'changed', on: 'table', name: 'public.orders', before: 'pgshift_owner', after: 'app' },
      { kind: 'index', change: 'added', name: 'public.orders_note_idx', parent: table, object: {} },
    ];
    expect(driftChanges(changes, ['public.*_p20*']).map((c) => c.name)).toEqual(['public.orders_note_idx']);
  });
});

describe('the words of drift', () => {
  it('say what exists only in the database, what is missing from it, and what differs, the migrations first', () => {
    expect(describeDrift({ kind: 'index', change: 'added', name: 'public.orders_note_idx', parent: table, object: {} })).toBe(
      'index public.orders_note_idx exists in the database but no migration made it',
    );
    expect(describeDrift({ kind: 'column', change: 'dropped', name: 'public.orders.note', parent: table, local: 'note', object: {} })).toBe(
      'column public.orders.note is missing from the database, though a migration made it',
    );
    expect(
      describeDrift({
        kind: 'column',
        change: 'changed',
        name: 'public.orders.status',
        parent: table,
        local: 'status',
        fields: [
          { field: 'default', before: "'new'::text", after: "'pending'::text" },
          { field: 'notNull', before: true, after: false },
        ],
      }),
    ).toBe(
      "column default of public.orders.status differs: the migrations make 'new'::text, the database has 'pending'::text; " +
        'column public.orders.status is nullable in the database; the migrations make it NOT NULL',
    );
    expect(
      describeDrift({
        kind: 'constraint',
        change: 'added',
        name: 'public.orders.orders_qty_check',
        parent: table,
        local: 'orders_qty_check',
        object: {},
      }),
    ).toBe('constraint orders_qty_check on public.orders exists in the database but no migration made it');
  });
});
