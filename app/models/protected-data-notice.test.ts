import { describe, expect, it } from "vitest";
import { RECIPES } from "../recipes/registry";
import { WITHHELD_EMAIL_REASON } from "../recipes/protected-data";
import { plainReason } from "./activity-lines";
import { protectedDataNotice } from "./protected-data.server";

const recipe = (id: string) => RECIPES.find((r) => r.id === id)!;
const enabled = [recipe("shipping-delay-outreach"), recipe("post-purchase-upsell")];

describe("Home's protected-data banner", () => {
  it("says nothing when nothing is withheld", () => {
    const none = { ordersWithCustomer: 50, withheld: 0, latestWithheldOrder: null };
    expect(protectedDataNotice(none, enabled)).toBeNull();
    expect(protectedDataNotice(none, enabled, "fr")).toBeNull();
  });

  it("in English, unchanged", () => {
    const notice = protectedDataNotice(
      { ordersWithCustomer: 50, withheld: 3, latestWithheldOrder: "#1042" },
      enabled,
    )!;
    expect(notice.title).toBe(
      "Shopify is withholding your customers' names and emails from Switchboard",
    );
    expect(notice.what).toBe(
      "3 of your last 50 orders with a customer account (most recently #1042) arrived without the customer's name, email or phone, because this app has not been granted access to Shopify's protected customer data. Recipes cannot write to those customers.",
    );
    expect(notice.limited).toEqual([
      {
        title: "Shipping delay outreach",
        without: "skips the Klaviyo message and the Gorgias ticket (“no email: …”)",
      },
    ]);
    expect(notice.action).toMatch(/^Access is requested by the app's developer/);
    expect(
      protectedDataNotice({ ordersWithCustomer: 1, withheld: 1, latestWithheldOrder: null }, [])!
        .what,
    ).toMatch(/^Your last order with a customer account arrived without/);
    expect(
      protectedDataNotice({ ordersWithCustomer: 4, withheld: 4, latestWithheldOrder: null }, [])!
        .what,
    ).toMatch(/^All of your last 4 orders with a customer account arrived without/);
  });

  it("in French: singular and plural, recipes by their French names", () => {
    const notice = protectedDataNotice(
      { ordersWithCustomer: 50, withheld: 3, latestWithheldOrder: "#1042" },
      enabled,
      "fr",
    )!;
    expect(notice.title).toBe(
      "Shopify ne transmet pas à Switchboard les noms et e-mails de vos clients",
    );
    expect(notice.what).toBe(
      "3 de vos 50 dernières commandes avec un compte client (la plus récente : #1042) sont arrivées sans le nom, l’e-mail ni le téléphone du client, car cette application n’a pas obtenu l’accès aux données client protégées de Shopify. Les recettes ne peuvent pas écrire à ces clients.",
    );
    expect(notice.limited).toEqual([
      {
        title: "Prévenir les retards d’expédition",
        without: "n’envoie ni le message Klaviyo ni le ticket Gorgias (« pas d’e-mail : … »)",
      },
    ]);
    expect(notice.action).toMatch(/^L’accès est demandé par le développeur de l’application/);
    expect(
      protectedDataNotice(
        { ordersWithCustomer: 50, withheld: 1, latestWithheldOrder: null },
        [],
        "fr",
      )!.what,
    ).toMatch(/^1 de vos 50 dernières commandes avec un compte client est arrivée sans/);
    expect(
      protectedDataNotice(
        { ordersWithCustomer: 1, withheld: 1, latestWithheldOrder: null },
        [],
        "fr",
      )!.what,
    ).toMatch(/^Votre dernière commande avec un compte client est arrivée sans/);
    expect(
      protectedDataNotice(
        { ordersWithCustomer: 4, withheld: 4, latestWithheldOrder: null },
        [],
        "fr",
      )!.what,
    ).toMatch(/^Vos 4 dernières commandes avec un compte client sont arrivées sans/);
  });

  it("the “no email: …” reason the banner quotes reads in French on Activity", () => {
    const names = {
      orderName: "#1042",
      firstName: null,
      lastName: null,
      email: null,
      ticketNumber: null,
      offerProduct: null,
      stockProduct: null,
    };
    expect(plainReason(WITHHELD_EMAIL_REASON, names, "fr")).toMatch(/^pas d’e-mail : Shopify/);
    expect(plainReason(WITHHELD_EMAIL_REASON, names)).toBe(WITHHELD_EMAIL_REASON);
  });
});
