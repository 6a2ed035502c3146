import type { MigrationListing } from './ports.js';
import { problem, type Problem } from './problem.js';
import type { MigrationFile } from './types.js';

/** A branch's migrations set against its base's, as a history. */
export interface BranchChanges {
  /** The base's migrations, as they are on the base: what is applied once it is deployed. */
  readonly base: readonly MigrationFile[];
  /** Migrations the branch adds, in version order: the ones to verify. */
  readonly added: readonly MigrationFile[];
  /** Base migrations the branch edits, renames, renumbers or deletes; versions reused or too low; the head's bad files. */
  readonly problems: readonly Problem[];
}

/**
 * Compares the migrations of a branch with those of its base, file by file.
 * A migration on the base may already be applied somewhere, so the branch
 * must leave it as it is; a new one must come after every base version, or
 * it would be applied out of order wherever the base already ran.
 */
export function compareBranch(base: MigrationListing, head: MigrationListing, baseName: string): BranchChanges {
  const problems: Problem[] = [...head.problems];
  const headByVersion = new Map(head.files.map((f) => [f.version, f]));
  const baseByVersion = new Map(base.files.map((f) => [f.version, f]));
  const headByChecksum = new Map(head.files.map((f) => [f.checksum, f]));
  const moved = new Set<MigrationFile>();
  for (const b of base.files) {
    const h = headByVersion.get(b.version);
    if (h && h.name !== b.name) {
      problems.push(
        problem('BASE_MIGRATION_RENAMED', `${h.path} renames ${b.fileName}, which is already on ${baseName}`, {
          file: h.path,
          version: b.version,
          hint: `rename it back to ${b.fileName}: the tracking table knows it by its name`,
        }),
      );
    } else if (h && h.checksum !== b.checksum) {
      problems.push(
        problem('BASE_MIGRATION_EDITED', `${h.path} is changed by this branch, but it is already on ${baseName} and may be applied`, {
          file: h.path,
          line: 1,
          version: b.version,
          hint: `restore it as it is on ${baseName} and put the change in a new migration`,
        }),
      );
    } else if (!h) {
      const renumbered = headByChecksum.get(b.checksum);
      if (renumbered && !baseByVersion.has(renumbered.version)) {
        moved.add(renumbered);
        problems.push(
          problem('BASE_MIGRATION_RENUMBERED', `${renumbered.path} is ${b.fileName} of ${baseName} renumbered`, {
            file: renumbered.path,
            version: b.version,
            hint: `give it back its version: rename it to ${b.fileName}`,
          }),
        );
      } else {
        problems.push(
          problem('BASE_MIGRATION_DELETED', `${b.path} is deleted by this branch, but it is on ${baseName} and may be applied`, {
            file: b.path,
            version: b.version,
            hint: 'restore it; to undo what it did, add a new migration',
          }),
        );
      }
    }
  }
  const highest = base.files.at(-1)?.version;
  const added: MigrationFile[] = [];
  for (const h of head.files) {
    if (baseByVersion.has(h.version) || moved.has(h)) continue;
    if (highest !== undefined && h.version < highest) {
      problems.push(
        problem('VERSION_BELOW_BASE', `${h.path} has version ${h.version}, below ${highest}, the highest on ${baseName}`, {
          file: h.path,
          version: h.version,
          hint: `renumber it above ${highest}: wherever ${baseName} is deployed it would run out of order, or be skipped by tools that only look forward`,
        }),
      );
    }
    added.push(h);
  }
  return { base: base.files, added, problems };
}
