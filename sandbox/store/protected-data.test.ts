import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startShopifyAdminFake, type ShopifyAdminFake } from "../fakes/shopify-admin";
import { createSandboxStore } from "./generate";
import { gids } from "./ids";
import { withholdProtectedCustomerData } from "./protected-data";
import { customersUpdatePayload, ordersCreatePayload } from "./webhook-payloads";

describe("the sandbox without protected customer data access", () => {
  const store = createSandboxStore();
  const order = store.orders.find((o) => o.customerId !== null)!;

  it("sends order webhooks with the customer kept and its name, email, phone and addresses null", () => {
    const full = ordersCreatePayload(store, order.id);
    const withheld = withholdProtectedCustomerData("orders/create", full);
    expect(full.customer?.email).toBeTruthy();
    expect(withheld).toMatchObject({
      id: full.id,
      name: full.name,
      email: null,
      contact_email: null,
      billing_address: null,
      shipping_address: null,
      customer: {
        id: full.customer!.id,
        email: null,
        first_name: null,
        last_name: null,
        phone: null,
        default_address: null,
      },
    });
    expect(withheld.customer!.tags).toEqual(full.customer!.tags);
    expect(withheld.line_items).toEqual(full.line_items);
  });

  it("withholds customers/update the same way and leaves other topics alone", () => {
    const customer = customersUpdatePayload(store, order.customerId!);
    const withheld = withholdProtectedCustomerData("customers/update", customer);
    expect(withheld).toMatchObject({ id: customer.id, email: null, first_name: null });
    expect(withheld.addresses).toEqual([]);
    const inventory = { inventory_item_id: 1, location_id: 2, available: 3 };
    expect(withholdProtectedCustomerData("inventory_levels/update", inventory)).toBe(inventory);
  });

  describe("Admin GraphQL", () => {
    let fake: ShopifyAdminFake;
    beforeAll(async () => {
      fake = await startShopifyAdminFake({ store, protectedCustomerData: false });
    });
    afterAll(() => fake.close());

    it("answers protected fields with null and an ACCESS_DENIED error each, the rest as usual", async () => {
      const { body } = await fake.graphql(
        `query Buyer($id: ID!) { customer(id: $id) { id email firstName tags } }`,
        { id: gids.customer(order.customerId!) },
      );
      const customer = store.customers.find((c) => c.id === order.customerId)!;
      expect(body.data.customer).toEqual({
        id: gids.customer(customer.id),
        email: null,
        firstName: null,
        tags: customer.tags,
      });
      expect(
        body.errors.map((e: { path: string[]; extensions: { code: string } }) => [
          e.path.join("."),
          e.extensions.code,
        ]),
      ).toEqual([
        ["customer.email", "ACCESS_DENIED"],
        ["customer.firstName", "ACCESS_DENIED"],
      ]);
      expect(body.errors[0].message).toMatch(/not approved to use the email field/);
    });
  });
});
