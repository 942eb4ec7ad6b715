/**
 * HTML for the sandbox's own pages: the Admin stand-in that frames the app, and the inbox.
 * Plain HTML and a little script; everything dynamic is drawn with textContent.
 */

export const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!,
  );

/** JSON safe to put inside <script>. */
export const scriptJson = (value: unknown) => JSON.stringify(value).replace(/</g, "\\u003c");

export const BASE_STYLE = `
  :root { --bg: #f1f1f1; --surface: #fff; --text: #303030; --subdued: #616161; --border: #e3e3e3; --accent: #005bd3; --ok: #29845a; --bad: #c70a24; --warn: #8a6116; }
  * { box-sizing: border-box; }
  body { margin: 0; font: 13px/1.45 -apple-system, BlinkMacSystemFont, "San Francisco", "Segoe UI", Roboto, "Helvetica Neue", sans-serif; color: var(--text); background: var(--bg); }
  a { color: var(--accent); }
  .topbar { height: 56px; background: #1a1a1a; color: #e3e3e3; display: flex; align-items: center; gap: 16px; padding: 0 16px; }
  .topbar .brand { font-weight: 650; color: #fff; letter-spacing: .2px; }
  .topbar .badge { background: #ffd6a4; color: #5e4200; border-radius: 8px; padding: 2px 8px; font-size: 12px; font-weight: 550; }
  .topbar .store { margin-left: auto; display: flex; align-items: center; gap: 8px; }
  .topbar .avatar { width: 28px; height: 28px; border-radius: 8px; background: #36fba1; color: #0c5132; display: grid; place-items: center; font-weight: 700; }
  .pill { display: inline-block; border-radius: 8px; padding: 1px 8px; font-size: 12px; background: #e3e3e3; }
  .pill.ok { background: #cdfee1; color: #0c5132; } .pill.bad { background: #fee9e8; color: #8e0b21; } .pill.info { background: #eaf4ff; color: #00527c; } .pill.warn { background: #fff1e3; color: #5e4200; }
`;

export interface AdminPageConfig {
  storeName: string;
  shop: string;
  storeHandle: string;
  appHandle: string;
  appName: string;
  appOrigin: string;
  iframeSrc: string;
  /** The app path being shown, e.g. /app/activity. */
  path: string;
}

