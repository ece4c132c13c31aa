/**
 * Writes the held-out DNA set of examples/motifs.ipynb: 1000 sequences from the DNA
 * example's generator with a seed training never used, as FASTA, each labelled in its
 * header (`label=1`: an E-box or TATA box was planted). Every 40th sequence has a run of
 * `N`, as real reads do, to show that the windows holding it are skipped.
 *
 *     node --import tsx examples/train/dataset.ts
 */
import * as fs from 'fs';
import * as path from 'path';
import { dnaExamples } from './data';

const COUNT = 1000;
const SEED = 99;
const OUT = path.join(__dirname, '..', 'data', 'dna-heldout.fa');

const lines = dnaExamples(COUNT, SEED).flatMap(({ sequence, label }, i) => {
  const masked = i % 40 === 39 ? `${sequence.slice(0, 70)}NNNNN${sequence.slice(75)}` : sequence;
  return [`>held${i + 1} label=${label}`, masked];
});
fs.mkdirSync(path.dirname(OUT), { recursive: true });
fs.writeFileSync(OUT, `${lines.join('\n')}\n`);
console.log(`wrote ${COUNT} sequences to ${path.relative(process.cwd(), OUT)}`);
