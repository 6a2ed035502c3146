/**
 * verify's fleet line through the library: a Fleet given as verify's
 * `fleet` is asked, read-only, which targets lack the new migration and how
 * big the table it rewrites is on each.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Fleet, Migrator, gitSource } from '../../src/index.js';
import { adminUrl } from '../support/db.js';
import { commit, git, gitRepo } from '../support/git.js';
import { BASE, fleetFixture, REWRITE, TARGETS, type FleetFixture } from '../support/verify-fleet.js';

let fixture: FleetFixture;
beforeAll(async () => {
  fixture = await fleetFixture();
}, 120_000);
afterAll(async () => fixture?.dbs.drop(), 60_000);

async function branch(): Promise<string> {
  const repo = await gitRepo();
  await commit(repo, { 'migrations/001_orders.sql': BASE });
  git(repo, 'checkout', '-q', '-b', 'feature');
  await writeFile(join(repo, 'migrations/002_wider.sql'), REWRITE);
  return repo;
}

describe("verify's fleet line", () => {
  it('counts the targets the change would touch, and names the table it rewrites on each, the largest first', async () => {
    const repo = await branch();
    const dir = join(repo, 'migrations');
    const fleet = new Fleet({ dir, targets: TARGETS, env: fixture.env });
    const report = await new Migrator({ dir }).verify({
      base: gitSource({ ref: 'main', dir: 'migrations', cwd: repo }),
      baseName: 'main',
      scratchUrl: adminUrl(),
      rehearseRows: 0,
      fleet,
    });
    expect(report.findings.map((f) => [f.lint?.rule, f.lint?.family, f.lint?.relation])).toContainEqual([
      'column-type-rewrite',
      'rewrite',
      'orders',
    ]);
    const f = report.fleet!;
    expect({ total: f.total, touched: f.touched, applied: f.applied, unreachable: f.unreachable, failed: f.failed }).toEqual({
      total: 5,
      touched: 2,
      applied: 1,
      unreachable: 2,
      failed: 0,
    });
    expect(f.largest.map((t) => [t.id, t.table, t.work, t.rows])).toEqual([
      ['acme', 'public.orders', 'rewrite', 50000],
      ['globex', 'public.orders', 'rewrite', 5000],
    ]);
    expect(f.largest[0]!.bytes).toBeGreaterThan(f.largest[1]!.bytes);
    const by = Object.fromEntries(f.targets.map((t) => [t.id, t]));
    expect(by.initech).toMatchObject({ state: 'applied', pending: [], tables: [] });
    expect(by.acme).toMatchObject({ state: 'touched', pending: [2] });
    expect(by.umbrella!.state).toBe('unreachable');
    expect(by.umbrella!.error).toContain('UMBRELLA_URL');
    expect(by.hooli).toMatchObject({ state: 'unreachable', error: 'HOOLI_URL is not set' });
    const text = JSON.stringify(report);
    for (const secret of fixture.secrets) expect(text).not.toContain(secret);
  });

  it('reads nothing but the tracking table and the catalog: the targets are left as they were', async () => {
    const repo = await branch();
    const dir = join(repo, 'migrations');
    await new Migrator({ dir }).verify({
      base: gitSource({ ref: 'main', dir: 'migrations', cwd: repo }),
      baseName: 'main',
      scratchUrl: adminUrl(),
      rehearseRows: 0,
      fleet: new Fleet({ dir, targets: TARGETS, env: fixture.env }),
    });
    const [acme] = await fixture.dbs.query<{ type: string; versions: string }>(
      0,
      "SELECT format_type(atttypid, atttypmod) AS type, (SELECT string_agg(version::text, ',') FROM schema_migrations) AS versions FROM pg_attribute WHERE attrelid = 'orders'::regclass AND attname = 'id'",
    );
    expect(acme).toEqual({ type: 'integer', versions: '1' });
  });
});
