/**
 * A package.json and package-lock.json for a fresh project that depends on pgshift (a packed
 * tarball or a git URL) and on a few of this repository's packages, every other version and
 * integrity taken from this repository's lock file. `npm ci --offline` then installs it from npm's
 * cache, which this repository's `npm ci` filled: nothing beyond what our lock file needs is
 * fetched. (`npm install NAME --offline` would need registry metadata that `npm ci` never downloads.)
 */
interface LockEntry {
  readonly version?: string;
  readonly dependencies?: Record<string, string>;
  readonly optionalDependencies?: Record<string, string>;
  readonly [field: string]: unknown;
}

export interface Lock {
  readonly packages: Record<string, LockEntry>;
}

export interface Source {
  /** How package.json names it: file:../pgshift-0.1.0.tgz, git+file:///tmp/pgshift.git, ... */
  readonly spec: string;
  /** What the lock records: the same file: spec, or the git URL with #commit. */
  readonly resolved: string;
  readonly integrity?: string;
  /** Its package.json. */
  readonly manifest: { name: string; version: string; dependencies?: Record<string, string>; [field: string]: unknown };
}

export function consumerProject(ours: Lock, source: Source, extra: readonly string[]) {
  const { manifest } = source;
  const packages: Record<string, LockEntry> = {};
  const add = (path: string, entry: LockEntry) => {
    if (packages[path]) return;
    packages[path] = withoutDevFlags(entry);
    const needs = [
      ...Object.keys(entry.dependencies ?? {}).map((name) => ({ name, optional: false })),
      ...Object.keys(entry.optionalDependencies ?? {}).map((name) => ({ name, optional: true })),
    ];
    for (const { name, optional } of needs) {
      const found = resolve(ours, path, name);
      if (found) add(found, ours.packages[found]!);
      else if (!optional) throw new Error(`${name}, needed by ${path}, is not in our package-lock.json`);
    }
  };
  const dependencies: Record<string, string> = { [manifest.name]: source.spec };
  for (const name of extra) {
    const entry = ours.packages[`node_modules/${name}`];
    if (!entry?.version) throw new Error(`${name} is not in our package-lock.json`);
    dependencies[name] = entry.version;
    add(`node_modules/${name}`, entry);
  }
  add(`node_modules/${manifest.name}`, {
    version: manifest.version,
    resolved: source.resolved,
    ...(source.integrity !== undefined && { integrity: source.integrity }),
    license: manifest.license,
    ...(manifest.dependencies !== undefined && { dependencies: manifest.dependencies }),
    bin: manifest.bin,
    engines: manifest.engines,
  });
  const name = 'pgshift-consumer';
  const version = '1.0.0';
  return {
    packageJson: { name, version, private: true, type: 'module', dependencies },
    lock: { name, version, lockfileVersion: 3, requires: true, packages: { '': { name, version, dependencies }, ...packages } },
  };
}

/** Our devDependencies are this project's dependencies: drop the dev marks, keep optional ones. */
function withoutDevFlags(entry: LockEntry): LockEntry {
  const copy: Record<string, unknown> = { ...entry };
  if (copy.devOptional) copy.optional = true;
  delete copy.dev;
  delete copy.devOptional;
  return copy;
}

/** Where Node would find `name` from the package at `from`: its own node_modules, then each parent's. */
function resolve(lock: Lock, from: string, name: string): string | undefined {
  let base = from;
  for (;;) {
    const candidate = `${base ? `${base}/` : ''}node_modules/${name}`;
    if (lock.packages[candidate]) return candidate;
    if (!base) return undefined;
    const cut = base.lastIndexOf('/node_modules/');
    base = cut < 0 ? '' : base.slice(0, cut);
  }
}
