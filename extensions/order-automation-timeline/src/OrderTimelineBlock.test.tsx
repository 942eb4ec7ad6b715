import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it, vi } from "vitest";
import { blockApi, mountBlock } from "../../../tests/extension-host/admin-host";
import { find, findAll, textOf } from "../../../tests/extension-host/admin-dom";
import { waitFor } from "../../../tests/extension-host/remote-tree";
import type { OrderTimelineResponse } from "../../../app/shared/extension-contracts";

/** This extension's translations, as Shopify serves them to it. */
const LOCALES = fileURLToPath(new URL("../locales", import.meta.url));

const TARGET = "admin.order-details.block.render";
const ORDER_GID = "gid://shopify/Order/5812345678901";

const TIMELINE: OrderTimelineResponse = {
  order: { id: "5812345678901", name: "#1042" },
  activityPath: "/app/activity",
  counts: { runs: 2, delivered: 1, failed: 0, heldBack: 1 },
  otherDeliveries: [],
  runs: [
    {
      id: 11,
      recipeId: "order-to-klaviyo-event",
      recipeTitle: "Order events to Klaviyo",
      trigger: "order-created",
      outcome: "acted",
      reasons: [],
      at: "2026-11-20T10:00:05.000Z",
      actions: [
        {
          kind: "klaviyo-event",
          channel: "sync",
          summary: "Placed Order event for #1042",
          status: "requested",
          reason: null,
          delivery: {
            key: "deliver-klaviyo:acme:order/5812345678901",
            vendor: "klaviyo",
            operation: "klaviyo-event",
            status: "succeeded",
            attempts: 1,
            lastError: null,
            at: "2026-11-20T10:00:05.000Z",
            completedAt: "2026-11-20T10:00:06.000Z",
          },
        },
      ],
    },
    {
      id: 12,
      recipeId: "review-request",
      trigger: "order-fulfilled",
      outcome: "blocked",
      reasons: ["the customer has an open Gorgias ticket"],
      at: "2026-11-21T09:00:00.000Z",
      actions: [
        {
          kind: "klaviyo-event",
          channel: "marketing",
          summary: "Review request for #1042",
          status: "suppressed",
          reason: "open Gorgias ticket #881",
          delivery: null,
        },
      ],
    },
  ],
};

function answer(status: number, body: unknown) {
  const fetch = vi.fn(
    async (_url: string) =>
      new Response(JSON.stringify(body), {
        status,
        headers: { "Content-Type": "application/json" },
      }),
  );
  vi.stubGlobal("fetch", fetch);
  return fetch;
}