/** The sandbox's Shopify Admin: top bar, sidebar with the app's navigation, the app in a frame. */
export function adminPage(config: AdminPageConfig): string {
  const appBase = `/store/${config.storeHandle}/apps/${config.appHandle}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(config.appName)} · ${escapeHtml(config.storeName)} · Sandbox Admin</title>
<style>${BASE_STYLE}
  body { height: 100vh; display: flex; flex-direction: column; overflow: hidden; }
  .layout { flex: 1; display: flex; min-height: 0; }
  .sidebar { width: 240px; background: #ebebeb; padding: 12px 8px; display: flex; flex-direction: column; gap: 2px; overflow-y: auto; }
  .sidebar .heading { font-size: 12px; font-weight: 650; color: var(--subdued); padding: 12px 8px 4px; }
  .sidebar a { display: block; padding: 6px 8px; border-radius: 8px; color: var(--text); text-decoration: none; font-weight: 550; }
  .sidebar a:hover { background: #f7f7f7; }
  .sidebar .app { display: flex; align-items: center; gap: 8px; }
  .sidebar .app .icon { width: 20px; height: 20px; border-radius: 5px; background: #303030; color: #fff; display: grid; place-items: center; font-size: 11px; }
  .sidebar ul { list-style: none; margin: 0; padding: 0 0 0 20px; }
  .sidebar ul a { font-weight: 450; color: var(--subdued); }
  .sidebar ul a[aria-current="page"] { background: #fff; color: var(--text); font-weight: 600; }
  .sim { margin-top: auto; background: var(--surface); border-radius: 12px; padding: 10px 12px; box-shadow: 0 1px 0 rgba(0,0,0,.07); display: grid; gap: 6px; }
  .sim .clock { font-weight: 650; font-variant-numeric: tabular-nums; }
  .sim .line { color: var(--subdued); font-size: 12px; }
  .sim button { justify-self: start; border: 1px solid var(--border); background: #fff; border-radius: 8px; padding: 4px 10px; font: inherit; cursor: pointer; }
  main { flex: 1; position: relative; background: var(--bg); }
  iframe { border: 0; width: 100%; height: 100%; display: block; background: var(--bg); }
  #loading { position: absolute; left: 0; top: 0; height: 3px; width: 0; background: var(--accent); transition: width .4s; z-index: 2; }
  #loading.on { width: 70%; }
  #toasts { position: fixed; bottom: 24px; left: 50%; transform: translateX(-50%); display: grid; gap: 8px; z-index: 5; }
  .toast { background: #1a1a1a; color: #fff; border-radius: 10px; padding: 10px 16px; font-weight: 550; box-shadow: 0 8px 20px rgba(0,0,0,.2); }
  .toast.error { background: #c70a24; }
  #menu-toggle { display: none; border: 1px solid #4a4a4a; background: #303030; color: #fff; border-radius: 8px; padding: 4px 10px; font: inherit; cursor: pointer; }
  /* Phone widths: the sidebar folds behind a Menu button so the app keeps the whole width, as
     Shopify Admin's own navigation does. */
  @media (max-width: 760px) {
    .topbar .badge { display: none; }
    #menu-toggle { display: inline-block; }
    .sidebar { position: absolute; top: 56px; bottom: 0; left: 0; z-index: 4; box-shadow: 4px 0 16px rgba(0,0,0,.15); }
    body:not(.menu-open) .sidebar { display: none; }
  }
</style>
</head>
<body>
<header class="topbar">
  <button type="button" id="menu-toggle" aria-controls="sandbox-sidebar" aria-expanded="false">Menu</button>
  <span class="brand">Sandbox Admin</span>
  <span class="badge">Local stand-in for Shopify Admin · no real store</span>
  <span class="store"><span>${escapeHtml(config.storeName)}</span><span class="avatar">${escapeHtml(config.storeName.slice(0, 1))}</span></span>
</header>
<div class="layout">
  <nav class="sidebar" id="sandbox-sidebar" aria-label="Sandbox Admin">
    <div class="heading">Apps</div>
    <a class="app" href="${appBase}/app"><span class="icon">S</span>${escapeHtml(config.appName)}</a>
    <ul id="app-nav" aria-label="${escapeHtml(config.appName)}"></ul>
    <div class="heading">Store</div>
    <a href="/store/${config.storeHandle}/orders">Orders</a>
    <a href="/store/${config.storeHandle}/products">Products</a>
    <div class="heading">Sandbox</div>
    <a href="/inbox" target="sandbox-inbox">Inbox: what Klaviyo, Gorgias and Shopify received</a>
    <a href="/faults" target="sandbox-faults">Practise failures: outages, rate limits, a bad webhook</a>
    <div class="sim" aria-live="polite">
      <div class="clock" id="sim-clock">Store clock —</div>
      <div class="line" id="sim-line">simulator starting…</div>
      <button type="button" id="sim-toggle" hidden>Pause</button>
    </div>
  </nav>
  <main>
    <div id="loading"></div>
    <iframe id="app-frame" name="app-iframe" title="${escapeHtml(config.appName)}" src="${escapeHtml(config.iframeSrc)}"></iframe>
  </main>
</div>
<div id="toasts"></div>
<script>
(function () {
  var CONFIG = ${scriptJson({ appOrigin: config.appOrigin, appBase, path: config.path })};
  var SOURCE = "switchboard-sandbox";
  var frame = document.getElementById("app-frame");
  var nav = document.getElementById("app-nav");
  var current = CONFIG.path;
  var menuToggle = document.getElementById("menu-toggle");
  function setMenu(open) {
    document.body.classList.toggle("menu-open", open);
    menuToggle.setAttribute("aria-expanded", String(open));
  }
  menuToggle.addEventListener("click", function () { setMenu(!document.body.classList.contains("menu-open")); });
  document.getElementById("sandbox-sidebar").addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("a")) setMenu(false);
  });

  function send(message) {
    message.source = SOURCE;
    frame.contentWindow.postMessage(message, CONFIG.appOrigin);
  }
  function markCurrent() {
    Array.prototype.forEach.call(nav.querySelectorAll("a"), function (a) {
      var href = a.getAttribute("data-href");
      var active = href === "/app" ? current === "/app" || current === "/app/" : current === href || current.indexOf(href + "/") === 0;
      if (active) a.setAttribute("aria-current", "page"); else a.removeAttribute("aria-current");
    });
  }
  function drawNav(items) {
    nav.textContent = "";
    items.forEach(function (item) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.textContent = item.label;
      a.href = CONFIG.appBase + item.href;
      a.setAttribute("data-href", item.href);
      a.addEventListener("click", function (event) {
        event.preventDefault();
        send({ type: "navigate", href: item.href });
      });
      li.appendChild(a);
      nav.appendChild(li);
    });
    markCurrent();
  }
  function toast(message) {
    var box = document.createElement("div");
    box.className = "toast" + (message.isError ? " error" : "");
    box.setAttribute("role", "status");
    box.textContent = message.message;
    document.getElementById("toasts").appendChild(box);
    setTimeout(function () { box.remove(); }, Math.min(message.duration || 5000, 15000));
  }
  window.addEventListener("message", function (event) {
    if (event.origin !== CONFIG.appOrigin || !event.data || event.data.source !== SOURCE) return;
    var data = event.data;
    if (data.type === "nav") drawNav(data.items || []);
    else if (data.type === "location") {
      current = data.path;
      history.replaceState(null, "", CONFIG.appBase + data.path);
      markCurrent();
    } else if (data.type === "toast") toast(data);
    else if (data.type === "loading") document.getElementById("loading").className = data.on ? "on" : "";
  });

  function plural(n, word) { return n + " " + word + (n === 1 ? "" : "s"); }
  var toggle = document.getElementById("sim-toggle");
  var paused = false;
  toggle.addEventListener("click", function () {
    fetch("/sandbox/simulator", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ action: paused ? "resume" : "pause" }) }).then(poll);
  });
  function poll() {
    return fetch("/sandbox/status.json", { cache: "no-store" })
      .then(function (r) { return r.json(); })
      .then(function (status) {
        var sim = status.simulator;
        if (!sim) { document.getElementById("sim-line").textContent = "simulator off"; return; }
        paused = sim.paused;
        // The store's wall clock, naming its zone ("Sat 2:39 PM PST").
        var clock = new Date(sim.storeTime).toLocaleString("en-US", { timeZone: sim.timeZone, weekday: "short", hour: "numeric", minute: "2-digit", timeZoneName: "short" });
        document.getElementById("sim-clock").textContent = "Store clock " + clock + " · day " + sim.day;
        document.getElementById("sim-line").textContent = (sim.paused ? "paused · " : sim.speed + "× · ") + plural(sim.ordersPlaced, "order") + " · " + plural(sim.delivered, "webhook") + " delivered";
        toggle.hidden = false;
        toggle.textContent = sim.paused ? "Resume store" : "Pause store";
      })
      .catch(function () { document.getElementById("sim-line").textContent = "sandbox not answering"; });
  }
  poll();
  setInterval(poll, 2000);
})();
</script>
</body>
</html>`;
}

