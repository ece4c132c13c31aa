/**
 * The gallery of every filter's motif over the set: a small real logo (one-hot inputs) or
 * the top n-gram (tokens) per filter, with its best database match; a click opens the
 * filter. Cards are plain canvases and text: hundreds of them draw in a few milliseconds,
 * where as many Vega views would hold up the page.
 */
import { element, isDarkTheme } from '../embed';
import { informationLogo } from '../logo/information';
import { paintLogo } from '../logo/picture';
import type { ScanResult } from '../worker/scanMessages';
import { bestMatchLabel, totalBits } from './datasetRows';

/** Width of a gallery logo's column, and its height, in CSS pixels. */
const COLUMN_PX = 7;
const LOGO_HEIGHT_PX = 36;

/**
 * One card per filter, in the given order.
 *
 * @param result - the scan's result
 * @param order - filter indices
 * @param selected - the selected filter (its card is marked)
 * @param open - called with the filter of a clicked card
 * @returns the cards, and one painting of a logo per card that has one, to run when the
 *   caller has time (300 logos take about 200 ms, too long for one task)
 */
export function galleryCards(
  result: ScanResult,
  order: readonly number[],
  selected: number,
  open: (filter: number) => void
): { cards: HTMLElement[]; paints: (() => void)[] } {
  const { motifs } = result;
  const theme = isDarkTheme() ? 'dark' : 'light';
  const paints: (() => void)[] = [];
  const cards = order.map(f => {
    const motif = motifs.filters[f];
    const card = element('button', f === selected ? 'c1e-card c1e-card-selected' : 'c1e-card');
    card.type = 'button';
    card.dataset.filter = String(f);
    if (motif.pfm && motifs.alphabet) {
      const canvas = element('canvas', 'c1e-card-logo');
      const size = { width: motif.pfm.length * COLUMN_PX, height: LOGO_HEIGHT_PX };
      // The card keeps its size until its logo is painted.
      canvas.style.width = `${size.width}px`;
      canvas.style.height = `${size.height}px`;
      const pfm = motif.pfm;
      const alphabet = motifs.alphabet;
      paints.push(() => paintLogo(canvas, informationLogo(pfm, alphabet, theme, size)));
      card.appendChild(canvas);
    } else {
      const top = motif.ngrams?.[0];
      const text = motif.tooFew
        ? `${motif.sites} sites: too few`
        : top
          ? (top.words ?? top.ids.map(String)).join(' ')
          : `${motif.sites} sites`;
      card.appendChild(element('div', 'c1e-card-text', text));
    }
    const bits = motif.bits ? ` · ${totalBits(motif).toFixed(1)} bits` : '';
    card.appendChild(element('div', 'c1e-card-caption', `${f}${bits}`));
    const match = bestMatchLabel(result, f);
    if (match) {
      card.appendChild(element('div', 'c1e-card-match', match));
    }
    card.addEventListener('click', () => open(f));
    return card;
  });
  return { cards, paints };
}

/**
 * Marks the selected filter's card.
 *
 * @param cards - the gallery's cards
 * @param filter - the selected filter
 */
export function markSelectedCard(cards: HTMLCollection, filter: number): void {
  for (const card of Array.from(cards) as HTMLElement[]) {
    card.classList.toggle('c1e-card-selected', card.dataset.filter === String(filter));
  }
}
