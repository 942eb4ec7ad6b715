/**
 * The sandbox's checkout, shopper side: the post-purchase page for any of the store's orders,
 * running the post-purchase extension's real code (extensions/post-purchase-upsell/src/index.tsx)
 * in the sandbox's host (extension-host/post-purchase.ts), as Shopify's checkout runs it between
 * payment and the thank-you page.
 *
 *   GET  /checkout                          the store's latest orders, each with its page
 *   GET  /checkout/<order id>               the order's post-purchase page
 *   GET  /sandbox/checkout/post-purchase.js the extension and its host, bundled (esbuild, no network)
 *   POST /sandbox/checkout/<id>/input       the extension's input with Shopify's signed token
 *   POST /sandbox/checkout/<id>/calculate   calculateChangeset
 *   POST /sandbox/checkout/<id>/apply       applyChangeset {"token"}: the order edit and its webhooks
 */
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build, type Plugin } from "esbuild";
import { calculateChangeset, ChangesetRefused, postPurchaseInput } from "../post-purchase";
import type { SandboxOrder, SandboxStore } from "../store/types";
import type { CheckoutConfig } from "./extension-host/post-purchase";
import { BASE_STYLE, escapeHtml, scriptJson } from "./pages";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const EXTENSION = path.join(ROOT, "extensions/post-purchase-upsell");

export interface CheckoutOptions {
  store: () => SandboxStore;
  /** The app's public URL: the extension's requests go there (SWITCHBOARD_APP_URL). */
  appUrl: string;
  apiSecret: string;
  /** Shopify's applyChangeset: verifies the app's token, edits the order, sends the webhooks. */
  applyChangeset: (orderId: number, token: string) => Promise<void>;
  /** Shopify's clock for the input token (default: the wall clock). */
  now?: () => Date;
}

export interface CheckoutAnswer {
  status: number;
  body: string;
  contentType: string;
}

const html = (body: string): CheckoutAnswer => ({
  status: 200,
  body,
  contentType: "text/html; charset=utf-8",
});
const json = (status: number, value: unknown): CheckoutAnswer => ({
  status,
  body: JSON.stringify(value),
  contentType: "application/json; charset=utf-8",
});

const CHECKOUT_STYLE = `
  body { background: #f5f5f5; }
  main { max-width: 880px; margin: 24px auto; padding: 0 16px; }
  header.checkout { display: flex; justify-content: space-between; align-items: baseline; margin-bottom: 16px; }
  .panel { background: #fff; border-radius: 12px; box-shadow: 0 0 0 1px rgba(0,0,0,.08); padding: 24px; }
  .pp-stack { display: flex; flex-direction: column; }
  .pp-inline { display: flex; flex-wrap: wrap; align-items: baseline; }
  .pp-layout { display: grid; gap: 0; align-items: start; margin-top: 16px; }
  .pp-heading { font-size: 20px; margin: 0; }
  .pp-subdued { color: #616161; }
  .pp-strong { font-weight: 650; }
  .pp-large { font-size: 20px; }
  .pp-success { color: #0c5132; }
  .pp-critical { color: #8e0b21; }
  .pp-image { width: 100%; border-radius: 8px; background: #f1f1f1; }
  .pp-placeholder { aspect-ratio: 1; display: grid; place-items: center; color: #616161; }
  .pp-callout { background: #eaf4ff; border-radius: 8px; padding: 12px 16px; display: flex; flex-direction: column; gap: 4px; }
  .pp-banner { border-radius: 8px; padding: 10px 14px; background: #fff1e3; }
  .pp-banner.pp-critical { background: #fee9e8; }
  .pp-button { font: inherit; font-weight: 600; padding: 12px 16px; border-radius: 8px; border: 0; background: #1773b0; color: #fff; cursor: pointer; width: 100%; }
  .pp-button.pp-secondary { background: #fff; color: #1773b0; box-shadow: inset 0 0 0 1px #c9c9c9; }
  .pp-button:disabled { opacity: .55; cursor: default; }
  .pp-thank-you { font-size: 18px; padding: 24px 0; }
  hr { border: 0; border-top: 1px solid #e3e3e3; width: 100%; }
  table { width: 100%; border-collapse: collapse; }
  th, td { text-align: left; padding: 8px; border-bottom: 1px solid #e3e3e3; }
`;

function money(amount: string, currency: string): string {
  return new Intl.NumberFormat("en-US", { style: "currency", currency }).format(Number(amount));
}

function buyerName(store: SandboxStore, order: SandboxOrder): string {
  const customer = store.customers.find((c) => c.id === order.customerId);
  return customer ? `${customer.firstName} ${customer.lastName}`.trim() : "a guest";
}

function page(store: SandboxStore, title: string, main: string, head = ""): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · ${escapeHtml(store.shop.name)}</title>
<style>${BASE_STYLE}${CHECKOUT_STYLE}</style>
${head}
</head>
<body><main>
<header class="checkout"><strong>${escapeHtml(store.shop.name)}</strong><a href="/checkout">Latest orders</a></header>
${main}
</main></body>
</html>`;
}

function ordersList(store: SandboxStore): string {
  const latest = [...store.orders]
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
    .slice(0, 25);
  const rows = latest
    .map(
      (order) =>
        `<tr><td><a href="/checkout/${order.id}">${escapeHtml(order.name)}</a></td><td>${escapeHtml(buyerName(store, order))}</td><td>${escapeHtml(order.lineItems.map((l) => `${l.quantity} × ${l.name}`).join(", "))}</td><td>${escapeHtml(money(order.totals.total.presentment, order.presentmentCurrency))}</td></tr>`,
    )
    .join("");
  return page(
    store,
    "Checkout",
    `<div class="panel"><h1>The post-purchase page</h1>
