/**
 * ADD FOREIGN KEY without NOT VALID: PostgreSQL checks every old row while
 * holding SHARE ROW EXCLUSIVE on both tables. The NOT VALID form is cleared.
 */
import { ruleDocs, type Rule } from '../rule.js';
import { checksOldRows, notValidAdvice, type ConstraintHazard } from './add-check.js';

export type AddForeignKeyHazard = ConstraintHazard<'add-foreign-key'>;

export const addForeignKey: Rule<AddForeignKeyHazard> = {
  meta: {
    name: 'add-foreign-key',
    family: 'scan-under-lock',
    level: 'error',
    summary: 'ADD FOREIGN KEY without NOT VALID',
    docs: ruleDocs('add-foreign-key'),
  },
  // A new column's REFERENCES checks nothing: its old rows are all NULL (measured: no row read; case 043).
  check: { alter: { 'add-constraint': (table, a) => checksOldRows('add-foreign-key', 'foreign-key', table, a) } },
  advise: (hazard) => notValidAdvice(hazard, 'a FOREIGN KEY', 'fkey', 'SHARE ROW EXCLUSIVE on both tables: writes wait'),
};
