import type { TestProject } from 'vitest/node';
import { startEmbedded } from './embedded.mjs';

declare module 'vitest' {
  export interface ProvidedContext {
    adminUrl: string;
  }
}

/**
 * Tests use DATABASE_URL when it is set; otherwise a throwaway embedded
 * PostgreSQL, so `npm test` passes on a machine with no server. Every test
 * file then makes databases of its own on it.
 */
export default async function setup(project: TestProject) {
  const given = process.env.DATABASE_URL;
  if (given) {
    project.provide('adminUrl', given);
    return;
  }
  const server = await startEmbedded();
  process.stderr.write(`DATABASE_URL not set: started an embedded PostgreSQL for the tests\n`);
  project.provide('adminUrl', server.url);
  return () => server.stop();
}
