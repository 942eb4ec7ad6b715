import { randomUUID } from "node:crypto";
import { decodeJwt, decodeProtectedHeader, jwtVerify, SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { PurchaseTokenError, signChangeset, verifyPurchaseToken } from "./token.server";

const SECRET = "shpss_test_secret";
const SHOP = "acme-outdoor.myshopify.com";
const REFERENCE = "a1b2c3d4-reference";
/** The moment the checks run at: tokens are issued relative to it. */
const NOW = new Date();
const NOW_S = Math.floor(NOW.getTime() / 1000);
const AT_NOW = { secret: SECRET, now: NOW };

/** A token as Shopify's checkout hands it to the extension: the input data, signed with the app secret. */
async function shopifyToken(
  options: {
    secret?: string;
    shop?: string;
    sub?: string;
    iat?: number;
    exp?: number;
    iss?: string;
    alg?: "HS256" | "HS512";
  } = {},
) {
  const iat = options.iat ?? NOW_S;
  const jwt = new SignJWT({
    iat,
    ...(options.exp ? { exp: options.exp } : {}),
    input_data: {
      shop: { id: 1, domain: options.shop ?? SHOP, metafields: [] },
      initialPurchase: {
        referenceId: options.sub ?? REFERENCE,
        customerId: 7001002003,
        totalPriceSet: {
          shopMoney: { amount: "84.00", currencyCode: "USD" },
          presentmentMoney: { amount: "84.00", currencyCode: "USD" },
        },
        lineItems: [
          {
            quantity: 2,
            product: { id: 632910392, title: "Tent", variant: { id: 808950810, title: "Green" } },
          },
        ],
      },
      locale: "en",
    },
  })
    .setProtectedHeader({ alg: options.alg ?? "HS256" })
    .setIssuer(options.iss ?? "shopify")
    .setSubject(options.sub ?? REFERENCE);
  return jwt.sign(new TextEncoder().encode(options.secret ?? SECRET));
}

const expected = { shop: SHOP, referenceId: REFERENCE };
const failureOf = (promise: Promise<unknown>) =>
  promise.then(
    () => "accepted",
    (error: unknown) =>
      error instanceof PurchaseTokenError ? error.failure : `unexpected: ${String(error)}`,
  );

describe("verifyPurchaseToken (Shopify's post-purchase inputData.token)", () => {
  it("accepts Shopify's token and returns the shop, purchase, customer and totals from its signed claims", async () => {
    const token = await verifyPurchaseToken(await shopifyToken(), expected, AT_NOW);
    expect(token).toMatchObject({
      shop: SHOP,
      referenceId: REFERENCE,
      customerId: "7001002003",
      initialTotal: { amount: "84.00", currency: "USD" },
      lineItems: [{ productId: "632910392", variantId: "808950810", quantity: 2 }],
      locale: "en",
    });
  });

  it("accepts iat in milliseconds as in Shopify's samples", async () => {
    const token = await verifyPurchaseToken(
      await shopifyToken({ iat: NOW.getTime() }),
      expected,
      AT_NOW,
    );
    expect(token.issuedAt.getTime()).toBe(NOW.getTime());
  });

  it("refuses an expired token: past its exp, or older than the hour a buyer has", async () => {
    const now = NOW_S;
    expect(
      await failureOf(
        verifyPurchaseToken(
          await shopifyToken({ iat: now - 600, exp: now - 120 }),
          expected,
          AT_NOW,
        ),
      ),
    ).toBe("expired");
    // Within a minute of exp it still passes: Shopify's clock and ours may differ that much.
    expect(
      await failureOf(
        verifyPurchaseToken(
          await shopifyToken({ iat: now - 600, exp: now - 30 }),
          expected,
          AT_NOW,
        ),
      ),
    ).toBe("accepted");
    expect(
      await failureOf(
        verifyPurchaseToken(await shopifyToken({ iat: now - 2 * 3600 }), expected, AT_NOW),
      ),
    ).toBe("expired");
  });

  it("forgives a minute of clock skew on exp and iat, and not a second more", async () => {
    const exp = async (offset: number) =>
      failureOf(
        verifyPurchaseToken(
          await shopifyToken({ iat: NOW_S - 600, exp: NOW_S + offset }),
          expected,
          AT_NOW,
        ),
      );
    expect(await exp(-59)).toBe("accepted");
    expect(await exp(-61)).toBe("expired");
    const issuedIn = async (offsetMs: number) =>
      failureOf(
        verifyPurchaseToken(
          await shopifyToken({ iat: NOW.getTime() + offsetMs }),
          expected,
          AT_NOW,
        ),
      );
    expect(await issuedIn(59_000)).toBe("accepted");
    expect(await issuedIn(61_000)).toBe("malformed");
  });

  it("verifies against the secret it is given, whichever secret was used before", async () => {
    const other = "shpss_another_app_secret";
    const options = { secret: other, now: NOW };
    expect(await failureOf(verifyPurchaseToken(await shopifyToken(), expected, options))).toBe(
      "signature",
    );
    expect(
      await failureOf(
        verifyPurchaseToken(await shopifyToken({ secret: other }), expected, options),
      ),
    ).toBe("accepted");
    expect(await failureOf(verifyPurchaseToken(await shopifyToken(), expected, AT_NOW))).toBe(
      "accepted",
    );
  });

  it("refuses a token signed with another secret", async () => {
    expect(
      await failureOf(
        verifyPurchaseToken(
          await shopifyToken({ secret: "someone-elses-secret" }),
          expected,
          AT_NOW,
        ),
      ),
    ).toBe("signature");
  });

  it("refuses a token issued for another shop, or for another purchase", async () => {
    expect(
      await failureOf(
        verifyPurchaseToken(
          await shopifyToken({ shop: "beta-goods.myshopify.com" }),
          expected,
          AT_NOW,
        ),
      ),
    ).toBe("shop");
    expect(
      await failureOf(
        verifyPurchaseToken(await shopifyToken({ sub: "another-purchase" }), expected, AT_NOW),
      ),
    ).toBe("reference");
  });

  it("refuses tokens not issued by Shopify, other algorithms and garbage", async () => {
    expect(
      await failureOf(
        verifyPurchaseToken(await shopifyToken({ iss: "local-dev-api-key" }), expected, AT_NOW),
      ),
    ).toBe("issuer");
    expect(
      await failureOf(verifyPurchaseToken(await shopifyToken({ alg: "HS512" }), expected, AT_NOW)),
    ).toBe("malformed");
    expect(await failureOf(verifyPurchaseToken("not.a.jwt", expected, AT_NOW))).toBe("malformed");
    const unsigned = `${Buffer.from('{"alg":"none"}').toString("base64url")}.${Buffer.from(JSON.stringify({ iss: "shopify", sub: REFERENCE })).toString("base64url")}.`;
    expect(await failureOf(verifyPurchaseToken(unsigned, expected, AT_NOW))).toBe("malformed");
  });
});

describe("signChangeset", () => {
  it("signs HS256 with the app secret: iss = API key, jti, sub = reference id, iat, changes", async () => {
    const jti = randomUUID();
    const changes = [
      {
        type: "add_variant" as const,
        variantId: "808950810",
        quantity: 1,
        discount: { value: 15, valueType: "percentage" as const, title: "15% off" },
      },
    ];
    const token = await signChangeset({
      apiKey: "api-key-123",
      secret: SECRET,
      jti,
      referenceId: REFERENCE,
      changes,
      now: NOW,
    });

    expect(decodeProtectedHeader(token)).toMatchObject({ alg: "HS256", typ: "JWT" });
    const claims = decodeJwt(token);
    expect(claims).toEqual({
      iss: "api-key-123",
      jti,
      sub: REFERENCE,
      iat: expect.any(Number),
      changes: changes.map((change) => ({ ...change, variantId: 808950810 })),
    });
    // Milliseconds, as in Shopify's post-purchase sample.
    expect(claims.iat).toBe(NOW.getTime());
    await expect(
      jwtVerify(token, new TextEncoder().encode(SECRET), { algorithms: ["HS256"] }),
    ).resolves.toBeTruthy();
    await expect(
      jwtVerify(token, new TextEncoder().encode("wrong"), { algorithms: ["HS256"] }),
    ).rejects.toThrow();
  });

  it("writes a variant id past 2^53 as an integer with its exact digits (Shopify reads an integer)", async () => {
    const variantId = "9007199254740993";
    const token = await signChangeset({
      apiKey: "api-key-123",
      secret: SECRET,
      jti: randomUUID(),
      referenceId: REFERENCE,
      changes: [{ type: "add_variant", variantId, quantity: 1 }],
      now: NOW,
    });
    const payload = Buffer.from(token.split(".")[1]!, "base64url").toString("utf8");
    expect(payload).toContain(`"variantId":${variantId},`);
    await expect(
      jwtVerify(token, new TextEncoder().encode(SECRET), { algorithms: ["HS256"] }),
    ).resolves.toBeTruthy();
  });
});
