/**
 * Throwaway PostgreSQL servers for checks such as `pgshift verify`: a
 * private one started from the binaries found on this machine, or
 * databases of pgshift's own on a server the user gives.
 */
export { findPostgres, type FindPostgresOptions } from './find-binaries.js';
export { startScratchCluster, type StartScratchClusterOptions } from './cluster.js';
export { scratchFromUrl, type ScratchFromUrlOptions } from './scratch-url.js';
export { describeUrl } from './url.js';
export { templateName } from './databases.js';
export type {
  CreateDatabaseOptions,
  Env,
  PostgresBinaries,
  ScratchClient,
  ScratchCluster,
  ScratchConnect,
  ScratchServer,
  ScratchSession,
} from './types.js';
export { scratchConnection, type ScratchConnectionSettings } from './url.js';
export { BASE_ROLE, OWNER_ROLE, handOver, type ScratchRoles } from './roles.js';
export { clusterChanges, clusterState, type ClusterState } from './cluster-state.js';
