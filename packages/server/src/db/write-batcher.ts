interface Waiting<I, R> {
  item: I;
  resolve(result: R): void;
  reject(error: unknown): void;
}

/**
 * Group commit at the request level, per key (an organization). Writes to one
 * organization are serialised by its row lock anyway, so instead of queueing
 * for the lock one transaction at a time, the writes that arrive while a batch
 * is running wait here and are then applied together, in arrival order, by
 * the next batch: one transaction, one lock, one commit and one sync for all
 * of them. A write that finds its key idle starts at once, alone, so a lone
 * request never waits for company.
 *
 * `apply` returns one result per item, in order. If it throws (the
 * transaction rolled back), every item of that batch is rejected with the same
 * error: none of them was written.
 */
export class WriteBatcher<K, I, R> {
  /** A key is present while a batch for it runs; its value holds the writes waiting for the next one. */
  private readonly waiting = new Map<K, Waiting<I, R>[]>();

  constructor(
    private readonly apply: (key: K, items: I[]) => Promise<R[]>,
    private readonly maxBatch: number,
  ) {}

  submit(key: K, item: I): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      const entry = { item, resolve, reject };
      const queue = this.waiting.get(key);
      if (queue) {
        queue.push(entry);
        return;
      }
      this.waiting.set(key, []);
      void this.run(key, [entry]);
    });
  }

  private async run(key: K, batch: Waiting<I, R>[]): Promise<void> {
    try {
      const results = await this.apply(key, batch.map((w) => w.item));
      if (results.length !== batch.length) throw new Error(`write batch returned ${results.length} results for ${batch.length} items`);
      batch.forEach((w, i) => w.resolve(results[i]!));
    } catch (error) {
      for (const w of batch) w.reject(error);
    }
    const queue = this.waiting.get(key)!;
    if (queue.length === 0) {
      this.waiting.delete(key);
      return;
    }
    void this.run(key, queue.splice(0, this.maxBatch));
  }
}
