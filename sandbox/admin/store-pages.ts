/**
 * The sandbox Admin's own store pages, shaped like Shopify Admin's: Orders, an order, Products,
 * a product. The order and product pages carry the app's Admin block extensions underneath,
 * each in a frame running the extension's real code (sandbox/admin/extension-bundles.ts), as
 * Admin shows app blocks on those pages.
 */
import type { SandboxOrder, SandboxStore } from "../store/types";
import type { AdminBlockExtension } from "./extension-bundles";
import { BASE_STYLE, escapeHtml, scriptJson } from "./pages";

export interface StorePageContext {
  storeName: string;
  storeHandle: string;
  appHandle: string;
  appName: string;
  extensions: AdminBlockExtension[];
}

const STORE_STYLE = `
  .layout { display: flex; min-height: calc(100vh - 56px); }
  .sidebar { width: 240px; background: #ebebeb; padding: 12px 8px; display: flex; flex-direction: column; gap: 2px; }
  .sidebar .heading { font-size: 12px; font-weight: 650; color: var(--subdued); padding: 12px 8px 4px; }
  .sidebar a { display: block; padding: 6px 8px; border-radius: 8px; color: var(--text); text-decoration: none; font-weight: 550; }
  .sidebar a[aria-current="page"] { background: #fff; }
  main { flex: 1; padding: 20px 32px; max-width: 1100px; }
  h1 { font-size: 20px; margin: 0 0 4px; display: flex; gap: 8px; align-items: center; }
  .sub { color: var(--subdued); margin-bottom: 16px; }
  .card { background: var(--surface); border-radius: 12px; box-shadow: 0 1px 0 rgba(0,0,0,.07), 0 0 0 1px rgba(0,0,0,.06); padding: 16px; margin-bottom: 16px; }
  .card h2 { font-size: 14px; margin: 0 0 12px; }
  .columns { display: grid; grid-template-columns: minmax(0, 2fr) minmax(0, 1fr); gap: 16px; align-items: start; }
  table { width: 100%; border-collapse: collapse; }
  th, td { text-align: left; padding: 8px; border-bottom: 1px solid var(--border); vertical-align: top; }
  th { font-weight: 550; color: var(--subdued); font-size: 12px; }
  td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
  .totals td { border: 0; padding: 3px 8px; }
  .totals tr.total td { font-weight: 650; }
  iframe.block { border: 0; width: 100%; height: 120px; display: block; margin-bottom: 16px; background: transparent; }
  .muted { color: var(--subdued); }
  .picker-overlay { position: fixed; inset: 0; background: rgba(0,0,0,.4); display: grid; place-items: center; z-index: 10; }
  .picker { background: #fff; border-radius: 12px; width: min(560px, 92vw); max-height: 80vh; display: flex; flex-direction: column; gap: 8px; padding: 16px; }
  .picker h2 { margin: 0; font-size: 16px; }
  .picker input[type=search] { font: inherit; padding: 6px 8px; border: 1px solid #8a8a8a; border-radius: 8px; }
  .picker-list { overflow-y: auto; display: grid; gap: 2px; }
  .picker-list label { padding: 6px 4px; border-bottom: 1px solid var(--border); }
  .picker-actions { display: flex; justify-content: flex-end; gap: 8px; }
  .picker-actions button { font: inherit; border: 1px solid #c9c9c9; background: #fff; border-radius: 8px; padding: 5px 12px; cursor: pointer; }
  .picker-actions button.primary { background: #303030; color: #fff; }
`;

function money(amount: string, currency: string): string {
  return new Intl.NumberFormat("en-US", { style: "currency", currency }).format(Number(amount));
}

function shopTime(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat("en-US", {
    timeZone,
    dateStyle: "medium",
    timeStyle: "short",
  }).format(new Date(iso));
}

const FINANCIAL: Record<SandboxOrder["financialStatus"], [string, string]> = {
  pending: ["Payment pending", "warn"],
  authorized: ["Authorized", "warn"],
  partially_paid: ["Partially paid", "warn"],
  paid: ["Paid", ""],
  partially_refunded: ["Partially refunded", ""],
  refunded: ["Refunded", ""],
  voided: ["Voided", ""],
};

