import { expect, it } from "vitest";
import { describeWithRuntime } from "../helpers/runtime";
import { deliver, settledEvent } from "../helpers/webhooks";

/**
 * Signed bodies that JSON.parse accepts but PostgreSQL's jsonb refuses, and header values that
 * name Object.prototype's members: Shopify gets its 200 (a retry could never do better), the
 * body is kept raw as `rejected` with the reason, and nothing is left waiting.
 */
describeWithRuntime("webhooks with bad input", ({ runtime }) => {
  const db = () => runtime().database.db;
  const eventOf = (webhookId: string) => settledEvent(db(), webhookId);

  const unstorable: [string, string][] = [
    ["a NUL escape in a customer's note", '{"id":5812345678901,"note":"gift\\u0000wrap"}'],
    ["a lone surrogate", '{"id":5812345678902,"note":"\\ud800"}'],
    ["a number beyond numeric's range", '{"id":5812345678903,"total_price":1e1000000}'],
    [
      "nesting deeper than PostgreSQL's stack",
      `{"id":5812345678904,"note_attributes":${"[".repeat(200_000)}${"]".repeat(200_000)}}`,
    ],
  ];

  for (const [what, body] of unstorable) {
    it(`answers 200 and keeps the body as rejected when it carries ${what}, alone or among others`, async () => {
      const id = `bad-json-${what.replace(/\W+/g, "-")}`;
      // Alone, at a quiet moment: one delivery, one transaction.
      const alone = await deliver("orders/create", null, {
        webhookId: `${id}-alone`,
        rawBody: body,
      });
      expect(alone.status).toBe(200);
      const event = await eventOf(`${id}-alone`);
      expect(event.status).toBe("rejected");
      expect(event.error).toMatch(/^Body cannot be stored as JSON: /);
      expect(event.rawBody!.length).toBeGreaterThan(0);
      expect(event.payload).toBeNull();

      // Inside a burst: its neighbours are stored and processed as usual.
      const answers = await Promise.all([
        deliver("orders/create", null, { webhookId: `${id}-burst`, rawBody: body }),
        deliver(
          "customers/update",
          {
            id: 7_100_000_042,
            email: "good.neighbour@example.com",
            updated_at: "2026-11-20T09:00:00Z",
          },
          { webhookId: `${id}-neighbour` },
        ),
      ]);
      expect(answers.map((a) => a.status)).toEqual([200, 200]);
      expect((await eventOf(`${id}-burst`)).status).toBe("rejected");
      expect((await eventOf(`${id}-neighbour`)).status).toBe("processed");
    });
  }

  it("keeps a body with a raw NUL byte (not JSON at all) as rejected, readable", async () => {
    const response = await deliver("orders/create", null, {
      webhookId: "raw-nul",
      rawBody: '{"id":1,"note":"a\u0000b"}',
    });
    expect(response.status).toBe(200);
    const event = await eventOf("raw-nul");
    expect(event).toMatchObject({ status: "rejected", rawBody: '{"id":1,"note":"a\\u0000b"}' });
    expect(event.error).toMatch(/^Body is not valid JSON/);
  });

  for (const topic of ["constructor", "toString", "__proto__", "hasOwnProperty"]) {
    it(`settles a delivery whose topic is "${topic}" as an unsubscribed topic, without retries`, async () => {
      const response = await deliver(topic, { id: 1 }, { webhookId: `topic-${topic}` });
      expect(response.status).toBe(200);
      const event = await eventOf(`topic-${topic}`);
      expect(event).toMatchObject({
        status: "rejected",
        error: `Unsubscribed topic "${topic}"`,
        attempts: 1,
      });
    });
  }
});
