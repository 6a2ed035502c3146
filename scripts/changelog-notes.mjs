#!/usr/bin/env node
// Prints CHANGELOG.md's notes for one version: the text under "## [X.Y.Z]" up to the next "## ",
// without the link definitions. The release workflow publishes them as the GitHub release's notes,
// and CI runs this for package.json's version, so a version without notes fails before its tag.
//
//   node scripts/changelog-notes.mjs 1.2.3      (or v1.2.3)
import { readFileSync } from 'node:fs';

const version = process.argv[2]?.replace(/^v/, '');
if (!version) {
  console.error('usage: node scripts/changelog-notes.mjs <version>');
  process.exit(2);
}
const lines = readFileSync(new URL('../CHANGELOG.md', import.meta.url), 'utf8').split('\n');
const start = lines.findIndex((line) => line.startsWith(`## [${version}]`));
if (start < 0) {
  console.error(`CHANGELOG.md has no "## [${version}] - YYYY-MM-DD" section: add one with the changes of ${version}`);
  process.exit(1);
}
const end = lines.findIndex((line, i) => i > start && line.startsWith('## '));
const notes = lines
  .slice(start + 1, end < 0 ? undefined : end)
  .filter((line) => !/^\[[^\]]+\]: /.test(line))
  .join('\n')
  .trim();
if (!/^- /m.test(notes)) {
  console.error(`CHANGELOG.md's section for ${version} lists no change: add its entries`);
  process.exit(1);
}
console.log(notes);
