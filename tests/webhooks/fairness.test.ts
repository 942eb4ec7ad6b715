import { expect, it } from "vitest";
import { describeWithRuntime } from "../helpers/runtime";
import { burstAndTrickle, percentileOf } from "../helpers/fairness";

/**
 * PostgreSQL takes the whole 20,000-webhook flash sale; PGlite (one connection, slower to drain)
 * a burst big enough that, first come first served, the steady shop would wait far past 2 s.
 */
const BURST = { postgres: 20_000, pglite: 20_000 };

describeWithRuntime("fair to every shop", ({ kind, runtime }) => {
  it("processes a steady shop's orders within 2 s (p95) while another shop's flash sale drains", async () => {
    const burst = BURST[kind];
    const result = await burstAndTrickle(runtime(), {
      burst,
      steady: 50,
      everyMs: 100,
      drainTimeoutMs: 80_000,
    });
    expect(result.steadyProcessed).toBe(50);
    expect(result.steadyMs).toHaveLength(50);
    expect(percentileOf(result.steadyMs, 95)).toBeLessThan(2_000);
    // It went ahead of the queued flash sale, not merely after it had drained.
    expect(result.overtaken).toBeGreaterThan(1_000);
    // The flash sale still goes through, all of it.
    expect(result.burstProcessed).toBe(burst);
    console.log(
      `[fairness ${kind}] burst ${burst}: acked in ${Math.round(result.burstAckMs)} ms, drained in ${Math.round(result.burstDrainMs)} ms; ` +
        `steady p50 ${Math.round(percentileOf(result.steadyMs, 50))} ms, p95 ${Math.round(percentileOf(result.steadyMs, 95))} ms, ` +
        `max ${Math.round(Math.max(...result.steadyMs))} ms; ${result.burstWaitingAtSteadyStart} burst events waiting when the steady shop's ${Math.round(result.steadySendMs)} ms trickle began; its first event overtook ${result.overtaken}`,
    );
  }, 120_000);
});
