/**
 * One job at a time in a worker (the maximization's and the scan's clients): a newer job
 * supersedes the one in flight, reports of other jobs are ignored, a cancel resolves to
 * null, and a failure of the worker itself fails the job in flight and every later one.
 */
import { WorkerJobs } from '../../src/lab/workerJobs';

describe('WorkerJobs', () => {
  function jobs() {
    const sent: number[] = [];
    const stopped: number[] = [];
    const queue = new WorkerJobs<string, number>(id => stopped.push(id));
    return { queue, sent, stopped, start: (id: number) => sent.push(id) };
  }

  test('a newer job supersedes the one in flight, which resolves to null', async () => {
    const { queue, sent, stopped, start } = jobs();
    const progress: string[] = [];
    const first = queue.run(start, p => progress.push(`1:${p}`));
    const second = queue.run(start, p => progress.push(`2:${p}`));
    expect(sent).toEqual([1, 2]);
    expect(stopped).toEqual([1]);
    queue.progress(1, 'late');
    queue.progress(2, 'half');
    queue.done(1, 10); // the superseded job's result, arriving late
    queue.done(2, 20);
    await expect(first).resolves.toBeNull();
    await expect(second).resolves.toBe(20);
    expect(progress).toEqual(['2:half']);
  });

  test('a cancel stops the job; a job’s error fails it alone', async () => {
    const { queue, stopped, start } = jobs();
    const cancelled = queue.run(start, () => undefined);
    queue.cancel();
    await expect(cancelled).resolves.toBeNull();
    expect(stopped).toEqual([1]);
    const failing = queue.run(start, () => undefined);
    queue.failed(1, new Error('stale'));
    queue.failed(2, new Error('bad threshold'));
    await expect(failing).rejects.toThrow('bad threshold');
    const next = queue.run(start, () => undefined);
    queue.done(3, 3);
    await expect(next).resolves.toBe(3);
  });

  test('a failure of the worker fails the job in flight and every later one', async () => {
    const { queue, sent, start } = jobs();
    const running = queue.run(start, () => undefined);
    queue.failed(null, new Error('out of memory'));
    await expect(running).rejects.toThrow('out of memory');
    await expect(queue.run(start, () => undefined)).rejects.toThrow('out of memory');
    expect(sent).toEqual([1]);
  });
});