/** The inbox: what the fakes received and what the simulator sent, refreshed every 1.5 s. */
export function inboxPage(config: { storeName: string; adminUrl: string }): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>Sandbox inbox · ${escapeHtml(config.storeName)}</title>
<style>${BASE_STYLE}
  .page { max-width: 1280px; margin: 0 auto; padding: 20px; display: grid; gap: 16px; }
  h1 { font-size: 20px; margin: 0; }
  .intro { color: var(--subdued); margin: 4px 0 0; }
  .grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(560px, 1fr)); gap: 16px; }
  section { background: var(--surface); border-radius: 12px; box-shadow: 0 1px 0 rgba(0,0,0,.07), inset 0 0 0 1px rgba(0,0,0,.04); padding: 14px 16px; min-width: 0; }
  section h2 { font-size: 14px; margin: 0 0 2px; }
  section h3 { font-size: 12px; margin: 12px 0 4px; color: var(--subdued); text-transform: uppercase; letter-spacing: .4px; }
  .meta { color: var(--subdued); font-size: 12px; }
  .scroll { max-height: 320px; overflow: auto; }
  table { width: 100%; border-collapse: collapse; font-size: 12px; }
  th { text-align: left; color: var(--subdued); font-weight: 550; position: sticky; top: 0; background: var(--surface); }
  th, td { padding: 4px 6px; border-bottom: 1px solid var(--border); vertical-align: top; }
  td.mono, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 11.5px; }
  .empty { color: var(--subdued); padding: 8px 0; }
