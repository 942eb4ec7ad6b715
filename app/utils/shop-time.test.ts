import { describe, expect, it } from "vitest";
import { addDays, RECENT_MS, resolveTimeZone, shopDays, shopTime } from "./shop-time";

// Fixed instants are fine here: nothing is compared with the clock; "now" is passed in.
const HOUR = 3_600_000;
// ICU puts a narrow no-break space before AM/PM; compare with plain spaces.
const plain = (text: string) => text.replace(/[\u202f\u00a0]/g, " ");

describe("shopTime: one format, in the shop's zone", () => {
  const instant = new Date("2026-01-15T17:05:00Z");

  it("formats date-times and dates in the shop's zone, whatever zone this process runs in", () => {
    expect(plain(shopTime({ timeZone: "America/New_York" }).dateTime(instant))).toBe(
      "Jan 15, 2026, 12:05 PM",
    );
    expect(plain(shopTime({ timeZone: "Asia/Tokyo" }).dateTime(instant))).toBe(
      "Jan 16, 2026, 2:05 AM",
    );
    expect(shopTime({ timeZone: "Asia/Tokyo" }).date(instant)).toBe("Jan 16, 2026");
    expect(shopTime({ timeZone: "America/Los_Angeles" }).date(instant.toISOString())).toBe(
      "Jan 15, 2026",
    );
  });

  it("falls back to UTC, and says so, for a shop without a zone or with one this runtime does not know", () => {
    for (const zone of [null, undefined, "", "Not/AZone"]) {
      const time = shopTime({ timeZone: zone });
      expect(time.timeZone).toBe("UTC");
      expect(plain(time.dateTime(instant))).toBe("Jan 15, 2026, 5:05 PM");
      expect(time.zoneLabel(instant)).toBe("UTC");
    }
    expect(resolveTimeZone("Europe/Berlin")).toBe("Europe/Berlin");
  });

  it("names the zone wherever a bare time of day is shown, with its summer and winter names", () => {
    const newYork = shopTime({ timeZone: "America/New_York" });
    expect(plain(newYork.clock(instant))).toBe("12:05 PM EST");
    expect(plain(newYork.clock(new Date("2026-07-15T12:05:00Z")))).toBe("8:05 AM EDT");
    expect(newYork.zoneLabel(new Date("2026-07-15T12:05:00Z"))).toBe("EDT");
    const london = shopTime({ timeZone: "Europe/London" });
    expect(plain(london.clock(instant))).toBe("5:05 PM GMT");
    expect(plain(london.clock(new Date("2026-07-15T12:05:00Z")))).toBe("1:05 PM GMT+1");
  });

  it("labels a chart's days as dates, not clipped ISO fragments", () => {
    const time = shopTime({ timeZone: "Pacific/Auckland" });
    expect(time.day("2026-12-05")).toBe("Dec 5");
    expect(time.dayLong("2026-12-05")).toBe("Dec 5, 2026");
  });

  it("follows the shop's locale", () => {
    const paris = shopTime({ timeZone: "Europe/Paris", locale: "fr-FR" });
    expect(paris.date(instant)).toBe("15 janv. 2026");
    expect(paris.relative(new Date(instant.getTime() - 3 * 60_000), instant)).toBe(
      "il y a 3 minutes",
    );
    expect(shopTime({ timeZone: "UTC", locale: "not a locale!" }).locale).toBe("en-US");
  });
});

