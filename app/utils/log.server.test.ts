import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger, logSettings, redactSecrets, withLogContext } from "./log.server";

describe("redactSecrets", () => {
  it("hides session tokens and Shopify tokens a library line quotes, and keeps the rest", () => {
    const jwt = "eyJhbGciOiJIUzI1NiJ9.eyJkZXN0IjoiaHR0cHM6Ly9hIn0.c2lnbmF0dXJlLXBhcnQ";
    const line = `[shopify-api/DEBUG] Attempting to authenticate session token | {sessionToken: {"search":"?id_token=${jwt}"}} shop=a.myshopify.com token=shpat_0123456789abcdef0123 refresh=shprt_abcdef0123456789abcd`;
    const redacted = redactSecrets(line);
    expect(redacted).not.toContain(jwt);
    expect(redacted).not.toMatch(/shpat_|shprt_/);
    expect(redacted).toContain("Attempting to authenticate session token");
    expect(redacted).toContain("shop=a.myshopify.com");
    expect(redacted.match(/\[redacted\]/g)).toHaveLength(3);
  });
});

/** A logger writing into an array of parsed JSON lines. */
function capture(level: "debug" | "info" = "debug") {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString("utf8").split("\n").filter(Boolean));
      done();
    },
  });
  return { logger: createLogger({ level, pretty: false }, destination), lines };
}

const EMAIL = "jane.doe+vip@example.com";
const KLAVIYO_KEY = "pk_4f3a9c2b1d8e7f6a5b4c3d2e1f0a9b8c7d";
const ADMIN_TOKEN = "shpat_0123456789abcdef0123456789abcdef";
const JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhLXJlZmVyZW5jZSJ9.Zm9vYmFyYmF6LXNpZ25hdHVyZQ";

describe("log", () => {
  it("writes one JSON object a line with level name, time and message", () => {
    const { logger, lines } = capture("info");
    logger.debug("not at info");
    logger.info("[jobs] acme-outdoor.myshopify.com: 3 jobs queued");
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0]!);
    expect(line).toMatchObject({
      level: "info",
      msg: "[jobs] acme-outdoor.myshopify.com: 3 jobs queued",
    });
    expect(Number.isNaN(Date.parse(line.time))).toBe(false);
  });

  it("never writes an email, a Klaviyo private key, a Shopify token or a JWT, in fields or messages", () => {
    const { logger, lines } = capture();
    logger.info(
      {
        shop: "acme-outdoor.myshopify.com",
        email: EMAIL,
        customer: { email: EMAIL, firstName: "Jane", lastName: "Doe", phone: "+15551234567" },
        request: { headers: { authorization: `Bearer ${JWT}` } },
        integration: { privateKey: KLAVIYO_KEY, apiKey: KLAVIYO_KEY },
        session: { accessToken: ADMIN_TOKEN },
        body: { email: EMAIL },
      },
      `[klaviyo] profile ${EMAIL} sent with ${KLAVIYO_KEY}`,
    );
    logger.warn(`[shopify-api] token=${ADMIN_TOKEN} id_token=${JWT}`);
    logger.error(
      { err: new Error(`Klaviyo refused ${KLAVIYO_KEY} for ${EMAIL}`) },
      "delivery failed",
    );
    const output = lines.join("\n");
    expect(lines).toHaveLength(3);
    for (const secret of [EMAIL, KLAVIYO_KEY, ADMIN_TOKEN, JWT, "Jane", "Doe", "+15551234567"])
      expect(output).not.toContain(secret);
    // What is not customer data or a secret stays readable.
    expect(JSON.parse(lines[0]!)).toMatchObject({
      shop: "acme-outdoor.myshopify.com",
      msg: "[klaviyo] profile [redacted] sent with [redacted]",
      customer: { email: "[redacted]" },
    });
    expect(JSON.parse(lines[2]!).err).toMatchObject({
      type: "Error",
      message: "Klaviyo refused [redacted] for [redacted]",
    });
  });

  it("adds the shop, task and job id of the context to every line inside it", async () => {
    const { logger, lines } = capture();
    await withLogContext({ task: "deliver-klaviyo", jobId: "j-1" }, async () => {
      await withLogContext({ shop: "acme-outdoor.myshopify.com" }, async () => {
        await Promise.resolve();
        logger.info("delivered");
      });
    });
    logger.info("outside");
    expect(JSON.parse(lines[0]!)).toMatchObject({
      task: "deliver-klaviyo",
      jobId: "j-1",
      shop: "acme-outdoor.myshopify.com",
      msg: "delivered",
    });
    expect(JSON.parse(lines[1]!)).not.toHaveProperty("task");
  });

  it("is pretty only in development or with LOG_PRETTY=1, and reads LOG_LEVEL", () => {
    expect(logSettings({ NODE_ENV: "production", LOG_LEVEL: "warn" })).toEqual({
      level: "warn",
      pretty: false,
    });
    expect(logSettings({ NODE_ENV: "production", LOG_PRETTY: "1" }).pretty).toBe(true);
    expect(logSettings({ NODE_ENV: "development" })).toEqual({ level: "info", pretty: true });
    expect(logSettings({ NODE_ENV: "test", LOG_LEVEL: "loud" }).level).toBe("info");
  });
});
