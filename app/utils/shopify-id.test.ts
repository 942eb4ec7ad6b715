import { describe, expect, it } from "vitest";
import { parseJsonLosslessly, parseShopifyId, shopifyIdSchema } from "./shopify-id";

describe("parseJsonLosslessly", () => {
  it("keeps integers past 2^53 as their digits and everything else as JSON.parse reads it", () => {
    const text =
      '{"id":9007199254740993,"max":9223372036854775807,"neg":-9223372036854775807,"small":42,"safe16":1000000000000000,"price":"12.50","total":12.5,"big":1e308,"frac":1.12345678901234567890,"exp":12345678901234567e3,"list":[18446744073709551615,1]}';
    expect(parseJsonLosslessly(text)).toEqual({
      id: "9007199254740993",
      max: "9223372036854775807",
      neg: "-9223372036854775807",
      small: 42,
      safe16: 1000000000000000,
      price: "12.50",
      total: 12.5,
      big: 1e308,
      frac: 1.1234567890123457,
      exp: 12345678901234567e3,
      list: ["18446744073709551615", 1],
    });
  });

  it("leaves digits inside strings alone, escaped quotes included", () => {
    const text = String.raw`{"note":"call 9007199254740993 \"9007199254740995\" now","id":9007199254740997,"k\"9007199254740999":1}`;
    expect(parseJsonLosslessly(text)).toEqual({
      note: 'call 9007199254740993 "9007199254740995" now',
      id: "9007199254740997",
      'k"9007199254740999': 1,
    });
  });

  it("refuses what JSON.parse refuses", () => {
    expect(() => parseJsonLosslessly('{"id": 9007199254740993')).toThrow(SyntaxError);
    expect(() => parseJsonLosslessly("not json")).toThrow(SyntaxError);
  });
});

describe("Shopify ids", () => {
  it("accepts digits up to 2^63 − 1 and safe JSON numbers, refuses the rest", () => {
    expect(shopifyIdSchema.parse("9223372036854775807")).toBe("9223372036854775807");
    expect(shopifyIdSchema.parse(5812345678901)).toBe("5812345678901");
    for (const bad of ["9223372036854775808", "0", "-1", "12a", "", 2 ** 53 + 2, 1.5, -3])
      expect(shopifyIdSchema.safeParse(bad).success).toBe(false);
  });

  it("reads gids of the expected type and plain digits", () => {
    expect(parseShopifyId("gid://shopify/Order/9007199254740993")).toBe("9007199254740993");
    expect(
      parseShopifyId("gid://shopify/InventoryLevel/1?inventory_item_id=2", "InventoryLevel"),
    ).toBe("1");
    expect(parseShopifyId(" 42 ", "Product")).toBe("42");
    expect(parseShopifyId("gid://shopify/Product/42", "ProductVariant")).toBeNull();
    expect(parseShopifyId("gid://shopify/Order/abc")).toBeNull();
  });
});
