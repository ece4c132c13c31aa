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
 * @returns the cards
 */
export function galleryCards(
  result: ScanResult,
  order: readonly number[],
  selected: number,
  open: (filter: number) => void
): HTMLElement[] {
  const { motifs } = result;
  return order.map(f => {
    const motif = motifs.filters[f];
    const card = element('button', f === selected ? 'c1e-card c1e-card-selected' : 'c1e-card');
    card.type = 'button';
    card.dataset.filter = String(f);
    if (motif.pfm && motifs.alphabet) {
      const canvas = element('canvas', 'c1e-card-logo');
      paintLogo(
        canvas,
        informationLogo(motif.pfm, motifs.alphabet, isDarkTheme() ? 'dark' : 'light', {
          width: motif.pfm.length * COLUMN_PX,
          height: LOGO_HEIGHT_PX
        })
      );
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
}
