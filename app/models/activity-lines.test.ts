import { describe, expect, it } from "vitest";
import {
  deliveryLine,
  runLine,
  type LineAction,
  type LineRun,
  type RunNames,
} from "./activity-lines";

const lena: RunNames = {
  orderName: "#1042",
  firstName: "Lena",
  lastName: "Park",
  email: "lena.park@example.com",
  ticketNumber: null,
  offerProduct: null,
  stockProduct: null,
};
const withheld: RunNames = { ...lena, firstName: null, lastName: null, email: null };

const delivered = (fields: Partial<NonNullable<LineAction["delivery"]>> = {}) => ({
  status: "succeeded" as const,
  list: null,
  metric: null,
  tags: null,
  resource: null,
  lastError: null,
  vendor: "klaviyo",
  ...fields,
});

const line = (run: Partial<LineRun>) =>
  runLine(
    {
      recipeId: "vip-tier-sync",
      outcome: "acted",
      reasons: [],
      scheduled: [],
      actions: [],
      names: lena,
      ...run,
    },
    () => "in 3 days",
  );

describe("Activity's sentences", () => {
  it("names the list, the product with its discount, and the order's tag", () => {
    expect(
      line({
        actions: [
          {
            kind: "klaviyo-list-remove",
            status: "requested",
            delivery: delivered({ list: "Win-back 90 days" }),
          },
        ],
      }).sentence,
    ).toBe("Removed Lena Park from the Klaviyo list Win-back 90 days");
    expect(
      line({
        recipeId: "post-purchase-upsell",
        names: { ...lena, offerProduct: "Ceramic mug – Blue" },
        actions: [
          {
            kind: "offer",
            status: "decided",
            summary: "Offer variant 45118200000030 at €5.00 off after #1042",
            delivery: null,
          },
        ],
      }).sentence,
    ).toBe("Offered Lena Park Ceramic mug – Blue at €5.00 off after #1042");
    expect(
      line({
        recipeId: "high-value-white-glove",
        actions: [
          {
            kind: "shopify-tags-add",
            status: "requested",
            delivery: delivered({ vendor: "shopify", resource: "Order", tags: ["white-glove"] }),
          },
        ],
      }).sentence,
    ).toBe("Tagged #1042 “white-glove” in Shopify");
    expect(
      line({
        actions: [{ kind: "klaviyo-list-reconcile", status: "requested", delivery: delivered() }],
      }).sentence,
    ).toBe("Synced the recipe's Klaviyo lists with who belongs on them");
  });

  it("says why a run was held back or is waiting, without ids", () => {
    const capped = line({
      outcome: "blocked",
      names: withheld,
      actions: [
        {
          kind: "klaviyo-list-add",
          status: "capped",
          reason: "frequency cap: 1 marketing message per 24 h already reached for this customer",
          delivery: null,
        },
      ],
    });
    expect(capped.sentence).toBe(
      "Held back: a customer already reached the limit of 1 marketing message per 24 h",
    );
    expect(capped.more).toEqual([
      "Would have added a customer to the Klaviyo list set in the recipe",
    ]);
    expect(
      line({
        outcome: "waiting",
        actions: [
          {
            kind: "klaviyo-list-add",
            status: "waiting",
            reason: "Waiting for Klaviyo to be connected",
            delivery: delivered({ status: "waiting", list: "VIP customers" }),
          },
        ],
      }).sentence,
    ).toBe(
      "Waiting: will add Lena Park to the Klaviyo list VIP customers once Klaviyo is connected",
    );
    expect(
      line({
        outcome: "skipped",
        reasons: ["Order 5912300000321 has no customer 7340120000018"],
      }).sentence,
    ).toBe("Skipped: the order has no customer");
    expect(line({ outcome: "scheduled", scheduled: [{ name: "check", at: "x" }] }).sentence).toBe(
      "Waiting to check #1042 in 3 days",
    );
  });
});

const ligne = (run: Partial<LineRun>) =>
  runLine(
    {
      recipeId: "vip-tier-sync",
      outcome: "acted",
      reasons: [],
      scheduled: [],
      actions: [],
      names: lena,
      ...run,
    },
    () => "dans 3 jours",
    "fr",
  );