describe("order-automation-timeline block", () => {
  afterEach(() => vi.unstubAllGlobals());

  it("asks the app about the open order and lists each recipe run, what was sent and what was held back", async () => {
    const fetch = answer(200, TIMELINE);
    const body = await mountBlock(
      () => import("./BlockExtension"),
      blockApi({ localesDir: LOCALES, target: TARGET, selectedId: ORDER_GID }),
    );

    await waitFor(() => textOf(body).includes("Order events to Klaviyo"));
    expect(fetch).toHaveBeenCalledWith(
      `/api/extensions/order-timeline?orderId=${encodeURIComponent(ORDER_GID)}&locale=en`,
    );
    const text = textOf(body);
    expect(text).toContain("2 recipe runs · 1 sent · 1 held back");
    expect(text).toContain("Trigger: New order");
    expect(text).toContain("Trigger: Order fulfilled");
    expect(text).toContain("Placed Order event for #1042");
    expect(text).toContain("Sent to Klaviyo");
    expect(text).toContain("review-request");
    expect(text).toContain("Held back");
    expect(text).toContain("Suppressed Review request for #1042");
    expect(text).toContain("Why: open Gorgias ticket #881");
    expect(text).toContain("Why: the customer has an open Gorgias ticket");
    const block = find(body, "s-admin-block");
    expect(block.getAttribute("heading")).toBe("Switchboard automations");
    expect(block.getAttribute("collapsedSummary")).toBe("2 recipe runs · 1 sent · 1 held back");
    expect(find(body, "s-link", "Open Activity").getAttribute("href")).toBe("app://app/activity");
    expect(find(body, "s-badge", "Sent to Klaviyo").getAttribute("tone")).toBe("success");
    expect(find(body, "s-badge", "Held back").getAttribute("tone")).toBe("warning");
  });

  it("shows a failed delivery with the vendor's message", async () => {
    answer(200, {
      ...TIMELINE,
      runs: [
        {
          ...TIMELINE.runs[0]!,
          actions: [
            {
              ...TIMELINE.runs[0]!.actions[0]!,
              delivery: {
                ...TIMELINE.runs[0]!.actions[0]!.delivery!,
                status: "dead",
                lastError: "Klaviyo refused the key",
              },
            },
          ],
        },
      ],
    });
    const body = await mountBlock(
      () => import("./BlockExtension"),
      blockApi({ localesDir: LOCALES, target: TARGET, selectedId: ORDER_GID }),
    );
    const badge = await waitFor(() =>
      find(body, "s-badge", "Klaviyo failed: Klaviyo refused the key"),
    );
    expect(badge.getAttribute("tone")).toBe("critical");
  });

  it("names Shopify for the tags a recipe added to the order", async () => {
    const sent = TIMELINE.runs[0]!.actions[0]!;
    answer(200, {
      ...TIMELINE,
      runs: [
        {
          ...TIMELINE.runs[0]!,
          recipeTitle: "High-value white glove",
          actions: [
            {
              ...sent,
              kind: "shopify-tags-add",
              summary: "Tag #1042 vip-order",
              delivery: { ...sent.delivery!, vendor: "shopify", operation: "shopify-tags-add" },
            },
          ],
        },
      ],
    });
    const body = await mountBlock(
      () => import("./BlockExtension"),
      blockApi({ localesDir: LOCALES, target: TARGET, selectedId: ORDER_GID }),
    );
    const badge = await waitFor(() => find(body, "s-badge", "Sent to Shopify"));
    expect(badge.getAttribute("tone")).toBe("success");
  });

  it("says it is loading until the app answers", async () => {
    let answerNow: ((response: Response) => void) | undefined;
    vi.stubGlobal(
      "fetch",
      vi.fn(() => new Promise<Response>((resolve) => (answerNow = resolve))),
    );
    const body = await mountBlock(
      () => import("./BlockExtension"),
      blockApi({ localesDir: LOCALES, target: TARGET, selectedId: ORDER_GID }),
    );
    expect(textOf(body)).toBe("Loading what Switchboard did for this order…");
    expect(findAll(body, "s-spinner")).toHaveLength(1);
    (await waitFor(() => answerNow))(new Response(JSON.stringify(TIMELINE), { status: 200 }));
    await waitFor(() => textOf(body).includes("Order events to Klaviyo"));
    expect(findAll(body, "s-spinner")).toEqual([]);
  });

  it("lists deliveries for the order that no recipe run requested", async () => {
    answer(200, {
      ...TIMELINE,
      runs: [],
      counts: { runs: 0, delivered: 1, failed: 0, heldBack: 0 },
      otherDeliveries: [
        {
          ...TIMELINE.runs[0]!.actions[0]!.delivery!,
          key: "deliver-gorgias:acme:order/5812345678901",
          vendor: "gorgias",
          operation: "gorgias-ticket-note",
        },
      ],
    });
    const body = await mountBlock(
      () => import("./BlockExtension"),
      blockApi({ localesDir: LOCALES, target: TARGET, selectedId: ORDER_GID }),
    );
    await waitFor(() => textOf(body).includes("Other deliveries for this order"));
    expect(textOf(body)).toContain("gorgias-ticket-note");
    expect(find(body, "s-badge", "Sent to Gorgias").getAttribute("tone")).toBe("success");
    expect(textOf(body)).not.toContain("No recipe has run for this order yet.");
  });

  it("says so when nothing has run for the order yet", async () => {
    answer(200, {
      ...TIMELINE,
      runs: [],
      counts: { runs: 0, delivered: 0, failed: 0, heldBack: 0 },
    });
    const body = await mountBlock(
      () => import("./BlockExtension"),
      blockApi({ localesDir: LOCALES, target: TARGET, selectedId: ORDER_GID }),
    );
    await waitFor(() => textOf(body).includes("No recipe has run for this order yet."));
    expect(findAll(body, "s-badge")).toEqual([]);
  });

  it("shows the app's error when the timeline cannot be loaded", async () => {
    answer(401, { error: "Unauthorized" });
    const body = await mountBlock(
      () => import("./BlockExtension"),
      blockApi({ localesDir: LOCALES, target: TARGET, selectedId: ORDER_GID }),
    );
    const banner = await waitFor(() => find(body, "s-banner"));
    expect(textOf(banner)).toBe("Couldn't load the automation timeline: Unauthorized");
    expect(banner.getAttribute("tone")).toBe("critical");
  });

  it("is translated (French admin): asks for recipe titles in French and words triggers from its locales", async () => {
    const fetch = answer(200, {
      ...TIMELINE,
      runs: [
        { ...TIMELINE.runs[0]!, recipeTitle: "Événements de commande vers Klaviyo" },
        {
          ...TIMELINE.runs[1]!,
          recipeTitle: "Demande d’avis au bon moment",
          trigger: "parcel-scan",
        },
        {
          ...TIMELINE.runs[1]!,
          id: 13,
          recipeTitle: "Service premium pour les grosses commandes",
          trigger: "follow-up",
        },
      ],
    });
    const body = await mountBlock(
      () => import("./BlockExtension"),
      blockApi({ localesDir: LOCALES, target: TARGET, selectedId: ORDER_GID, locale: "fr-CA" }),
    );
    await waitFor(() => textOf(body).includes("Envoyé à Klaviyo"));
    expect(fetch).toHaveBeenCalledWith(
      `/api/extensions/order-timeline?orderId=${encodeURIComponent(ORDER_GID)}&locale=fr`,
    );
    const text = textOf(body);
    expect(text).toContain("2 exécutions de recettes · 1 envoyé(s) · 1 retenu(s)");
    expect(text).toContain("Événements de commande vers Klaviyo");
    expect(text).toContain("Déclencheur : Nouvelle commande");
    expect(text).toContain("Demande d’avis au bon moment");
    expect(text).toContain("Déclencheur : Scan du colis");
    expect(text).toContain("Déclencheur : Suivi planifié");
    expect(text).not.toContain("Trigger:");
    expect(find(body, "s-admin-block").getAttribute("heading")).toBe("Automatisations Switchboard");
    expect(find(body, "s-link").getAttribute("href")).toBe("app://app/activity");
    expect(textOf(find(body, "s-link"))).toBe("Ouvrir l'activité");
  });
});
