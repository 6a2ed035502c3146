import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { directorySource, listDirectory } from '../../src/source/directory.js';
import { memorySource } from '../../src/source/memory.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'pgshift-dir-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** The one entry of the directory, listed while it was a regular file. */
function listedAsFile(fileName: string) {
  writeFileSync(join(dir, fileName), 'SELECT 1;\n');
  const [entry] = listDirectory(dir);
  unlinkSync(join(dir, fileName));
  return entry!;
}

describe('directory source', () => {
  it('refuses a FIFO put where the listing saw a file, without waiting on it', () => {
    const entry = listedAsFile('001_a.sql');
    execFileSync('mkfifo', [entry.path]);
    expect(() => entry.read()).toThrow(/it is a FIFO, not a file/);
  });

  it('refuses a directory put where the listing saw a file', () => {
    const entry = listedAsFile('001_a.sql');
    mkdirSync(entry.path);
    expect(() => entry.read()).toThrow(/it is a directory, not a file/);
  });

  it('reads an empty file, a small one and one larger than a single read', async () => {
    const big = `-- UP\n${'SELECT 1;\n'.repeat(20_000)}`;
    writeFileSync(join(dir, '001_empty.sql'), '');
    writeFileSync(join(dir, '002_small.sql'), '-- UP\nSELECT 1;\n');
    writeFileSync(join(dir, '003_big.sql'), big);
    const { files, problems } = await directorySource(dir).read();
    expect(problems).toEqual([]);
    expect(files.map((f) => f.text)).toEqual(['', '-- UP\nSELECT 1;\n', big]);
  });

  it('checks every file, applied or not: bad UTF-8 and NUL bytes are reported', async () => {
    writeFileSync(join(dir, '001_latin1.sql'), Buffer.from('-- UP\nSELECT \xe9;\n', 'latin1'));
    writeFileSync(join(dir, '002_nul.sql'), Buffer.from('-- UP\nSELECT 1;\0\n'));
    const { files, problems } = await directorySource(dir).read();
    expect(files).toEqual([]);
    expect(problems.map((p) => [p.code, p.version])).toEqual([
      ['INVALID_ENCODING', 1],
      ['INVALID_ENCODING', 2],
    ]);
  });

  it('gives CRLF and LF files the same text and checksum', async () => {
    writeFileSync(join(dir, '001_lf.sql'), '-- UP\nSELECT 1;\n');
    writeFileSync(join(dir, '002_crlf.sql'), '-- UP\r\nSELECT 1;\r\n');
    const { files } = await directorySource(dir).read();
    expect(files[1]!.text).toBe(files[0]!.text);
    expect(files[1]!.checksum).toBe(files[0]!.checksum);
  });
});

describe('memory source', () => {
  it('keeps the text that was hashed when the caller changes its bytes afterwards', async () => {
    const bytes = Buffer.from('-- UP\nSELECT 1;\n');
    const { files } = await memorySource({ '001_a.sql': bytes }).read();
    bytes.write('-- UP\nSELECT 2;\n');
    expect(files[0]!.text).toBe('-- UP\nSELECT 1;\n');
  });
});
