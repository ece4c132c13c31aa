/** The kernel's readFasta: text or a file path, gzipped or not, errors naming the file. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { gzipSync } from 'zlib';
import { readFasta } from '../../src/kernel/fastaFile';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'c1e-fasta-'));
const TEXT = '>one first\nACGT\nacgt\n>two\nGGCC\n';

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

test('FASTA text is read as it is', () => {
  expect(readFasta(TEXT).map(r => [r.name, r.sequence])).toEqual([
    ['one', 'ACGTACGT'],
    ['two', 'GGCC']
  ]);
});

test('a path is read, plain or gzipped, relative to the working folder', () => {
  fs.writeFileSync(path.join(dir, 'set.fa'), TEXT);
  fs.writeFileSync(path.join(dir, 'set.fa.gz'), gzipSync(TEXT));
  expect(readFasta(path.join(dir, 'set.fa'))).toEqual(readFasta(TEXT));
  expect(readFasta(path.join(dir, 'set.fa.gz'))).toEqual(readFasta(TEXT));
  const cwd = process.cwd();
  try {
    process.chdir(dir);
    expect(readFasta('set.fa')).toHaveLength(2);
  } finally {
    process.chdir(cwd);
  }
});

test('a missing file, a broken record and a broken gzip name the file', () => {
  expect(() => readFasta('nowhere.fa')).toThrow(/"nowhere.fa" is neither FASTA text .* nor a file/);
  fs.writeFileSync(path.join(dir, 'broken.fa'), '>a\nACGT\n>b\n>c\nAC\n');
  expect(() => readFasta(path.join(dir, 'broken.fa'))).toThrow(/broken\.fa: .*line 3/);
  fs.writeFileSync(path.join(dir, 'bad.fa.gz'), 'not gzip');
  expect(() => readFasta(path.join(dir, 'bad.fa.gz'))).toThrow(
    /bad\.fa\.gz: not a readable gzip file/
  );
});
