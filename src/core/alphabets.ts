/**
 * The sequence alphabets, in channel order: one home, importing nothing (the MEME reader
 * and the database need them without tfjs).
 */

/** The default one-hot alphabet: DNA. */
export const DNA = 'ACGT';

/** RNA, as MEME files name it. */
export const RNA = 'ACGU';

/** The 20 standard amino acids, in the usual alphabetical one-letter order. */
export const PROTEIN = 'ACDEFGHIKLMNPQRSTVWY';
