import { describe, expect, it } from 'vitest';
import { typeChange } from './column-types.js';

// Each expectation was measured on PostgreSQL 15 (the table's file node before and after the ALTER).
describe('whether a type change rewrites the table', () => {
  it.each([
    ['varchar(20)', 'varchar(50)', false],
    ['varchar(50)', 'text', false],
    ['numeric(10,2)', 'numeric(12,2)', false],
    ['timestamp(3)', 'timestamp(6)', false],
    ['interval(2)', 'interval', false],
    ['time(2)', 'time(4)', false],
    ['integer', 'bigint', true],
    ['timestamp(6)', 'timestamp(3)', true],
    ['numeric(10,2)', 'numeric(10,3)', true],
  ])('%s to %s: %s', (from, to, rewrites) => {
    expect(typeChange(from, to, false).rewrites).toBe(rewrites);
  });
});
