/** The main thread's long tasks (Long Tasks API: over 50 ms), as the lab benches watch them. */
import type { IJupyterLabPageFixture } from '@jupyterlab/galata';

/** One long task: when it started and how long it took, in the page's milliseconds. */
export interface LongTask {
  start: number;
  duration: number;
}

interface TaskWindow {
  c1eTasks: LongTask[];
  c1eObserver?: PerformanceObserver;
}

/**
 * Starts collecting long tasks on the page, forgetting those seen before.
 *
 * @param page - the JupyterLab page
 */
export async function watchTasks(page: IJupyterLabPageFixture): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as TaskWindow;
    w.c1eTasks = [];
    w.c1eObserver?.disconnect();
    w.c1eObserver = new PerformanceObserver(list => {
      for (const entry of list.getEntries()) {
        w.c1eTasks.push({ start: entry.startTime, duration: entry.duration });
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
  return (await seenTaskTimes(page)).map(t => t.duration);
}

/**
 * The long tasks seen since `watchTasks`, with their start times.
 *
 * @param page - the JupyterLab page
 * @returns each task's start and duration
 */
export async function seenTaskTimes(page: IJupyterLabPageFixture): Promise<LongTask[]> {
  return page.evaluate(() => (window as unknown as TaskWindow).c1eTasks);
}
