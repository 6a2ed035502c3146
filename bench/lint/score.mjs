#!/usr/bin/env node
// Scores a linter's findings against the measured labels of
// test/lint-cases/labels.json (written by scripts/measure-lint-cases.mjs).
//
// A finding is { file, line, family }: file names the case (its base name is
// enough), line is 1-based in the case file, family is one of the label
// families or null (a rule that maps to none, e.g. a style rule).
//
// - A finding *points at* a statement when its line lies within the statement's
//   lines (line .. endLine).
// - A finding is a true positive when it points at a hazardous statement:
//   "family" scoring also needs its family among the families measured for that
//   statement; "any" scoring takes any family. Every other finding is a false
//   positive, including those on DOWN parts, on safe statements of hazardous
//   cases, and all findings on safe cases.
// - precision = true-positive findings / all findings.
// - recall = hazardous cases with at least one true-positive finding / hazardous
//   cases (a case is hazardous when one of its statements is).
// - F1 = harmonic mean of the two.
// - false-positive rate = safe cases with at least one finding / safe cases.
//
// - setAside(labels, family) sets one family aside: it is taken off every
//   statement's families, a statement left with none is safe, and a case whose
//   only hazard it was counts as a safe case (findings of that family are to be
//   dropped by the caller). Used for "the lock_timeout advice aside".
//
// Two label sets: test/lint-cases/labels.json (the in-sample cases of
// test/lint-cases/cases) and test/lint-cases/holdout-labels.json (held-out
// cases, test/lint-cases/holdout, written without reading pgshift's rules). A
// case's `file` is relative to its labels file's folder (labels.dir).
//
// Usage as a command: node bench/lint/score.mjs <findings.json> [labels.json]
import { readFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

export const FAMILIES = ['rewrite', 'scan-under-lock', 'index-not-concurrent', 'destructive', 'no-lock-timeout', 'unbatched-dml'];
/** Strongest first, as scripts/measure-lint-cases.mjs orders a statement's families. */
export const STRENGTH = ['destructive', 'rewrite', 'index-not-concurrent', 'scan-under-lock', 'unbatched-dml', 'no-lock-timeout'];
export const defaultLabelsPath = fileURLToPath(new URL('../../test/lint-cases/labels.json', import.meta.url));
export const holdoutLabelsPath = fileURLToPath(new URL('../../test/lint-cases/holdout-labels.json', import.meta.url));

/** The labels; `dir` (not enumerable) is the folder the cases' `file`s are relative to. */
export function loadLabels(path = defaultLabelsPath) {
  const labels = JSON.parse(readFileSync(path, 'utf8'));
  return Object.defineProperty(labels, 'dir', { value: dirname(path), enumerable: false });
}

/** The labels with `family` set aside (see the header); the file is not touched. */
export function setAside(labels, family) {
  const cases = labels.cases.map((c) => {
    const statements = c.statements.map((s) => {
      const families = s.families.filter((f) => f !== family);
      return { ...s, families, hazard: STRENGTH.find((f) => families.includes(f)) ?? 'safe' };
    });
    return { ...c, statements, label: STRENGTH.find((f) => statements.some((s) => s.hazard === f)) ?? 'safe' };
  });
  return Object.defineProperty({ ...labels, cases }, 'dir', { value: labels.dir, enumerable: false });
}

const ratio = (a, b) => (b === 0 ? null : a / b);
const f1 = (p, r) => (p === null || r === null || p + r === 0 ? null : (2 * p * r) / (p + r));

/** Precision, recall, F1 ("family" and "any" scoring), false-positive rate on safe cases, and recall per family. */
export function score(findings, labels) {
  const cases = new Map(labels.cases.map((c) => [basename(c.file), c]));
  const hit = { family: new Set(), any: new Set() };
  const truePositives = { family: 0, any: 0 };
  const flaggedSafe = new Set();
  let counted = 0;
  for (const finding of findings) {
    const c = cases.get(basename(finding.file));
    if (!c) continue; // not a case file
    counted++;
    if (c.label === 'safe') flaggedSafe.add(c.file);
    const statement = c.statements.find((s) => s.hazard !== 'safe' && finding.line >= s.line && finding.line <= s.endLine);
    if (!statement) continue;
    truePositives.any++;
    hit.any.add(c.file);
    if (statement.families.includes(finding.family)) {
      truePositives.family++;
      hit.family.add(c.file);
    }
  }
  const hazardous = labels.cases.filter((c) => c.label !== 'safe');
  const safe = labels.cases.length - hazardous.length;
  const result = { findings: counted, hazardousCases: hazardous.length, safeCases: safe, flaggedSafeCases: flaggedSafe.size };
  for (const mode of ['family', 'any']) {
    const precision = ratio(truePositives[mode], counted);
    const recall = ratio(hit[mode].size, hazardous.length);
    result[mode] = { truePositives: truePositives[mode], recalledCases: hit[mode].size, precision, recall, f1: f1(precision, recall) };
  }
  result.falsePositiveRate = ratio(flaggedSafe.size, safe);
  result.recallByFamily = Object.fromEntries(
    FAMILIES.map((family) => {
      const of = hazardous.filter((c) => c.label === family);
      return [
        family,
        { cases: of.length, family: of.filter((c) => hit.family.has(c.file)).length, any: of.filter((c) => hit.any.has(c.file)).length },
      ];
    }),
  );
  return result;
}

export const fmt = (x) => (x === null || x === undefined ? 'n/a' : x.toFixed(2));

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const [findingsPath, labelsPath] = process.argv.slice(2);
  if (!findingsPath) {
    console.error('usage: node bench/lint/score.mjs <findings.json> [labels.json]  (findings: [{ file, line, family }])');
    process.exit(2);
  }
  const r = score(JSON.parse(readFileSync(findingsPath, 'utf8')), loadLabels(labelsPath));
  console.log(`${r.findings} findings; ${r.hazardousCases} hazardous and ${r.safeCases} safe cases`);
  console.log('| scoring | precision | recall | F1 | FP rate (safe cases) |\n|---|---:|---:|---:|---:|');
  for (const mode of ['family', 'any']) {
    console.log(`| ${mode} | ${fmt(r[mode].precision)} | ${fmt(r[mode].recall)} | ${fmt(r[mode].f1)} | ${fmt(r.falsePositiveRate)} |`);
  }
}
