import { describe, expect, it } from "vitest";
import { SHOP_VOLUME_WINDOW_MS, ShopVolume } from "./shop-volume";

describe("ShopVolume", () => {
  it("keeps a shop at priority 0 up to its burst allowance, then lowers it as its count doubles", () => {
    let now = 0;
    const volume = new ShopVolume(10, () => now);
    const priorities = Array.from({ length: 45 }, () => volume.next("process-webhook", "a"));
    expect(priorities.slice(0, 10)).toEqual(Array(10).fill(0));
    expect(priorities[10]).toBe(-1); // the 11th
    expect(priorities[19]).toBe(-2); // the 20th: twice the allowance
    expect(priorities[44]).toBe(-3); // the 45th: four times and more
    // Another shop, and the same shop's other tasks, are counted on their own.
    expect(volume.next("process-webhook", "b")).toBe(0);
    expect(volume.next("deliver-klaviyo", "a")).toBe(0);
    now += SHOP_VOLUME_WINDOW_MS;
    // The previous window still counts…
    expect(volume.next("process-webhook", "a")).toBe(-3);
    now += 2 * SHOP_VOLUME_WINDOW_MS;
    // …but a shop quiet for two windows is back at 0.
    expect(volume.next("process-webhook", "a")).toBe(0);
  });
});