<p class="pp-subdued">What a buyer sees between payment and the thank-you page, drawn by Switchboard's post-purchase extension. Open an order to be its buyer: accept or decline its offers as they would.</p>
<table><thead><tr><th>Order</th><th>Buyer</th><th>Items</th><th>Total</th></tr></thead><tbody>${rows}</tbody></table></div>`,
  );
}

function orderCheckout(store: SandboxStore, order: SandboxOrder): string {
  const buyer = buyerName(store, order);
  const config: CheckoutConfig = {
    orderName: order.name,
    buyer,
    inputUrl: `/sandbox/checkout/${order.id}/input`,
    calculateUrl: `/sandbox/checkout/${order.id}/calculate`,
    applyUrl: `/sandbox/checkout/${order.id}/apply`,
    thankYou: `Thank you${buyer === "a guest" ? "" : `, ${buyer.split(" ")[0]}`}! Order ${order.name} is confirmed.`,
    noOffer: `No offer for ${order.name}: Shopify goes straight to the thank-you page. Order ${order.name} is confirmed.`,
  };
  return page(
    store,
    `Order ${order.name}`,
    `<div class="panel"><p class="pp-subdued">Paid ${escapeHtml(money(order.totals.total.presentment, order.presentmentCurrency))} · ${escapeHtml(buyer)} · ${escapeHtml(order.name)}</p>
<div id="post-purchase" aria-live="polite">Loading…</div></div>`,
    `<script type="application/json" id="checkout-config">${scriptJson(config)}</script>
<script type="module" src="/sandbox/checkout/post-purchase.js"></script>`,
  );
}

/**
 * The extension gets the app's React 17 (its own node_modules), as the Shopify CLI's
 * "deduplicate-react" plugin does; the post-purchase package would otherwise find the root's.
 */
function extensionReact(): Plugin {
  const require = createRequire(path.join(EXTENSION, "package.json"));
  return {
    name: "sandbox-extension-react",
    setup(build) {
      build.onResolve({ filter: /^react(\/.*)?$/ }, (args) => ({
        path: require.resolve(args.path),
      }));
    },
  };
}

async function bundle(appUrl: string): Promise<string> {
  const host = path.join(ROOT, "sandbox/admin/extension-host/post-purchase.ts");
  const entry = path.join(EXTENSION, "src/index.tsx");
  const result = await build({
    stdin: {
      contents: [
        // The host first: it installs the `shopify` global the extension registers with.
        `import { startCheckout } from ${JSON.stringify(host)};`,
        `import ${JSON.stringify(entry)};`,
        `const config = JSON.parse(document.getElementById("checkout-config").textContent);`,
        `startCheckout(document.getElementById("post-purchase"), config).catch((error) => {`,
        `  document.getElementById("post-purchase").textContent = "The post-purchase page failed: " + error.message;`,
        `});`,
      ].join("\n"),
      resolveDir: ROOT,
      sourcefile: "sandbox-post-purchase.ts",
      loader: "ts",
    },
    bundle: true,
    write: false,
    format: "esm",
    platform: "browser",
    target: "es2022",
    jsx: "automatic",
    define: {
      "process.env.SWITCHBOARD_APP_URL": JSON.stringify(appUrl),
      "process.env.NODE_ENV": JSON.stringify("production"),
    },
    plugins: [extensionReact()],
    sourcemap: "inline",
    logLevel: "silent",
  });
  return result.outputFiles[0]!.text;
}

/** The checkout's routes: an answer, or null when the route is not the checkout's. */
export function checkoutRoutes(options: CheckoutOptions) {
  let bundled: Promise<string> | null = null;
  return async (method: string, route: string, body: string): Promise<CheckoutAnswer | null> => {
    const store = options.store();
    const orderOf = (id: string) => store.orders.find((o) => o.id === Number(id));
    if (method === "GET" && route === "/checkout") return html(ordersList(store));
    const view = /^\/checkout\/(\d+)$/.exec(route);
    if (method === "GET" && view) {
      const order = orderOf(view[1]!);
      return order ? html(orderCheckout(store, order)) : json(404, { error: "no such order" });
    }
    if (method === "GET" && route === "/sandbox/checkout/post-purchase.js") {
      bundled ??= bundle(options.appUrl);
      return {
        status: 200,
        body: await bundled,
        contentType: "text/javascript; charset=utf-8",
      };
    }
    const call = /^\/sandbox\/checkout\/(\d+)\/(input|calculate|apply)$/.exec(route);
    if (method !== "POST" || !call) return null;
    const order = orderOf(call[1]!);
    if (!order) return json(404, { error: "no such order" });
    let parsed: unknown;
    try {
      parsed = body ? JSON.parse(body) : {};
    } catch {
      return json(400, { error: "send JSON" });
    }
    if (call[2] === "input")
      return json(200, {
        inputData: await postPurchaseInput(store, order, {
          apiSecret: options.apiSecret,
          now: options.now?.() ?? new Date(),
        }),
      });
    if (call[2] === "calculate") return json(200, calculateChangeset(store, order, parsed));
    const token = (parsed as { token?: unknown }).token;
    if (typeof token !== "string") return json(400, { error: "token is required" });
    try {
      await options.applyChangeset(order.id, token);
      return json(200, { status: "processed", errors: [] });
    } catch (error) {
      if (!(error instanceof ChangesetRefused)) throw error;
      return json(200, {
        status: "unprocessed",
        errors: [{ code: "changeset_refused", message: error.message }],
      });
    }
  };
}