</style>
</head>
<body>
<header class="topbar"><span class="brand">Sandbox inbox</span><span class="badge">What the fakes received · live</span><span class="store"><a href="${escapeHtml(config.adminUrl)}" style="color:#fff">Back to Sandbox Admin</a></span></header>
<div class="page">
  <div>
    <h1>${escapeHtml(config.storeName)}</h1>
    <p class="intro" id="status">Loading…</p>
  </div>
  <div class="grid">
    <section aria-labelledby="h-webhooks"><h2 id="h-webhooks">Webhooks sent to the app</h2><div class="meta">Signed deliveries from the store-day simulator, as Shopify sends them (duplicates keep their webhook id).</div><div class="scroll" id="webhooks"></div></section>
    <section aria-labelledby="h-klaviyo"><h2 id="h-klaviyo">Klaviyo</h2><div class="meta" id="klaviyo-meta"></div><h3>Events</h3><div class="scroll" id="klaviyo-events"></div><h3>Lists</h3><div id="klaviyo-lists"></div><h3>Requests from the app</h3><div class="scroll" id="klaviyo-requests"></div></section>
    <section aria-labelledby="h-gorgias"><h2 id="h-gorgias">Gorgias</h2><div class="meta">Tickets in the helpdesk, what Gorgias told the app about them, and what the app asked Gorgias.</div><h3>Tickets</h3><div class="scroll" id="gorgias-tickets"></div><h3>Calls to the app (HTTP integration)</h3><div class="scroll" id="gorgias-calls"></div><h3>Requests from the app</h3><div class="scroll" id="gorgias-requests"></div></section>
    <section aria-labelledby="h-shopify"><h2 id="h-shopify">Shopify Admin API</h2><div class="meta">Tag changes the app made (tagsAdd / tagsRemove) and every GraphQL call with its cost.</div><h3>Tag mutations</h3><div class="scroll" id="shopify-mutations"></div><h3>GraphQL calls</h3><div class="scroll" id="shopify-operations"></div></section>
  </div>
