/**
 * When the maximization panel's runs start and what of them gets drawn, without a DOM: a
 * token per run (a newer run supersedes the older one, whose progress, partial results and
 * final draw are then dropped), the timer of a start that waits for a slider to rest, the
 * queue that draws one thing after another, and the newest partial result waiting for it.
 */

/** Something to draw; the queue waits for it before the next. */
export type Draw = () => Promise<void> | void;

/** One run, as the scheduler started it. */
export interface RunTicket {
  /**
   * Whether this run is still the newest (and the scheduler not disposed).
   *
   * @returns false once a newer run started, a start was scheduled, or the panel is gone
   */
  current(): boolean;
}

/** Starts, supersedes and draws the runs of one maximization panel. */
export class RunScheduler {
  /** The newest run's token: a ticket whose token differs is superseded. */
  private token = 0;
  /** A start waiting for the controls to rest (see `debounce`). */
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** The end of the draw queue. It never rejects: a failed draw is reported, then skipped. */
  private drawing: Promise<void> = Promise.resolve();
  /** The newest partial result's draw, while one is queued for it. */
  private latestPartial: Draw | undefined;
  private stopped = false;

  /**
   * @param onDrawError - told what every draw that fails threw
   */
  constructor(private readonly onDrawError: (error: unknown) => void) {}

  /** Whether `dispose` was called. */
  get disposed(): boolean {
    return this.stopped;
  }

  /**
   * Starts a run now, superseding the one in flight and any start that waits.
   *
   * @returns the new run's ticket
   */
  begin(): RunTicket {
    this.cancel();
    const token = ++this.token;
    this.latestPartial = undefined;
    return { current: () => token === this.token && !this.stopped };
  }

  /**
   * Supersedes the run in flight now and calls `start` once no other request came for
   * `delayMs` (each request restarts the wait).
   *
   * @param start - starts the run, typically with `begin`
   * @param delayMs - how long the requests must rest
   */
  debounce(start: () => void, delayMs: number): void {
    this.supersede();
    this.timer = setTimeout(start, delayMs);
  }

  /** Supersedes the run in flight and any start that waits, starting nothing. */
  supersede(): void {
    this.cancel();
    this.token++;
  }

  /** Drops a start that waits for the controls to rest, if any. */
  cancel(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  /**
   * Queues a draw after those queued before it, so a slow draw never overtakes a newer one.
   *
   * @param draw - the draw
   */
  queue(draw: Draw): void {
    this.drawing = this.drawing.then(draw).catch((e: unknown) => this.onDrawError(e));
  }

  /**
   * Queues a draw that happens only if its run is still current when its turn comes.
   *
   * @param run - the run it belongs to
   * @param draw - the draw
   */
  queueFor(run: RunTicket, draw: Draw): void {
    this.queue(() => (run.current() ? draw() : undefined));
  }

  /**
   * Waits for everything queued so far.
   *
   * @returns a promise that resolves (never rejects) once the queue is drawn
   */
  drawn(): Promise<void> {
    return this.drawing;
  }

  /**
   * Offers a partial result of a run. Partial results are drawn from the newest one
   * whenever the previous draw is done, so they never pile up; those of a run that is no
   * longer current are dropped.
   *
   * @param run - the run it comes from
   * @param draw - draws the partial result
   */
  offerPartial(run: RunTicket, draw: Draw): void {
    if (!run.current()) {
      return;
    }
    const first = this.latestPartial === undefined;
    this.latestPartial = draw;
    if (first) {
      this.queue(async () => {
        // A stale run leaves the newest partial alone: it may be a newer run's.
        if (!run.current()) {
          return;
        }
        const newest = this.latestPartial;
        this.latestPartial = undefined;
        await newest?.();
      });
    }
  }

  /**
   * Queues a run's final draw and waits for it.
   *
   * @param run - the run
   * @param draw - draws its result
   * @returns whether the run is still current once drawn (if not, its draw was dropped or
   *   is stale, and the caller should leave the panel to the newer run)
   */
  async finish(run: RunTicket, draw: Draw): Promise<boolean> {
    this.queueFor(run, draw);
    await this.drawn();
    return run.current();
  }

  /** Supersedes every run and drops the start that waits; nothing runs after this. */
  dispose(): void {
    this.stopped = true;
    this.cancel();
  }
}
