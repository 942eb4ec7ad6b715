/* global window, document, location, history, Request, Headers, URLSearchParams, CustomEvent, MutationObserver, setTimeout, clearTimeout */
/**
 * Sandbox stand-in for Shopify App Bridge, served by `npm run demo` at /sandbox/app-bridge.js and
 * loaded by the app because APP_BRIDGE_URL points here. It does the parts of App Bridge the app
 * relies on, the way App Bridge does them:
 *
 * - `shopify.idToken()`: a fresh session token, from the sandbox's token endpoint (the sandbox
 *   Admin's origin, i.e. this script's origin) instead of from Shopify Admin.
 * - `fetch` to the app's own origin carries `Authorization: Bearer <token>`, and a 401 with
 *   X-Shopify-Retry-Invalid-Session-Request is retried once with a new token, so Remix's
 *   client-side navigation and form posts authenticate like they do in Admin. A 401 with
 *   X-Shopify-API-Request-Failure-Reauthorize-Url sends the top window there (billing.request).
 * - The bounce page (`/auth/session-token?shopify-reload=…`) reloads with a fresh `id_token`.
 * - `<ui-nav-menu>` links go to the sandbox Admin's sidebar, and clicks there come back as
 *   `shopify:navigate` events; `shopify.toast.show` shows the toast in the Admin frame.
 * - `shopify.resourcePicker({type, multiple, selectionIds})`: a modal listing the sandbox store's
 *   products, variants or collections (from /sandbox/catalog.json) with search and selection,
 *   answering like App Bridge: the chosen resources (gid ids, titles, images), or undefined when
 *   cancelled.
 * - Opened outside the Admin frame, it sends the browser to the sandbox Admin, as App Bridge
 *   sends it to Shopify Admin.
 *
 * Anything else App Bridge offers (modals, save bar) is a logged no-op.
 */
