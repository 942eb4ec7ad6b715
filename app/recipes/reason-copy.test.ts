import { describe, expect, it } from "vitest";
import { carrierStatusWords, reasonText, storedReason } from "./reason-copy";
import { plainReason, type RunNames } from "../models/activity-lines";
import { WITHHELD_EMAIL_REASON } from "./protected-data";

const names: RunNames = {
  orderName: "#1042",
  firstName: "Lena",
  lastName: "Park",
  email: null,
  ticketNumber: "500006",
  offerProduct: null,
  stockProduct: null,
};

describe("stored reasons in French", () => {
  it("stores English and reads it back in French", () => {
    const stored = storedReason("orderCancelled");
    expect(stored).toBe("the order was cancelled");
    expect(reasonText(stored, "fr")).toBe("la commande a été annulée");
    expect(reasonText(stored, "en")).toBeNull();
  });

  it("keeps English reasons as stored on an English screen", () => {
    expect(plainReason("the order was cancelled", names, "en")).toBe("the order was cancelled");
  });

  it("says counts with French plurals (0 and 1 singular)", () => {
    const one = storedReason("withheld", { count: 1 });
    const many = storedReason("withheld", { count: 3 });
    expect(one).toMatch(/^1 customer was left out/);
    expect(reasonText(one, "fr")).toMatch(
      /^1 client laissé de côté : Shopify n’a pas transmis son/,
    );
    expect(reasonText(many, "fr")).toMatch(
      /^3 clients laissés de côté : Shopify n’a pas transmis leur/,
    );
  });

  it("translates a reason nested in another, and the shop's dates", () => {
    const stored =
      "held back: the customer has an open Gorgias ticket; checks again on Dec 9, 2026";
    expect(plainReason(stored, names, "fr")).toBe(
      "retenu : ticket d’assistance ouvert n° 500006 ; nouvelle vérification le 9 déc. 2026",
    );
    expect(plainReason(`no ticket: ${WITHHELD_EMAIL_REASON}`, names, "fr")).toMatch(
      /^pas de ticket : pas d’e-mail : Shopify n’a pas transmis/,
    );
  });

  it("reads a VIP standing with its money and order count", () => {
    expect(plainReason("not VIP yet (€120.00 over 1 order)", names, "fr")).toBe(
      "pas encore VIP (120,00\u00a0€ en 1 commande)",
    );
    expect(plainReason("already VIP ($1,200.00 over 5 orders)", names, "fr")).toBe(
      "déjà VIP (1\u202f200,00\u00a0$US en 5 commandes)",
    );
    // An order paid in another currency: both amounts, each with its currency.
    expect(plainReason("paid €910.78 (CA$989.97)", names, "fr")).toBe(
      "payé 910,78\u00a0€ (989,97\u00a0$CA)",
    );
  });

  it("prefers the longer template when one is a prefix of another", () => {
    expect(plainReason("2 in stock (threshold 5); still paused", names, "fr")).toBe(
      "2 en stock (seuil 5) ; toujours en pause",
    );
  });

  it("says why each cart line was left out in French", () => {
    const spaces = (text: string | null) => text?.replace(/[\u00a0\u202f]/g, " ");
    expect(
      spaces(
        reasonText("left out: Ceramic Mug – Blue (sold out), Linen Tee (stock unknown)", "fr"),
      ),
    ).toBe("laissé de côté : Ceramic Mug – Blue (épuisé), Linen Tee (stock inconnu)");
    expect(
      spaces(
        reasonText(
          storedReason("nothingBuyable", {
            lines: "Ceramic Mug: paused: running low; Old Poster: no longer in the catalog",
          }),
          "fr",
        ),
      ),
    ).toContain("Ceramic Mug : en pause : stock bas ; Old Poster : n’est plus au catalogue");
  });

  it("names a carrier's status in words, in French too", () => {
    const stored = storedReason("carrierStatus", {
      status: carrierStatusWords("out_for_delivery"),
    });
    expect(stored).toBe("the carrier status “out for delivery” is not one you reach out on");
    expect(reasonText(stored, "fr")).toBe(
      "le statut du transporteur « en cours de livraison » ne fait pas partie de ceux où vous contactez le client",
    );
  });

  it("leaves a reason it does not know as stored", () => {
    expect(plainReason("something new", names, "fr")).toBe("something new");
  });
});

describe("reasons recipes write", () => {
  it("a post-purchase offer held back by stock reads in French without its ids", () => {
    const label = storedReason("offerFallback", {
      rule: storedReason("ruleNamed", { name: "Mugs" }),
      variant: "45118200000030",
    });
    const stored = storedReason("onlyInStock", { product: label, available: "1", minimum: "3" });
    expect(stored).toBe(
      "rule “Mugs”: variant 45118200000030 (fallback) has only 1 in stock (minimum 3)",
    );
    expect(plainReason(stored, names, "fr")).toBe(
      "règle « Mugs » : la variante de repli n’a que 1 en stock (minimum 3)",
    );
  });

  it("a count above a thousand still reads in French", () => {
    const stored = storedReason("flagged", { count: 1200 });
    expect(stored).toBe("1,200 customers who were offered it flagged in Klaviyo");
    expect(plainReason(stored, names, "fr")).toBe(
      "1\u202f200 clients à qui il a été proposé signalés dans Klaviyo",
    );
  });
});
