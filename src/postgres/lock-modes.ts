/** PostgreSQL's table lock modes as pg_locks names them, weakest first, and in the words of its documentation. */
export const LOCK_MODES = [
  'AccessShareLock',
  'RowShareLock',
  'RowExclusiveLock',
  'ShareUpdateExclusiveLock',
  'ShareLock',
  'ShareRowExclusiveLock',
  'ExclusiveLock',
  'AccessExclusiveLock',
] as const;

/** `AccessExclusiveLock` → `ACCESS EXCLUSIVE`. */
export const lockModeWords = (mode: string): string =>
  mode
    .replace(/Lock$/, '')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toUpperCase();

/** How strong a mode is: 1 (ACCESS SHARE) to 8 (ACCESS EXCLUSIVE); 0 for none or an unknown name. */
export const lockStrength = (mode: string): number => (LOCK_MODES as readonly string[]).indexOf(mode) + 1;