</div>
<script>
(function () {
  function el(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (className) node.className = className;
    return node;
  }
  function time(iso) { return iso ? new Date(iso).toLocaleTimeString() : ""; }
  function pill(text, tone) { return el("span", text, "pill " + (tone || "")); }
  function table(target, headings, rows, empty) {
    var box = document.getElementById(target);
    box.textContent = "";
    if (!rows.length) { box.appendChild(el("div", empty, "empty")); return; }
    var t = el("table"); var head = el("tr");
    headings.forEach(function (h) { head.appendChild(el("th", h)); });
    var thead = el("thead"); thead.appendChild(head); t.appendChild(thead);
    var body = el("tbody");
    rows.forEach(function (cells) {
      var tr = el("tr");
      cells.forEach(function (cell) {
        var td = el("td");
        if (cell && cell.nodeType) td.appendChild(cell); else td.textContent = cell === null || cell === undefined ? "" : String(cell);
        tr.appendChild(td);
      });
      body.appendChild(tr);
    });
    t.appendChild(body); box.appendChild(t);
  }
  function statusPill(status) {
    if (status === null || status === undefined || status === -1) return pill("no answer", "bad");
    return pill(status, status >= 200 && status < 300 ? "ok" : status >= 500 ? "bad" : "warn");
  }
  function render(data) {
    var sim = data.simulator;
    document.getElementById("status").textContent = sim
      ? "Store clock " + sim.status.storeTime.replace("T", " ").slice(0, 16) + " " + sim.status.timeZone + " (day " + sim.status.day + ", " + (sim.status.paused ? "paused" : sim.status.speed + "×") + ") · " + sim.status.ordersPlaced + " orders placed · " + sim.status.delivered + " webhooks delivered, " + sim.status.duplicates + " duplicates, " + sim.status.retried + " retries"
      : "Simulator off";
    table("webhooks", ["Store time (" + (sim ? sim.status.timeZone : "") + ")", "Topic", "What", "App answered"], (sim ? sim.feed : []).map(function (f) {
      var what = f.detail + (f.duplicate ? " (duplicate delivery)" : "") + (f.attempt > 1 ? " (retry " + f.attempt + ")" : "");
      return [f.storeTime.slice(11, 16), f.kind === "webhook" ? el("span", f.title, "mono") : pill(f.title, f.kind === "shopper" ? "ok" : "info"), what, f.kind === "webhook" ? statusPill(f.status) : ""];
    }), "Nothing sent yet.");
    var k = data.klaviyo;
    document.getElementById("klaviyo-meta").textContent = k ? "Account " + (k.account || "—") + " · " + k.profiles + " profiles · " + k.events.length + " recent events" + (k.duplicateEvents ? " · " + k.duplicateEvents + " duplicate events dropped by unique_id" : "") : "Klaviyo fake off";
    table("klaviyo-events", ["Received", "Metric", "Profile", "Value"], k ? k.events.map(function (e) { return [time(e.received), e.metric, e.profile, e.value]; }) : [], "No events yet: they arrive once recipes send them.");
    table("klaviyo-lists", ["List", "Members"], k ? k.lists.map(function (l) { return [l.name, l.members]; }) : [], "No lists yet.");
    table("klaviyo-requests", ["At", "Request", "Status"], k ? k.requests.map(function (r) { return [time(r.at), el("span", r.method + " " + r.path, "mono"), statusPill(r.status)]; }) : [], "No requests yet.");
    var g = data.gorgias;
    table("gorgias-tickets", ["#", "Status", "Subject", "Customer", "Tags"], g ? g.tickets.map(function (t) { return [t.id, pill(t.status, t.status === "open" ? "warn" : "ok"), t.subject, t.customer, t.tags.join(", ")]; }) : [], "No tickets yet.");
    table("gorgias-calls", ["At", "Trigger", "Ticket", "App answered"], g ? g.callsToApp.map(function (c) { return [time(c.at), c.trigger, c.ticketId, c.outcome === "delivered" ? statusPill(c.status) : pill(c.outcome + (c.error ? ": " + c.error : ""), "bad")]; }) : [], "No calls yet.");
    table("gorgias-requests", ["At", "Request", "Status"], g ? g.requests.map(function (r) { return [time(r.at), el("span", r.method + " " + r.path, "mono"), statusPill(r.status)]; }) : [], "No requests yet.");
    var s = data.shopify;
    table("shopify-mutations", ["At", "Change", "Resource", "Tags now"], s ? s.mutations.map(function (m) { return [time(m.at), m.kind, el("span", m.id, "mono"), m.tags.join(", ")]; }) : [], "No tag changes yet: they arrive once recipes tag orders or customers.");
    table("shopify-operations", ["At", "Operation", "Cost", "Status"], s ? s.operations.map(function (o) { return [time(o.at), o.operation || "(anonymous)", o.cost, o.errors.length ? pill(o.errors.join(", "), "bad") : statusPill(o.status)]; }) : [], "No Admin API calls yet.");
  }
  function poll() {
    fetch("/sandbox/inbox.json", { cache: "no-store" }).then(function (r) { return r.json(); }).then(render).catch(function () {
      document.getElementById("status").textContent = "The sandbox is not answering (stopped?).";
    });
  }
  poll();
  setInterval(poll, 1500);
})();
</script>
</body>
</html>`;
}

/** Practise failures: switch vendor outages and rate limits on and off, send a bad webhook. */
export function faultsPage(config: {
  storeName: string;
  adminUrl: string;
  /** The demo's vendor credentials, to reconnect after practising a disconnect. */
  credentials: { vendor: string; lines: string[] }[];
}): string {
  const credentials = config.credentials
    .map(
      (c) =>
        `<div><strong>${escapeHtml(c.vendor)}</strong>${c.lines.map((l) => `<div class="mono">${escapeHtml(l)}</div>`).join("")}</div>`,
    )
    .join("");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>Practise failures · ${escapeHtml(config.storeName)}</title>
<style>${BASE_STYLE}
  .page { max-width: 880px; margin: 0 auto; padding: 20px; display: grid; gap: 16px; }
  h1 { font-size: 20px; margin: 0; }
  .intro { color: var(--subdued); margin: 4px 0 0; }
  section { background: var(--surface); border-radius: 12px; box-shadow: 0 1px 0 rgba(0,0,0,.07), inset 0 0 0 1px rgba(0,0,0,.04); padding: 14px 16px; display: grid; gap: 8px; }
  section h2 { font-size: 14px; margin: 0; }
  .row { display: flex; flex-wrap: wrap; align-items: center; gap: 8px; }
  button { border: 1px solid var(--border); background: #fff; border-radius: 8px; padding: 5px 12px; font: inherit; font-weight: 550; cursor: pointer; }
  button.danger { background: var(--bad); border-color: var(--bad); color: #fff; }
  .meta { color: var(--subdued); }
  .mono { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 12px; }
  .creds { display: grid; grid-template-columns: repeat(auto-fit, minmax(240px, 1fr)); gap: 12px; }
  #error { color: var(--bad); }
</style>
</head>
<body>
<header class="topbar"><span class="brand">Practise failures</span><span class="badge">Sandbox only · the local fakes fail, not real vendors</span><span class="store"><a href="${escapeHtml(config.adminUrl)}" style="color:#fff">Back to Sandbox Admin</a></span></header>
<div class="page">
  <div>
    <h1>${escapeHtml(config.storeName)}</h1>
    <p class="intro" id="explain">Loading…</p>
    <p id="error" role="alert"></p>
  </div>
  <div id="vendors"></div>
  <section aria-labelledby="h-webhook">
    <h2 id="h-webhook">A malformed webhook</h2>
    <div class="meta">Sends the app one signed order whose line items are not a list. The app answers 200 (a retry could not fix it), keeps the body with the reason, and shows it in Activity → Webhooks.</div>
    <div class="row"><button type="button" id="malformed">Send a malformed order</button><span class="meta" id="malformed-status"></span></div>
  </section>
  <section aria-labelledby="h-creds">
    <h2 id="h-creds">The demo's vendor credentials</h2>
    <div class="meta">Disconnect Klaviyo or Gorgias on the app's Integrations screen to see what stops, then reconnect with these.</div>
    <div class="creds">${credentials}</div>
  </section>
</div>
<script>
(function () {
  function el(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (className) node.className = className;
    return node;
  }
  function post(body) {
    document.getElementById("error").textContent = "";
    return fetch("/sandbox/faults", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) })
      .then(function (r) { return r.json().then(function (data) { if (!r.ok) throw new Error(data.error || ("HTTP " + r.status)); return data; }); })
      .then(render)
      .catch(function (e) { document.getElementById("error").textContent = e.message; });
  }
  function render(status) {
    document.getElementById("explain").textContent =
      "While a vendor fails, the app keeps each delivery and tries it " + status.retryAttempts + " times over about " + status.retryWindowMinutes +
      " minutes (real time), backing off. What still fails then appears in the app's Activity as failed, with Retry: end the outage, then press Retry there.";
    var box = document.getElementById("vendors");
    box.textContent = "";
    status.vendors.forEach(function (v) {
      var section = el("section"); section.setAttribute("aria-label", v.name);
      section.appendChild(el("h2", v.name));
      var state = v.outageSince
        ? "Down since " + new Date(v.outageSince).toLocaleTimeString() + ": every call is answered with a server error."
        : v.rateLimitedCalls > 0
          ? "Rate limiting: the next " + v.rateLimitedCalls + " calls get 429 with Retry-After " + v.retryAfterSeconds + " s."
          : "Answering normally.";
      section.appendChild(el("div", state, "meta"));
      var row = el("div", null, "row");
      var outage = el("button", v.outageSince ? "End the outage" : "Start an outage", v.outageSince ? "" : "danger");
      outage.type = "button";
      outage.onclick = function () { post({ action: v.outageSince ? "outage-end" : "outage-start", vendor: v.vendor }); };
      var limit = el("button", "Rate-limit the next 10 calls");
      limit.type = "button";
      limit.onclick = function () { post({ action: "rate-limit", vendor: v.vendor, calls: 10 }); };
      row.appendChild(outage); row.appendChild(limit);
      section.appendChild(row);
      box.appendChild(section);
    });
    document.getElementById("malformed-status").textContent = status.lastMalformedWebhook ? "Sent (webhook id " + status.lastMalformedWebhook + ")." : "";
  }
  document.getElementById("malformed").onclick = function () { post({ action: "malformed-webhook" }); };
  function poll() {
    fetch("/sandbox/faults.json", { cache: "no-store" }).then(function (r) { return r.json(); }).then(render).catch(function () {
      document.getElementById("explain").textContent = "The sandbox is not answering (stopped?).";
    });
  }
  poll();
  setInterval(poll, 2000);
})();
</script>
</body>
</html>`;
}