function fulfilmentLabel(order: SandboxOrder): [string, string] {
  if (order.cancelledAt) return ["Cancelled", "bad"];
  if (order.fulfillmentStatus === "fulfilled") return ["Fulfilled", ""];
  if (order.fulfillmentStatus === "partial") return ["Partially fulfilled", "warn"];
  if (order.fulfillmentStatus === "restocked") return ["Restocked", ""];
  return ["Unfulfilled", "warn"];
}

const pill = ([label, tone]: [string, string]) =>
  `<span class="pill ${tone}">${escapeHtml(label)}</span>`;

function customerName(store: SandboxStore, order: SandboxOrder): string | null {
  const customer = store.customers.find((c) => c.id === order.customerId);
  const name = customer ? `${customer.firstName} ${customer.lastName}`.trim() : "";
  return name || null;
}

function shell(ctx: StorePageContext, title: string, current: string, main: string): string {
  const base = `/store/${ctx.storeHandle}`;
  const link = (href: string, label: string) =>
    `<a href="${href}"${current === href ? ' aria-current="page"' : ""}>${escapeHtml(label)}</a>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)} · ${escapeHtml(ctx.storeName)} · Sandbox Admin</title>
<style>${BASE_STYLE}${STORE_STYLE}</style>
</head>
<body>
<header class="topbar">
  <span class="brand">Sandbox Admin</span>
  <span class="badge">Local stand-in for Shopify Admin · no real store</span>
  <span class="store"><span>${escapeHtml(ctx.storeName)}</span><span class="avatar">${escapeHtml(ctx.storeName.slice(0, 1))}</span></span>
</header>
<div class="layout">
  <nav class="sidebar" aria-label="Sandbox Admin">
    ${link(`${base}/orders`, "Orders")}
    ${link(`${base}/products`, "Products")}
    <div class="heading">Apps</div>
    ${link(`${base}/apps/${ctx.appHandle}/app`, ctx.appName)}
    <div class="heading">Sandbox</div>
    <a href="/inbox" target="sandbox-inbox">Inbox</a>
    <a href="/faults" target="sandbox-faults">Practise failures</a>
  </nav>
  <main>${main}</main>
</div>
</body>
</html>`;
}

/** The frames of the app blocks for a resource (Admin shows them under the page's own cards). */
function blocks(ctx: StorePageContext, resource: "Order" | "Product", id: number): string {
  return ctx.extensions
    .filter((e) => e.resource === resource)
    .map(
      (e) =>
        `<iframe class="block" title="${escapeHtml(e.name)}" src="/sandbox/extensions/${e.handle}?id=${encodeURIComponent(`gid://shopify/${resource}/${id}`)}"></iframe>`,
    )
    .join("\n");
}

/** Orders, newest first (the latest 100). */
export function ordersPage(store: SandboxStore, ctx: StorePageContext): string {
  const base = `/store/${ctx.storeHandle}`;
  const { currency, ianaTimezone } = store.shop;
  const rows = [...store.orders]
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
    .slice(0, 100)
    .map(
      (o) => `<tr>
        <td><a href="${base}/orders/${o.id}">${escapeHtml(o.name)}</a></td>
        <td>${escapeHtml(shopTime(o.createdAt, ianaTimezone))}</td>
        <td>${escapeHtml(customerName(store, o) ?? "No customer")}</td>
        <td class="num">${escapeHtml(money(o.totals.total.shop, currency))}</td>
        <td>${pill(FINANCIAL[o.financialStatus])}</td>
        <td>${pill(fulfilmentLabel(o))}</td>
      </tr>`,
    )
    .join("");
  return shell(
    ctx,
    "Orders",
    `${base}/orders`,
    `<h1>Orders</h1>
    <div class="sub">The sandbox store's latest orders. Open one to see what ${escapeHtml(ctx.appName)} did for it.</div>
    <div class="card"><table aria-label="Orders">
      <thead><tr><th>Order</th><th>Date</th><th>Customer</th><th class="num">Total</th><th>Payment status</th><th>Fulfillment status</th></tr></thead>
      <tbody>${rows || `<tr><td colspan="6" class="muted">No orders yet.</td></tr>`}</tbody>
    </table></div>`,
  );
}

