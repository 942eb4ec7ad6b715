/** The span over which a shop's recent jobs are counted (the current window plus the one before). */
export const SHOP_VOLUME_WINDOW_MS = 10_000;

/** How many jobs of one task a shop may enqueue per window before the rest queue behind others'. */
export const DEFAULT_SHOP_BURST_JOBS = 100;

/** The lowest priority a burst reaches: 2^16 times the threshold is beyond any flash sale. */
const LOWEST_PRIORITY = -16;

interface Counts {
  window: number;
  current: number;
  previous: number;
}

/**
 * Each shop's recent job count per task in this process, turned into a pg-boss priority: 0 while
 * the shop enqueues at most `burstJobs` per window, then -1, -2, … as its count doubles. Workers
 * fetch by priority before age, so a shop's flash sale queues behind every quieter shop's
 * events instead of ahead of them, yet runs at full speed whenever nothing else is waiting.
 * Counting is in memory (no query on the ack path); each process counts what it enqueued.
 */
export class ShopVolume {
  private readonly counts = new Map<string, Counts>();
  private lastPrune = 0;

  constructor(
    private readonly burstJobs: number = DEFAULT_SHOP_BURST_JOBS,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Counts one job of `task` for `shop` and returns the priority it should be enqueued with. */
  next(task: string, shop: string): number {
    const window = Math.floor(this.now() / SHOP_VOLUME_WINDOW_MS);
    if (window > this.lastPrune + 1) this.prune(window);
    const key = `${task}\u0000${shop}`;
    let counts = this.counts.get(key);
    if (!counts) {
      counts = { window, current: 0, previous: 0 };
      this.counts.set(key, counts);
    } else if (counts.window !== window) {
      counts.previous = counts.window === window - 1 ? counts.current : 0;
      counts.current = 0;
      counts.window = window;
    }
    counts.current++;
    const recent = counts.current + counts.previous;
    if (recent <= this.burstJobs) return 0;
    return Math.max(LOWEST_PRIORITY, -(Math.floor(Math.log2(recent / this.burstJobs)) + 1));
  }

  /** Forgets shops that enqueued nothing in the last two windows (the map stays the active shops). */
  private prune(window: number): void {
    for (const [key, counts] of this.counts) {
      if (counts.window < window - 1) this.counts.delete(key);
    }
    this.lastPrune = window;
  }
}