(function () {
  "use strict";
  if (window.shopify) return;

  var script = document.currentScript;
  if (!script) return;
  var adminOrigin = new URL(script.src).origin;
  var apiKey = script.getAttribute("data-api-key") || "";
  var params = new URLSearchParams(location.search);
  var framed = window.top !== window.self;
  var SOURCE = "switchboard-sandbox";
  var originalFetch = window.fetch.bind(window);

  if (!framed) {
    // The bounce page names the page it stands in for; Admin then frames that page.
    var reloadTarget = params.get("shopify-reload");
    var path = reloadTarget ? new URL(reloadTarget, location.href).pathname : location.pathname;
    var open = new URL("/open", adminOrigin);
    open.searchParams.set("path", path.indexOf("/auth") === 0 ? "/app" : path);
    location.replace(open.toString());
    return;
  }

  function post(message) {
    message.source = SOURCE;
    window.parent.postMessage(message, adminOrigin);
  }

  // --- session tokens ---------------------------------------------------------------------
  var cached = null;
  var pending = null;
  function idToken(force) {
    if (!force && cached && cached.expiresAt - Date.now() > 10000)
      return Promise.resolve(cached.token);
    if (!pending) {
      pending = originalFetch(adminOrigin + "/sandbox/session-token", {
        credentials: "omit",
        cache: "no-store",
      })
        .then(function (response) {
          if (!response.ok) throw new Error("sandbox token endpoint answered " + response.status);
          return response.json();
        })
        .then(function (body) {
          cached = body;
          return body.token;
        })
        .finally(function () {
          pending = null;
        });
    }
    return pending;
  }

  // --- the bounce page: reload with a fresh id_token ----------------------------------------
  var reload = params.get("shopify-reload");
  if (reload) {
    idToken(true).then(function (token) {
      var target = new URL(reload, location.href);
      if (target.origin !== location.origin)
        throw new Error("refusing to reload to another origin");
      target.searchParams.set("id_token", token);
      location.replace(target.toString());
    });
  }

  // --- fetch: bearer token on same-origin requests ------------------------------------------
  var RETRY_HEADER = "X-Shopify-Retry-Invalid-Session-Request";
  var REAUTHORIZE_HEADER = "X-Shopify-API-Request-Failure-Reauthorize-Url";
  window.fetch = function (input, init) {
    var request;
    try {
      request = new Request(input, init);
    } catch {
      return originalFetch(input, init);
    }
    if (new URL(request.url).origin !== location.origin || request.headers.has("Authorization")) {
      return originalFetch(request);
    }
    var spare = request.clone();
    function send(req, force) {
      return idToken(force).then(function (token) {
        var headers = new Headers(req.headers);
        headers.set("Authorization", "Bearer " + token);
        return originalFetch(req, { headers: headers });
      });
    }
    return send(request, false).then(function (response) {
      if (response.status === 401 && response.headers.get(RETRY_HEADER)) return send(spare, true);
      // Leaving the app (billing's confirmation page): App Bridge sends the whole Admin window there.
      var leaveTo = response.status === 401 && response.headers.get(REAUTHORIZE_HEADER);
      if (leaveTo) {
        window.open(leaveTo, "_top");
        return new Promise(function () {});
      }
      return response;
    });
  };

  // --- navigation: <ui-nav-menu> → Admin sidebar, sidebar clicks → shopify:navigate ------
  function navItems() {
    var menu = document.querySelector("ui-nav-menu");
    if (!menu) return [];
    return Array.prototype.map.call(menu.querySelectorAll("a[href]"), function (a) {
      return {
        label: (a.textContent || "").trim(),
        href: a.getAttribute("href"),
        rel: a.getAttribute("rel"),
      };
    });
  }
  var lastNav = "";
  var navTimer = null;
  function publishNav() {
    clearTimeout(navTimer);
    navTimer = setTimeout(function () {
      var items = navItems();
      var json = JSON.stringify(items);
      if (json !== lastNav) {
        lastNav = json;
        post({ type: "nav", items: items });
      }
    }, 50);
  }
  function publishLocation() {
    post({ type: "location", path: location.pathname, title: document.title });
  }
  new MutationObserver(publishNav).observe(document.documentElement, {
    childList: true,
    subtree: true,
  });
  ["pushState", "replaceState"].forEach(function (name) {
    var original = history[name];
    history[name] = function () {
      var result = original.apply(this, arguments);
      publishLocation();
      return result;
    };
  });
  window.addEventListener("popstate", publishLocation);

  // The app listens for shopify:navigate once React has hydrated (the library's AppProvider
  // effect); the sidebar is drawn from the server-rendered menu before that. A click in that
  // window is held until a listener is there, so it is not lost on a slow first load.
  var navigateListeners = 0;
  var heldHref = null;
  var addListener = window.addEventListener;
  var removeListener = window.removeEventListener;
  window.addEventListener = function (type) {
    var result = addListener.apply(this, arguments);
    if (type === "shopify:navigate" && (!this || this === window)) {
      navigateListeners += 1;
      if (heldHref !== null) setTimeout(flushHeldNavigation, 0);
    }
    return result;
  };
  window.removeEventListener = function (type) {
    if (type === "shopify:navigate" && (!this || this === window)) navigateListeners -= 1;
    return removeListener.apply(this, arguments);
  };
  function dispatchNavigate(href) {
    var menu = document.querySelector("ui-nav-menu") || document.body;
    var link = menu.querySelector('a[href="' + href.replace(/"/g, "") + '"]');
    var temporary = !link;
    if (temporary) {
      link = document.createElement("a");
      link.setAttribute("href", href);
      menu.appendChild(link);
    }
    link.dispatchEvent(new CustomEvent("shopify:navigate", { bubbles: true }));
    if (temporary) link.remove();
  }
  function flushHeldNavigation() {
    if (heldHref === null || navigateListeners <= 0) return;
    var href = heldHref;
    heldHref = null;
    dispatchNavigate(href);
  }

  window.addEventListener("message", function (event) {
    if (event.origin !== adminOrigin || !event.data || event.data.source !== SOURCE) return;
    if (event.data.type === "navigate" && typeof event.data.href === "string") {
      if (navigateListeners > 0) dispatchNavigate(event.data.href);
      else heldHref = event.data.href;
    }
  });

  // --- resource picker: the store's catalog in a modal ------------------------------------
  var NOUNS = {
    product: ["product", "products"],
    variant: ["variant", "variants"],
    collection: ["collection", "collections"],
  };
  function loadCatalog() {
    return originalFetch(adminOrigin + "/sandbox/catalog.json", {
      credentials: "omit",
      cache: "no-store",
    }).then(function (response) {
      if (!response.ok) throw new Error("sandbox catalog answered " + response.status);
      return response.json();
    });
  }
  /** Rows the picker lists for a type: [{resource, title, subtitle, image}]. */
  function rowsOf(catalog, type) {
    if (type === "collection")
      return catalog.collections.map(function (c) {
        return {
          resource: c,
          title: c.title,
          subtitle: c.productsCount + " products",
          image: null,
        };
      });
    if (type === "variant")
      return catalog.products.reduce(function (rows, p) {
        return rows.concat(
          p.variants.map(function (v) {
            var resource = Object.assign({}, v, {
              product: Object.assign({}, v.product, { title: p.title, images: p.images }),
            });
            return {
              resource: resource,
              title: v.displayName,
              subtitle: v.sku ? "SKU " + v.sku : "",
              image: v.image ? v.image.originalSrc : null,
            };
          }),
        );
      }, []);
    return catalog.products.map(function (p) {
      return {
        resource: p,
        title: p.title,
        subtitle: p.variants.length + (p.variants.length === 1 ? " variant" : " variants"),
        image: p.images[0] ? p.images[0].originalSrc : null,
      };
    });
  }
  function el(tag, attributes, children) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) {
      if (name === "style") node.style.cssText = attributes.style;
      else if (name === "text") node.textContent = attributes.text;
      else node.setAttribute(name, attributes[name]);
    });
    (children || []).forEach(function (child) {
      if (child) node.appendChild(child);
    });
    return node;
  }
  var BUTTON =
    "font:inherit;padding:6px 12px;border-radius:8px;border:1px solid #c9cccf;background:#fff;cursor:pointer;";
  function resourcePicker(options) {
    var type = options && NOUNS[options.type] ? options.type : "product";
    var multiple = Boolean(options && options.multiple);
    var limit = typeof (options && options.multiple) === "number" ? options.multiple : Infinity;
    var selected = {};
    ((options && options.selectionIds) || []).forEach(function (s) {
      if (s && s.id) selected[s.id] = true;
    });
    var noun = NOUNS[type];
    return loadCatalog().then(function (catalog) {
      var rows = rowsOf(catalog, type);
      var byId = {};
      rows.forEach(function (row) {
        byId[row.resource.id] = row;
      });
      return new Promise(function (resolve) {
        var previousFocus = document.activeElement;
        var search = el("input", {
          type: "search",
          "aria-label": "Search " + noun[1],
          placeholder: "Search " + noun[1],
          style:
            "font:inherit;width:100%;box-sizing:border-box;padding:6px 10px;border:1px solid #8a8a8a;border-radius:8px;",
        });
        var list = el("ul", {
          "aria-label": noun[1],
          style: "list-style:none;margin:0;padding:0;overflow:auto;flex:1;min-height:0;",
        });
        var count = el("span", { "aria-live": "polite", style: "color:#616161;" });
        var cancel = el("button", { type: "button", text: "Cancel", style: BUTTON });
        var confirm = el("button", {
          type: "button",
          text: "Select",
          style: BUTTON + "background:#303030;color:#fff;border-color:#303030;",
        });
        var title = el("h2", {
          id: "sandbox-resource-picker-title",
          text: multiple ? "Select " + noun[1] : "Select a " + noun[0],
          style: "margin:0;font-size:16px;",
        });
        var dialog = el(
          "div",
          {
            role: "dialog",
            "aria-modal": "true",
            "aria-labelledby": "sandbox-resource-picker-title",
            style:
              "background:#fff;border-radius:12px;box-shadow:0 8px 32px rgba(0,0,0,.3);width:min(560px,calc(100vw - 32px));max-height:calc(100vh - 64px);display:flex;flex-direction:column;gap:12px;padding:16px;box-sizing:border-box;",
          },
          [
            title,
            search,
            list,
            el(
              "div",
              { style: "display:flex;justify-content:space-between;align-items:center;gap:8px;" },
              [count, el("div", { style: "display:flex;gap:8px;" }, [cancel, confirm])],
            ),
          ],
        );
        var overlay = el(
          "div",
          {
            style:
              "position:fixed;inset:0;z-index:2147483647;background:rgba(0,0,0,.45);display:flex;align-items:center;justify-content:center;font:14px/1.4 -apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,sans-serif;color:#303030;",
          },
          [dialog],
        );

        function chosenIds() {
          return Object.keys(selected).filter(function (id) {
            return selected[id] && byId[id];
          });
        }
        function updateCount() {
          var n = chosenIds().length;
          count.textContent = n + " selected";
        }
        function draw() {
          var query = search.value.trim().toLowerCase();
          list.textContent = "";
          rows
            .filter(function (row) {
              return !query || (row.title + " " + row.subtitle).toLowerCase().indexOf(query) !== -1;
            })
            .forEach(function (row) {
              var input = el("input", {
                type: multiple ? "checkbox" : "radio",
                name: "sandbox-resource-picker",
              });
              input.checked = Boolean(selected[row.resource.id]);
              input.addEventListener("change", function () {
                if (!multiple) selected = {};
                if (input.checked && multiple && chosenIds().length >= limit) {
                  input.checked = false;
                  return;
                }
                selected[row.resource.id] = input.checked;
                if (!multiple) draw();
                updateCount();
              });
              var image = row.image
                ? el("img", {
                    src: row.image,
                    alt: "",
                    width: "32",
                    height: "32",
                    style: "object-fit:cover;border-radius:4px;",
                  })
                : null;
              list.appendChild(
                el("li", { style: "border-top:1px solid #ebebeb;" }, [
                  el(
                    "label",
                    {
                      style:
                        "display:flex;gap:10px;align-items:center;padding:8px 4px;cursor:pointer;",
                    },
                    [
                      input,
                      image,
                      el("span", {}, [
                        el("span", { text: row.title, style: "display:block;" }),
                        row.subtitle
                          ? el("span", {
                              text: row.subtitle,
                              style: "display:block;color:#616161;font-size:12px;",
                            })
                          : null,
                      ]),
                    ],
                  ),
                ]),
              );
            });
          if (!list.firstChild)
            list.appendChild(
              el("li", {
                text: "No " + noun[1] + " match “" + search.value + "”.",
                style: "padding:8px 4px;",
              }),
            );
        }
        function close(result) {
          overlay.remove();
          document.removeEventListener("keydown", onKey, true);
          if (previousFocus && previousFocus.focus) previousFocus.focus();
          resolve(result);
        }
        function onKey(event) {
          if (event.key === "Escape") {
            event.preventDefault();
            close(undefined);
          }
        }
        search.addEventListener("input", draw);
        cancel.addEventListener("click", function () {
          close(undefined);
        });
        overlay.addEventListener("click", function (event) {
          if (event.target === overlay) close(undefined);
        });
        confirm.addEventListener("click", function () {
          var chosen = chosenIds().map(function (id) {
            return byId[id].resource;
          });
          // App Bridge's answer is the array, also reachable as `.selection`.
          chosen.selection = chosen.slice();
          close(chosen);
        });
        document.addEventListener("keydown", onKey, true);
        draw();
        updateCount();
        document.body.appendChild(overlay);
        search.focus();
      });
    });
  }

  // --- window.shopify -----------------------------------------------------------------------
  var toastCount = 0;
  function unsupported(feature) {
    return function () {
      console.info("[sandbox App Bridge] " + feature + " is not simulated in the sandbox.");
      return Promise.resolve(undefined);
    };
  }
  window.shopify = {
    config: {
      apiKey: apiKey,
      shop: params.get("shop"),
      host: params.get("host"),
      locale: params.get("locale") || "en",
    },
    environment: { embedded: true, mobile: false, pos: false },
    origin: adminOrigin,
    idToken: function () {
      return idToken(false);
    },
    toast: {
      show: function (message, options) {
        toastCount += 1;
        post({
          type: "toast",
          id: String(toastCount),
          message: String(message),
          isError: Boolean(options && options.isError),
          duration: (options && options.duration) || 5000,
        });
        return String(toastCount);
      },
      hide: function (id) {
        post({ type: "toast-hide", id: String(id) });
      },
    },
    loading: function (on) {
      post({ type: "loading", on: on !== false });
    },
    saveBar: {
      show: unsupported("saveBar.show"),
      hide: unsupported("saveBar.hide"),
      toggle: unsupported("saveBar.toggle"),
      leaveConfirmation: unsupported("saveBar.leaveConfirmation"),
    },
    modal: {
      show: unsupported("modal.show"),
      hide: unsupported("modal.hide"),
      toggle: unsupported("modal.toggle"),
    },
    resourcePicker: resourcePicker,
    user: function () {
      return Promise.resolve({ name: "Sam Sandbox", accountAccess: "Account owner" });
    },
  };

  publishLocation();
  document.addEventListener("DOMContentLoaded", publishNav);
  window.addEventListener("load", publishNav);
})();
