/** The main thread's long tasks (Long Tasks API: over 50 ms), as the lab benches watch them. */
import type { IJupyterLabPageFixture } from '@jupyterlab/galata';

/**
 * Starts collecting long tasks on the page, forgetting those seen before.
 *
 * @param page - the JupyterLab page
 */
export async function watchTasks(page: IJupyterLabPageFixture): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { c1eTasks: number[]; c1eObserver?: PerformanceObserver };
    w.c1eTasks = [];
    w.c1eObserver?.disconnect();
    w.c1eObserver = new PerformanceObserver(list => {
      for (const entry of list.getEntries()) {
        w.c1eTasks.push(entry.duration);
      }
    });
    w.c1eObserver.observe({ type: 'longtask', buffered: false });
  });
}

/**
 * The long tasks seen since `watchTasks`.
 *
 * @param page - the JupyterLab page
 * @returns their durations in milliseconds
 */
export async function seenTasks(page: IJupyterLabPageFixture): Promise<number[]> {
  return page.evaluate(() => (window as unknown as { c1eTasks: number[] }).c1eTasks);
}