describe("Activity's sentences in French", () => {
  it("says what was done in French, keeping names, lists, tags and products as they are", () => {
    expect(
      ligne({
        actions: [
          {
            kind: "klaviyo-list-remove",
            status: "requested",
            delivery: delivered({ list: "Win-back 90 days" }),
          },
        ],
      }).sentence,
    ).toBe("Lena Park retiré de la liste Klaviyo Win-back 90 days");
    expect(
      ligne({
        recipeId: "post-purchase-upsell",
        names: { ...lena, offerProduct: "Ceramic mug – Blue" },
        actions: [
          {
            kind: "offer",
            status: "decided",
            summary: "Offer variant 45118200000030 at 15% off after #1042",
            delivery: null,
          },
        ],
      }).sentence,
    ).toBe("Ceramic mug – Blue avec 15\u00a0% de réduction proposé à Lena Park après #1042");
    // A fixed discount in the order's currency, as French writes money.
    expect(
      ligne({
        recipeId: "post-purchase-upsell",
        names: { ...lena, offerProduct: "Ceramic mug – Blue", currency: "EUR" },
        actions: [
          {
            kind: "offer",
            status: "decided",
            summary: "Offer variant 45118200000030 at €1,250.50 off after #1042",
            delivery: null,
          },
        ],
      }).sentence,
    ).toBe(
      "Ceramic mug – Blue avec 1\u202f250,50\u00a0€ de réduction proposé à Lena Park après #1042",
    );
    expect(
      ligne({
        recipeId: "high-value-white-glove",
        actions: [
          {
            kind: "shopify-tags-add",
            status: "requested",
            delivery: delivered({ vendor: "shopify", resource: "Order", tags: ["white-glove"] }),
          },
        ],
      }).sentence,
    ).toBe("Balise « white-glove » ajoutée à #1042 dans Shopify");
    expect(
      ligne({
        recipeId: "review-request-timing",
        actions: [{ kind: "klaviyo-event", status: "requested", delivery: delivered() }],
      }).sentence,
    ).toBe("Demande d’avis envoyée à Lena Park pour #1042");
  });

  it("says why a run was held back, failed or is waiting, in French", () => {
    const capped = ligne({
      outcome: "blocked",
      names: withheld,
      actions: [
        {
          kind: "klaviyo-list-add",
          status: "capped",
          reason: "frequency cap: 2 marketing messages per 24 h already reached for this customer",
          delivery: null,
        },
      ],
    });
    expect(capped.sentence).toBe(
      "Retenu : un client a déjà atteint la limite de 2 messages marketing par tranche de 24 h",
    );
    expect(capped.more).toEqual(["Aurait ajouté un client à la liste Klaviyo de la recette"]);
    expect(
      ligne({
        outcome: "blocked",
        names: { ...lena, ticketNumber: "500006" },
        actions: [
          {
            kind: "klaviyo-event",
            status: "suppressed",
            reason: "the customer has an open Gorgias ticket",
            delivery: null,
          },
        ],
        recipeId: "review-request-timing",
      }),
    ).toEqual({
      sentence: "Retenu : ticket d’assistance ouvert n° 500006",
      more: ["Aurait envoyé une demande d’avis à Lena Park pour #1042"],
      tone: "warning",
    });
    const dead = ligne({
      actions: [
        {
          kind: "gorgias-ticket",
          status: "requested",
          delivery: delivered({ status: "dead", vendor: "gorgias" }),
        },
      ],
    });
    expect(dead.sentence).toBe(
      "Impossible d’ouvrir un ticket Gorgias pour Lena Park au sujet de #1042",
    );
    expect(dead.more).toEqual(["Gorgias ne l’a pas accepté."]);
    expect(
      ligne({
        outcome: "waiting",
        actions: [
          {
            kind: "klaviyo-list-add",
            status: "waiting",
            delivery: delivered({ status: "waiting", list: "VIP customers" }),
          },
        ],
      }).sentence,
    ).toBe(
      "En attente : ajouter Lena Park à la liste Klaviyo VIP customers dès que Klaviyo sera connecté",
    );
    expect(ligne({ outcome: "failed" }).sentence).toBe("Échec : la recette n’a pas pu aboutir");
    expect(ligne({ outcome: "skipped" }).sentence).toBe("Ignoré : rien à faire");
    expect(ligne({ outcome: "scheduled", scheduled: [{ name: "check", at: "x" }] }).sentence).toBe(
      "En attente pour revérifier #1042 dans 3 jours",
    );
    expect(
      deliveryLine(
        "vip-tier-sync",
        "klaviyo-profile",
        delivered({ status: "queued", customerName: "Ines" }),
        {},
        "fr",
      ),
    ).toBe("Envoi en cours : mettre à jour le profil Klaviyo d’Ines");
    // A try failed and the next one waits: the line says so, in plain words.
    const retrying = delivered({
      status: "queued",
      customerName: "Ines",
      lastError: "Klaviyo profile-import failed 502: injected server error",
    });
    expect(deliveryLine("vip-tier-sync", "klaviyo-profile", retrying, {})).toBe(
      "Sending: update Ines' Klaviyo profile (trying again: its servers answered with an error)",
    );
    expect(deliveryLine("vip-tier-sync", "klaviyo-profile", retrying, {}, "fr")).toBe(
      "Envoi en cours : mettre à jour le profil Klaviyo d’Ines (nouvel essai : ses serveurs ont répondu par une erreur)",
    );
    expect(
      deliveryLine("vip-tier-sync", "klaviyo-profile", delivered({ customerName: "Lena" }), {}),
    ).toBe("Updated Lena's Klaviyo profile");
  });
});