describe("shopTime: relative while recent", () => {
  const now = new Date("2026-03-01T16:00:00Z");
  const time = shopTime({ timeZone: "UTC" });
  const at = (ms: number) => new Date(now.getTime() + ms);

  it("says how long ago or how soon", () => {
    expect(time.relative(at(-20_000), now)).toBe("now");
    expect(time.relative(at(-3 * 60_000), now)).toBe("3 minutes ago");
    expect(time.relative(at(2 * HOUR), now)).toBe("in 2 hours");
    expect(time.relative(at(-HOUR), now)).toBe("1 hour ago");
    expect(time.relative(at(5 * 24 * HOUR), now)).toBe("in 5 days");
  });

  it("counts days by the shop's calendar: the shop's yesterday, not UTC's", () => {
    const past = at(-40 * HOUR); // Feb 28 00:00 UTC, Feb 28 09:00 in Tokyo
    expect(time.relative(past, now)).toBe("yesterday");
    // In Tokyo it is already Mar 2 01:00: Feb 28 was two days ago.
    expect(shopTime({ timeZone: "Asia/Tokyo" }).relative(past, now)).toBe("2 days ago");
  });

  it("`when` is relative within RECENT_MS of now, a date-time beyond", () => {
    expect(time.when(at(-10 * 60_000), now)).toBe("10 minutes ago");
    expect(time.when(at(RECENT_MS - HOUR), now)).toBe("in 11 hours");
    expect(plain(time.when(at(-3 * 24 * HOUR), now))).toBe("Feb 26, 2026, 4:00 PM");
  });
});

describe("shopTime: the shop's calendar days", () => {
  it("dates an instant by the shop's wall calendar", () => {
    const lateEvening = new Date("2026-03-01T23:30:00Z");
    expect(shopTime({ timeZone: "Asia/Tokyo" }).localDate(lateEvening)).toBe("2026-03-02");
    expect(shopTime({ timeZone: "America/Los_Angeles" }).localDate(lateEvening)).toBe("2026-03-01");
    expect(shopTime({ timeZone: null }).localDate(lateEvening)).toBe("2026-03-01");
  });

  it("finds local hours across a DST change: New York's 23-hour spring day and 25-hour autumn day", () => {
    const ny = shopTime({ timeZone: "America/New_York" });
    // Clocks go forward at 02:00 on 2026-03-08.
    expect(ny.startOfDay("2026-03-08").toISOString()).toBe("2026-03-08T05:00:00.000Z");
    expect(ny.startOfDay("2026-03-09").toISOString()).toBe("2026-03-09T04:00:00.000Z");
    expect(ny.atLocal("2026-03-07", 8).toISOString()).toBe("2026-03-07T13:00:00.000Z");
    expect(ny.atLocal("2026-03-08", 8).toISOString()).toBe("2026-03-08T12:00:00.000Z");
    // And back at 02:00 on 2026-11-01.
    expect(ny.atLocal("2026-10-31", 8).toISOString()).toBe("2026-10-31T12:00:00.000Z");
    expect(ny.atLocal("2026-11-01", 8).toISOString()).toBe("2026-11-01T13:00:00.000Z");
    const { dates, bounds } = shopDays(ny, new Date("2026-11-02T15:00:00Z"), 3);
    expect(dates).toEqual(["2026-10-31", "2026-11-01", "2026-11-02"]);
    expect(bounds.slice(1).map((b, i) => (b.getTime() - bounds[i]!.getTime()) / HOUR)).toEqual([
      24, 25, 24,
    ]);
  });

  it("finds local hours in a zone ahead of UTC across its own DST change (Auckland, April)", () => {
    const auckland = shopTime({ timeZone: "Pacific/Auckland" });
    // NZDT (+13) until 03:00 on 2026-04-05, then NZST (+12).
    expect(auckland.atLocal("2026-04-04", 8).toISOString()).toBe("2026-04-03T19:00:00.000Z");
    expect(auckland.atLocal("2026-04-05", 8).toISOString()).toBe("2026-04-04T20:00:00.000Z");
    expect(auckland.localDate(auckland.atLocal("2026-04-05", 8))).toBe("2026-04-05");
  });

  it("adds calendar days across months and years", () => {
    expect(addDays("2026-12-31", 1)).toBe("2027-01-01");
    expect(addDays("2028-03-01", -1)).toBe("2028-02-29");
  });
});