export function orderPage(
  store: SandboxStore,
  orderId: number,
  ctx: StorePageContext,
): string | null {
  const order = store.orders.find((o) => o.id === orderId);
  if (!order) return null;
  const base = `/store/${ctx.storeHandle}`;
  const currency = store.shop.currency;
  const customer = store.customers.find((c) => c.id === order.customerId);
  const fulfillments = store.fulfillments.filter((f) => f.orderId === order.id);
  const lines = order.lineItems
    .map(
      (line) => `<tr>
        <td>${escapeHtml(line.title)}${line.variantTitle ? `<div class="muted">${escapeHtml(line.variantTitle)}</div>` : ""}</td>
        <td class="num">${escapeHtml(money(line.price.shop, currency))} × ${line.quantity}</td>
        <td class="num">${escapeHtml(money(String(Number(line.price.shop) * line.quantity), currency))}</td>
      </tr>`,
    )
    .join("");
  const total = (label: string, amount: string, cls = "") =>
    `<tr class="${cls}"><td>${label}</td><td class="num">${escapeHtml(money(amount, currency))}</td></tr>`;
  const address = order.shippingAddress;
  return shell(
    ctx,
    `Order ${order.name}`,
    `${base}/orders`,
    `<div class="sub"><a href="${base}/orders">Orders</a></div>
    <h1>${escapeHtml(order.name)} ${pill(FINANCIAL[order.financialStatus])} ${pill(fulfilmentLabel(order))}</h1>
    <div class="sub">${escapeHtml(shopTime(order.createdAt, store.shop.ianaTimezone))} from ${escapeHtml(order.sourceName === "web" ? "Online Store" : order.sourceName)}</div>
    <div class="columns">
      <div>
        <section class="card" aria-label="Items">
          <h2>${escapeHtml(fulfilmentLabel(order)[0])}</h2>
          <table><tbody>${lines}</tbody></table>
          ${fulfillments
            .map(
              (f) =>
                `<p>${escapeHtml(f.name)}: ${escapeHtml(f.shipmentStatus ? f.shipmentStatus.replace(/_/g, " ") : f.status)}${f.trackingCompany ? ` · ${escapeHtml(f.trackingCompany)} ${escapeHtml(f.trackingNumbers.join(", "))}` : ""}</p>`,
            )
            .join("")}
        </section>
        <section class="card" aria-label="Payment">
          <h2>${escapeHtml(FINANCIAL[order.financialStatus][0])}</h2>
          <table class="totals"><tbody>
            ${total("Subtotal", order.totals.subtotal.shop)}
            ${total("Shipping", order.totals.shipping.shop)}
            ${total("Taxes", order.totals.tax.shop)}
            ${total("Total", order.totals.total.shop, "total")}
          </tbody></table>
        </section>
        ${blocks(ctx, "Order", order.id)}
      </div>
      <div>
        <section class="card" aria-label="Customer">
          <h2>Customer</h2>
          ${
            customer
              ? `<p>${escapeHtml(`${customer.firstName} ${customer.lastName}`.trim())}<br><span class="muted">${escapeHtml(customer.email)}</span></p>`
              : `<p class="muted">No customer</p>`
          }
          ${
            address
              ? `<h2>Shipping address</h2><p>${escapeHtml(address.address1)}<br>${escapeHtml(`${address.city} ${address.provinceCode} ${address.zip}`)}<br>${escapeHtml(address.country)}</p>`
              : ""
          }
        </section>
        ${order.tags.length ? `<section class="card" aria-label="Tags"><h2>Tags</h2><p>${order.tags.map((t) => pill([t, ""])).join(" ")}</p></section>` : ""}
      </div>
    </div>`,
  );
}

export function productsPage(store: SandboxStore, ctx: StorePageContext): string {
  const base = `/store/${ctx.storeHandle}`;
  const rows = store.products
    .map(
      (p) => `<tr>
        <td><a href="${base}/products/${p.id}">${escapeHtml(p.title)}</a></td>
        <td>${pill(p.status === "active" ? ["Active", "ok"] : [p.status === "draft" ? "Draft" : "Archived", ""])}</td>
        <td>${p.variantIds.length} variant${p.variantIds.length === 1 ? "" : "s"}</td>
        <td>${escapeHtml(p.vendor)}</td>
      </tr>`,
    )
    .join("");
  return shell(
    ctx,
    "Products",
    `${base}/products`,
    `<h1>Products</h1>
    <div class="card"><table aria-label="Products">
      <thead><tr><th>Product</th><th>Status</th><th>Variants</th><th>Vendor</th></tr></thead>
      <tbody>${rows}</tbody>
    </table></div>`,
  );
}

