/** Schema snapshots read from a server's catalog, in the model of schema/. */
export { snapshotSchema, type ExcludedTable, type SnapshotOptions } from './snapshot.js';
export { CatalogTracker, type CatalogRead } from './incremental.js';
