/**
 * The hooks that exist only for the end-to-end tests, in one place: data attributes on a
 * view's node that say what the view has done (drawn, failed, which filter), so a browser
 * test can wait for them. The extension itself never reads them back; each view keeps its
 * own state and mirrors it here.
 */

/** Every attribute the end-to-end tests wait for, as `dataset` keys (`data-filter-drawn`…). */
export interface TestMarks {
  /** The explorer's views are drawn (`'true'`). */
  ready: string;
  /** The tfjs backend that computed them. */
  backend: string;
  /** The filter whose views are on screen. */
  filterDrawn: string;
  /** The brushed position range, or empty. */
  brush: string;
  /** The note shown under the filter slider. */
  filterNote: string;
  /** The view shows an error (`'true'`). */
  error: string;
  /** A saved notebook's picture is shown instead of live views (`'saved'`). */
  picture: string;
  /** The maximization panel's state: idle, pending, running, done or error. */
  state: string;
  /** The maximization shown came from the saved view (`'true'`). */
  restored: string;
  /** The maximization step shown. */
  step: string;
  /** Filters in the maximization gallery. */
  gallery: string;
  /** The dataset view: the selected filter's site count over the set. */
  sites: string;
  /** The dataset view: the selected filter's best match (`factor q=…`), or empty. */
  bestMatch: string;
  /** The sequence of the set open in the per-sequence views. */
  opened: string;
  /** A model file's widget has loaded the model (`'true'`). */
  loaded: string;
}

/**
 * Test-only hooks. Writing a mark is all the extension does with them.
 */
export const forTests = {
  /**
   * Sets or, for `undefined`, removes marks on a node.
   *
   * @param node - the view's node
   * @param marks - the marks to change
   */
  mark(node: HTMLElement, marks: Partial<Record<keyof TestMarks, string | undefined>>): void {
    for (const [key, value] of Object.entries(marks)) {
      if (value === undefined) {
        delete node.dataset[key];
      } else {
        node.dataset[key] = value;
      }
    }
  }
} as const;