export function productPage(
  store: SandboxStore,
  productId: number,
  ctx: StorePageContext,
): string | null {
  const product = store.products.find((p) => p.id === productId);
  if (!product) return null;
  const base = `/store/${ctx.storeHandle}`;
  const variants = store.variants.filter((v) => v.productId === product.id);
  const available = (inventoryItemId: number) =>
    store.inventoryLevels
      .filter((l) => l.inventoryItemId === inventoryItemId)
      .reduce((sum, l) => sum + (l.quantities.available ?? 0), 0);
  const rows = variants
    .map(
      (v) => `<tr>
        <td>${escapeHtml(v.title === "Default Title" ? product.title : v.title)}</td>
        <td>${escapeHtml(v.sku)}</td>
        <td class="num">${escapeHtml(money(v.price, store.shop.currency))}</td>
        <td class="num">${available(v.inventoryItemId)} available</td>
      </tr>`,
    )
    .join("");
  return shell(
    ctx,
    product.title,
    `${base}/products`,
    `<div class="sub"><a href="${base}/products">Products</a></div>
    <h1>${escapeHtml(product.title)} ${pill(product.status === "active" ? ["Active", "ok"] : [product.status, ""])}</h1>
    <div class="sub">${escapeHtml(product.vendor)} · ${escapeHtml(product.productType)}</div>
    <div class="columns">
      <div>
        <section class="card" aria-label="Variants">
          <h2>Variants</h2>
          <table><thead><tr><th>Variant</th><th>SKU</th><th class="num">Price</th><th class="num">Inventory</th></tr></thead><tbody>${rows}</tbody></table>
        </section>
        ${blocks(ctx, "Product", product.id)}
      </div>
      <div>
        <section class="card" aria-label="Organization">
          <h2>Product organization</h2>
          <p>Type: ${escapeHtml(product.productType)}<br>Vendor: ${escapeHtml(product.vendor)}</p>
          ${product.tags.length ? `<p>${product.tags.map((t) => pill([t, ""])).join(" ")}</p>` : ""}
        </section>
      </div>
    </div>`,
  );
}

const FRAME_STYLE = `
  html, body { margin: 0; background: transparent; }
  body { font: 13px/1.45 -apple-system, BlinkMacSystemFont, "San Francisco", "Segoe UI", Roboto, "Helvetica Neue", sans-serif; color: #303030; padding: 1px 1px 2px; }
  s-stack { display: flex; flex-direction: column; gap: 12px; }
  s-stack[gap="small"] { gap: 4px; }
  s-stack[direction="inline"] { flex-direction: row; flex-wrap: wrap; gap: 8px; }
  s-stack[direction="inline"][alignitems="center"] { align-items: center; }
  s-text { display: block; }
  s-stack[direction="inline"] > s-text { display: inline; }
  s-text[type="strong"] { font-weight: 650; }
  s-badge { display: inline-block; border-radius: 8px; padding: 1px 8px; font-size: 12px; font-weight: 550; background: #e3e3e3; }
  s-badge[tone="success"] { background: #cdfee1; color: #0c5132; }
  s-badge[tone="warning"] { background: #ffd6a4; color: #5e4200; }
  s-badge[tone="critical"] { background: #fee9e8; color: #8e0b21; }
  s-badge[tone="info"] { background: #eaf4ff; color: #00527c; }
  s-banner { display: block; border-radius: 8px; padding: 8px 12px; background: #eaf4ff; }
  s-banner[tone="success"] { background: #cdfee1; } s-banner[tone="warning"] { background: #fff1e3; } s-banner[tone="critical"] { background: #fee9e8; }
  s-divider { display: block; border-top: 1px solid #e3e3e3; }
  s-spinner { display: inline-block; width: 16px; height: 16px; border: 2px solid #c9c9c9; border-top-color: #303030; border-radius: 50%; animation: spin 1s linear infinite; }
  s-option { display: none; }
  @keyframes spin { to { transform: rotate(360deg); } }
`;

/** The document one block extension renders into (its `document.body`). */
export function extensionFramePage(extension: AdminBlockExtension, hostConfig: unknown): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(extension.name)}</title>
<style>${FRAME_STYLE}</style>
<script type="application/json" id="sandbox-host-config">${scriptJson(hostConfig)}</script>
<script type="module" src="/sandbox/extensions/${extension.handle}.js"></script>
</head>
<body></body>
</html>`;
}
