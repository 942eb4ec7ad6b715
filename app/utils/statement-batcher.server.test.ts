import { describe, expect, it } from "vitest";
import { StatementBatcher } from "./statement-batcher.server";

/** A statement runner that records each batch and finishes when told to. */
function recordingRunner() {
  const batches: number[][] = [];
  const pending: (() => void)[] = [];
  const run = (items: number[]) =>
    new Promise<string[]>((resolve) => {
      batches.push(items);
      pending.push(() => resolve(items.map((n) => `answer ${n}`)));
    });
  /** Finishes the oldest statement, and lets the batcher send what waited for it. */
  const finishOne = async () => {
    pending.shift()!();
    for (let i = 0; i < 3; i++) await new Promise((r) => setImmediate(r));
  };
  return { run, batches, pending, finishOne };
}

const tick = () => new Promise((r) => setImmediate(r));

describe("StatementBatcher", () => {
  it("sends a lone item at once, on its own", async () => {
    const runner = recordingRunner();
    const batcher = new StatementBatcher(runner.run, { maxBatch: 10, maxInFlight: 1 });
    const answer = batcher.submit(1);
    await tick();
    expect(runner.batches).toEqual([[1]]);
    await runner.finishOne();
    expect(await answer).toBe("answer 1");
  });

  it("coalesces what arrives while the statements in flight run, and answers each item its own result", async () => {
    const runner = recordingRunner();
    const batcher = new StatementBatcher(runner.run, { maxBatch: 3, maxInFlight: 1 });
    const answers = [1, 2, 3, 4, 5, 6].map((n) => batcher.submit(n));
    await tick();
    // Same turn: one statement (up to maxBatch); the rest wait for it.
    expect(runner.batches).toEqual([[1, 2, 3]]);
    await runner.finishOne();
    expect(runner.batches).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    await runner.finishOne();
    expect(await Promise.all(answers)).toEqual([1, 2, 3, 4, 5, 6].map((n) => `answer ${n}`));
  });

  it("fails every item of a failed statement, and goes on with the next", async () => {
    let calls = 0;
    const batcher = new StatementBatcher(
      async (items: number[]) => {
        calls++;
        if (calls === 1) throw new Error("connection reset");
        return items.map((n) => n * 10);
      },
      { maxBatch: 10, maxInFlight: 1 },
    );
    const failed = [batcher.submit(1), batcher.submit(2)];
    await expect(failed[0]).rejects.toThrow("connection reset");
    await expect(failed[1]).rejects.toThrow("connection reset");
    expect(await batcher.submit(3)).toBe(30);
  });
});
