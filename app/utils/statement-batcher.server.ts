/**
 * Coalesces concurrent requests for the same statement into one, group-commit style: an item
 * submitted while `maxInFlight` statements are already running waits and joins the next one;
 * otherwise it goes out with whatever else arrived in the same turn of the event loop. At quiet
 * times every item is its own statement (no added wait); under load one statement — one round
 * trip, one plan execution, one commit — serves many requests.
 */
export class StatementBatcher<Item, Result> {
  private queued: { item: Item; resolve(result: Result): void; reject(error: unknown): void }[] =
    [];
  private inFlight = 0;
  private scheduled = false;

  constructor(
    /** Runs one statement for these items; answers one result per item, in order. */
    private readonly run: (items: Item[]) => Promise<Result[]>,
    private readonly options: { maxBatch: number; maxInFlight: number },
  ) {}

  submit(item: Item): Promise<Result> {
    return new Promise((resolve, reject) => {
      this.queued.push({ item, resolve, reject });
      this.schedule();
    });
  }

  private schedule() {
    if (this.scheduled || this.queued.length === 0 || this.inFlight >= this.options.maxInFlight)
      return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.flush();
    });
  }

  private flush() {
    while (this.queued.length > 0 && this.inFlight < this.options.maxInFlight) {
      const batch = this.queued.splice(0, this.options.maxBatch);
      this.inFlight++;
      this.run(batch.map((entry) => entry.item))
        .then(
          (results) => batch.forEach((entry, i) => entry.resolve(results[i]!)),
          (error) => batch.forEach((entry) => entry.reject(error)),
        )
        .finally(() => {
          this.inFlight--;
          this.schedule();
        });
    }
  }
}

declare global {
  /** The process's statement batchers, by statement name and database. */
  var __switchboardStatementBatchers:
    Map<string, WeakMap<object, StatementBatcher<any, any>>> | undefined;
}

/**
 * The process's one batcher for a statement on a database, made by `create` on first use (kept
 * on globalThis, so a dev-server module reload keeps coalescing into the same one).
 */
export function statementBatcher<Item, Result>(
  name: string,
  database: object,
  create: () => StatementBatcher<Item, Result>,
): StatementBatcher<Item, Result> {
  const byName = (globalThis.__switchboardStatementBatchers ??= new Map());
  let byDatabase = byName.get(name);
  if (!byDatabase) byName.set(name, (byDatabase = new WeakMap()));
  let batcher = byDatabase.get(database) as StatementBatcher<Item, Result> | undefined;
  if (!batcher) byDatabase.set(database, (batcher = create()));
  return batcher;
}
