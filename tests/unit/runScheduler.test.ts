/**
 * The maximization panel's run scheduler, with jest's fake timers and no DOM: a start that
 * waits for the controls to rest, newer runs superseding older ones, partial results of the
 * current run only, stale final draws dropped, the draw queue's order and errors, and
 * cancel and dispose clearing the timer.
 */
import { RunScheduler } from '../../src/lab/maximization/runScheduler';

/** A promise and the function that resolves it. */
function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve: () => void = () => undefined;
  const promise = new Promise<void>(r => (resolve = r));
  return { promise, resolve };
}

describe('RunScheduler', () => {
  let errors: unknown[];
  let scheduler: RunScheduler;

  beforeEach(() => {
    jest.useFakeTimers();
    errors = [];
    scheduler = new RunScheduler(e => errors.push(e));
  });

  afterEach(() => {
    jest.useRealTimers();
  });

  it('starts a debounced run once the requests rest for the delay', () => {
    const start = jest.fn();
    scheduler.debounce(start, 150);
    jest.advanceTimersByTime(100);
    scheduler.debounce(start, 150); // the wait starts again
    jest.advanceTimersByTime(149);
    expect(start).not.toHaveBeenCalled();
    jest.advanceTimersByTime(1);
    expect(start).toHaveBeenCalledTimes(1);
    jest.advanceTimersByTime(1000);
    expect(start).toHaveBeenCalledTimes(1);
  });

  it('supersedes the run in flight as soon as a start is debounced', () => {
    const run = scheduler.begin();
    scheduler.debounce(() => undefined, 150);
    expect(run.current()).toBe(false);
  });

  it('lets a newer run supersede an older one, and drops a debounced start', () => {
    const start = jest.fn();
    const older = scheduler.begin();
    expect(older.current()).toBe(true);
    scheduler.debounce(start, 150);
    const newer = scheduler.begin();
    expect(older.current()).toBe(false);
    expect(newer.current()).toBe(true);
    expect(jest.getTimerCount()).toBe(0);
    jest.advanceTimersByTime(1000);
    expect(start).not.toHaveBeenCalled();
  });

  it('supersedes without starting anything', () => {
    const run = scheduler.begin();
    scheduler.supersede();
    expect(run.current()).toBe(false);
  });

  it('draws one thing after another, even when the first is slow', async () => {
    const order: string[] = [];
    const slow = deferred();
    scheduler.queue(async () => {
      await slow.promise;
      order.push('slow');
    });
    scheduler.queue(() => void order.push('fast'));
    await Promise.resolve();
    expect(order).toEqual([]);
    slow.resolve();
    await scheduler.drawn();
    expect(order).toEqual(['slow', 'fast']);
  });

  it('reports a draw that fails and goes on with the next', async () => {
    const drawn: string[] = [];
    scheduler.queue(() => {
      throw new Error('no canvas');
    });
    scheduler.queue(() => void drawn.push('next'));
    await expect(scheduler.drawn()).resolves.toBeUndefined();
    expect(errors).toEqual([new Error('no canvas')]);
    expect(drawn).toEqual(['next']);
  });

  it('draws a queued draw only if its run is still current', async () => {
    const draw = jest.fn();
    const older = scheduler.begin();
    scheduler.queueFor(older, draw);
    scheduler.begin();
    await scheduler.drawn();
    expect(draw).not.toHaveBeenCalled();
  });

  it('draws the newest partial result once the previous draw is done', async () => {
    const shown: number[] = [];
    const busy = deferred();
    const run = scheduler.begin();
    scheduler.queue(() => busy.promise);
    for (const step of [1, 2, 3]) {
      scheduler.offerPartial(run, () => void shown.push(step));
    }
    busy.resolve();
    await scheduler.drawn();
    expect(shown).toEqual([3]);
    scheduler.offerPartial(run, () => void shown.push(4));
    await scheduler.drawn();
    expect(shown).toEqual([3, 4]);
  });

  it('takes partial results only from the current run', async () => {
    const shown: string[] = [];
    const older = scheduler.begin();
    const busy = deferred();
    scheduler.queue(() => busy.promise);
    scheduler.offerPartial(older, () => void shown.push('older, queued'));
    const newer = scheduler.begin();
    scheduler.offerPartial(older, () => void shown.push('older, late'));
    busy.resolve();
    await scheduler.drawn();
    expect(shown).toEqual([]);
    scheduler.offerPartial(newer, () => void shown.push('newer'));
    await scheduler.drawn();
    expect(shown).toEqual(['newer']);
  });

  it("a stale run's queued partial leaves a newer run's first partial to be drawn", async () => {
    const shown: string[] = [];
    const busy = deferred();
    scheduler.queue(() => busy.promise);
    const older = scheduler.begin();
    scheduler.offerPartial(older, () => void shown.push('older'));
    const newer = scheduler.begin();
    scheduler.offerPartial(newer, () => void shown.push('newer'));
    busy.resolve();
    await scheduler.drawn();
    expect(shown).toEqual(['newer']);
  });

  it('finishes the current run: draws its result and says it is still current', async () => {
    const draw = jest.fn();
    const run = scheduler.begin();
    await expect(scheduler.finish(run, draw)).resolves.toBe(true);
    expect(draw).toHaveBeenCalledTimes(1);
  });

  it('drops a run that finishes after a newer one started', async () => {
    const draw = jest.fn();
    const older = scheduler.begin();
    scheduler.begin();
    await expect(scheduler.finish(older, draw)).resolves.toBe(false);
    expect(draw).not.toHaveBeenCalled();
  });

  it('says a run is stale when a newer one starts while its result is drawn', async () => {
    const drawing = deferred();
    const older = scheduler.begin();
    const finished = scheduler.finish(older, () => drawing.promise);
    await Promise.resolve();
    scheduler.begin();
    drawing.resolve();
    await expect(finished).resolves.toBe(false);
  });

  it('cancel clears the pending timer', () => {
    const start = jest.fn();
    const run = scheduler.begin();
    scheduler.debounce(start, 150);
    expect(jest.getTimerCount()).toBe(1);
    scheduler.cancel();
    expect(jest.getTimerCount()).toBe(0);
    jest.advanceTimersByTime(1000);
    expect(start).not.toHaveBeenCalled();
    expect(run.current()).toBe(false); // the debounce had superseded it already
  });

  it('dispose clears a waiting start', () => {
    const start = jest.fn();
    scheduler.debounce(start, 150);
    expect(jest.getTimerCount()).toBe(1);
    scheduler.dispose();
    expect(scheduler.disposed).toBe(true);
    expect(jest.getTimerCount()).toBe(0);
    jest.advanceTimersByTime(1000);
    expect(start).not.toHaveBeenCalled();
  });

  it('dispose supersedes the current run and drops its queued draw', async () => {
    const draw = jest.fn();
    const run = scheduler.begin();
    scheduler.queueFor(run, draw); // drawn on a later microtask, after dispose
    expect(run.current()).toBe(true);
    scheduler.dispose();
    expect(run.current()).toBe(false);
    expect(scheduler.begin().current()).toBe(false);
    await scheduler.drawn();
    expect(draw).not.toHaveBeenCalled();
  });
});
