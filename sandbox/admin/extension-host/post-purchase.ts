/**
 * Browser side of the sandbox's checkout: plays the part Shopify's checkout plays for the
 * post-purchase extension (bundled with the extension's own entry by sandbox/admin/checkout.ts).
 * Importing this module installs the `shopify.extend` global the extension's package registers
 * its two points with; startCheckout() then runs ShouldRender and Render as Shopify would, with
 * `calculateChangeset`, `applyChangeset` and `done` answered by the sandbox (the store prices and
 * applies the change), and draws the component tree the extension renders as plain DOM.
 */
import {
  createRemoteReceiver,
  createRemoteRoot,
  KIND_COMPONENT,
  KIND_TEXT,
  type RemoteReceiver,
} from "@remote-ui/core";

type Point = (...args: unknown[]) => unknown;
const points = new Map<string, Point>();
Object.assign(globalThis, {
  shopify: {
    extend: (point: string, fn: Point) => points.set(point, fn),
    reload: () => location.reload(),
  },
});

export interface CheckoutConfig {
  orderName: string;
  buyer: string;
  inputUrl: string;
  calculateUrl: string;
  applyUrl: string;
  thankYou: string;
  noOffer: string;
}

interface HostNode {
  kind: number;
  type?: string;
  text?: string;
  props?: Record<string, unknown>;
  children?: HostNode[];
}

async function post<T>(url: string, body: unknown): Promise<T> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  const answer = (await response.json()) as T & { error?: string };
  if (!response.ok) throw new Error(answer.error ?? `HTTP ${response.status}`);
  return answer;
}

const GAP: Record<string, string> = { tight: "6px", loose: "20px", extraLoose: "28px" };

/** Layout's sizes (pixels above 1, shares of the width up to 1) as a CSS grid template. */
function columns(props: Record<string, unknown>): string {
  const media = (props.media as { viewportSize: string; sizes: number[] }[] | undefined) ?? [];
  const sizes = media.find((m) => m.viewportSize === "large")?.sizes ?? [1];
  return sizes.map((size) => (size > 1 ? `${size}px` : `${size * 100}%`)).join(" ");
}

function element(node: HostNode): Node {
  if (node.kind === KIND_TEXT) return document.createTextNode(node.text ?? "");
  const props = node.props ?? {};
  const children = (node.children ?? []).map(element);
  const make = (tag: string, className: string) => {
    const el = document.createElement(tag);
    el.className = className;
    el.append(...children);
    return el;
  };
  switch (node.kind === KIND_COMPONENT ? node.type : "") {
    case "BlockStack":
    case "TextContainer": {
      const el = make("div", "pp-stack");
      el.style.gap = GAP[String(props.spacing)] ?? "12px";
      return el;
    }
    case "InlineStack": {
      const el = make("div", "pp-inline");
      el.style.gap = GAP[String(props.spacing)] ?? "10px";
      return el;
    }
    case "Layout": {
      const el = make("div", "pp-layout");
      el.style.gridTemplateColumns = columns(props);
      return el;
    }
    case "Heading":
      return make("h2", "pp-heading");
    case "TextBlock":
      return make("p", props.subdued ? "pp-subdued" : "");
    case "Text": {
      const el = make(props.role === "deletion" ? "del" : "span", "pp-text");
      if (props.subdued) el.classList.add("pp-subdued");
      if (props.emphasized) el.classList.add("pp-strong");
      if (props.size === "large") el.classList.add("pp-large");
      if (props.appearance === "success") el.classList.add("pp-success");
      if (props.appearance === "critical") el.classList.add("pp-critical");
      return el;
    }
    case "Image": {
      const img = document.createElement("img");
      img.src = String(props.source ?? "");
      img.alt = String(props.description ?? "");
      img.className = "pp-image";
      // The sandbox's product images never resolve (offline): a labelled placeholder instead.
      img.addEventListener("error", () => {
        const placeholder = document.createElement("div");
        placeholder.className = "pp-image pp-placeholder";
        placeholder.textContent = img.alt;
        img.replaceWith(placeholder);
      });
      return img;
    }
    case "Separator":
      return document.createElement("hr");
    case "Banner": {
      const el = make("div", `pp-banner pp-${String(props.status ?? "info")}`);
      el.setAttribute("role", "status");
      return el;
    }
    case "CalloutBanner": {
      const el = make("div", "pp-callout");
      const title = document.createElement("strong");
      title.textContent = String(props.title ?? "");
      el.prepend(title);
      return el;
    }
    case "Button": {
      const button = make("button", props.subdued ? "pp-button pp-secondary" : "pp-button");
      const busy = Boolean(props.loading);
      (button as HTMLButtonElement).disabled = Boolean(props.disabled) || busy;
      if (busy) button.setAttribute("aria-busy", "true");
      button.addEventListener("click", () => (props.onPress as (() => void) | undefined)?.());
      return button;
    }
    default:
      return make("div", "");
  }
}

function draw(receiver: RemoteReceiver, into: HTMLElement) {
  const root = receiver.attached.root as unknown as HostNode;
  into.replaceChildren(...(root.children ?? []).map(element));
}

/** Runs the post-purchase page for the configured order into `into`. */
export async function startCheckout(into: HTMLElement, config: CheckoutConfig): Promise<void> {
  const thankYou = (message: string) => {
    into.replaceChildren();
    const done = document.createElement("div");
    done.className = "pp-thank-you";
    done.setAttribute("role", "status");
    done.textContent = message;
    into.append(done);
  };
  const shouldRender = points.get("Checkout::PostPurchase::ShouldRender");
  const render = points.get("Checkout::PostPurchase::Render");
  if (!shouldRender || !render) throw new Error("the extension registered no post-purchase points");
  const { inputData } = await post<{ inputData: Record<string, unknown> }>(config.inputUrl, {});
  let stored: unknown;
  const storage = () => ({
    initialData: stored,
    update: async (data: unknown) => {
      stored = data;
    },
  });
  const decision = (await shouldRender({
    extensionPoint: "Checkout::PostPurchase::ShouldRender",
    inputData,
    storage: storage(),
  })) as { render: boolean };
  if (!decision.render) return thankYou(config.noOffer);

  const receiver = createRemoteReceiver();
  let queued = false;
  const root = createRemoteRoot((type, ...args) => {
    (receiver.receive as (...all: unknown[]) => void)(type, ...args);
    if (queued) return;
    queued = true;
    queueMicrotask(() => {
      queued = false;
      draw(receiver, into);
    });
  });
  render(root, {
    extensionPoint: "Checkout::PostPurchase::Render",
    version: "unstable",
    locale: inputData.locale,
    inputData: { ...inputData, extensionPoint: "Checkout::PostPurchase::Render" },
    storage: storage(),
    calculateChangeset: (changeset: unknown) => post(config.calculateUrl, changeset),
    applyChangeset: (token: string) => post(config.applyUrl, { token }),
    done: async () => thankYou(config.thankYou),
  });
}
