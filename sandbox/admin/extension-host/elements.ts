/**
 * The Polaris web components (`s-*`) the Switchboard admin blocks use, as plain custom
 * elements drawn like Admin cards. Preact sets what these elements define as properties (`value`)
 * and everything else as attributes, and listens for `click` and `change` on them, as it does
 * with Shopify's own components. Layout-only ones (s-stack, s-text, s-badge, s-divider,
 * s-spinner) are styled by the frame's stylesheet (sandbox/admin/pages.ts).
 */
import { linkHref } from "./host";

const SHARED = `
  :host { font: inherit; color: inherit; }
  label { display: grid; gap: 4px; font-weight: 550; }
  input, select { font: inherit; font-weight: 450; border: 1px solid #8a8a8a; border-radius: 8px; padding: 5px 8px; background: #fff; min-width: 140px; }
  .details { color: #616161; font-weight: 450; }
  .error { color: #8e0b21; font-weight: 450; }
  .row { display: flex; align-items: center; gap: 6px; }
`;

function shadow(host: HTMLElement, html: string): ShadowRoot {
  const root = host.attachShadow({ mode: "open" });
  root.innerHTML = `<style>${SHARED}</style>${html}`;
  return root;
}

class AdminBlock extends HTMLElement {
  static observedAttributes = ["heading"];
  private headingElement: HTMLElement;
  constructor() {
    super();
    const root = shadow(
      this,
      `<style>
        :host { display: block; }
        section { background: #fff; border-radius: 12px; box-shadow: 0 1px 0 rgba(0,0,0,.07), 0 0 0 1px rgba(0,0,0,.06); padding: 16px; }
        h2 { font-size: 14px; font-weight: 650; margin: 0 0 12px; }
      </style><section><h2></h2><slot></slot></section>`,
    );
    this.headingElement = root.querySelector("h2")!;
  }
  attributeChangedCallback() {
    this.headingElement.textContent = this.getAttribute("heading") ?? "";
  }
}

class Banner extends HTMLElement {
  connectedCallback() {
    this.setAttribute("role", this.getAttribute("tone") === "critical" ? "alert" : "status");
  }
}

class Spinner extends HTMLElement {
  static observedAttributes = ["accessibilitylabel"];
  connectedCallback() {
    this.setAttribute("role", "progressbar");
  }
  attributeChangedCallback() {
    this.setAttribute("aria-label", this.getAttribute("accessibilitylabel") ?? "");
  }
}

/** Links: `app://<path>` opens that app page in the sandbox Admin (the whole window). */
export function defineLink(appAdminBase: string) {
  class Link extends HTMLElement {
    static observedAttributes = ["href"];
    private anchor: HTMLAnchorElement;
    constructor() {
      super();
      this.anchor = shadow(this, `<a part="link" target="_top"><slot></slot></a>`).querySelector(
        "a",
      )!;
      this.anchor.style.color = "#005bd3";
    }
    attributeChangedCallback() {
      this.anchor.href = linkHref(this.getAttribute("href") ?? "", appAdminBase);
    }
  }
  customElements.define("s-link", Link);
}

class Button extends HTMLElement {
  static observedAttributes = ["disabled", "variant", "tone"];
  private button: HTMLButtonElement;
  constructor() {
    super();
    this.button = shadow(
      this,
      `<style>
        button { font: inherit; font-weight: 550; border-radius: 8px; padding: 5px 12px; cursor: pointer; border: 1px solid #c9c9c9; background: #fff; color: #303030; box-shadow: 0 1px 0 #b5b5b5; }
        button.primary { background: #303030; color: #fff; border-color: #303030; }
        button.critical { background: #c70a24; color: #fff; border-color: #c70a24; }
        button.tertiary { border-color: transparent; box-shadow: none; background: transparent; }
        button:disabled { opacity: .5; cursor: default; }
      </style><button type="button"><slot></slot></button>`,
    ).querySelector("button")!;
  }
  attributeChangedCallback() {
    this.button.disabled = this.hasAttribute("disabled");
    const variant = this.getAttribute("variant");
    this.button.className = [
      variant === "primary" || variant === "tertiary" ? variant : "",
      this.getAttribute("tone") === "critical" ? "critical" : "",
    ].join(" ");
  }
}

/** A labelled field that keeps its value as a property and fires `change` on the element. */
abstract class Field<T extends HTMLInputElement | HTMLSelectElement> extends HTMLElement {
  static observedAttributes = ["label", "error", "details", "suffix", "min", "step", "disabled"];
  protected root: ShadowRoot;
  protected control: T;
  private current = "";
  constructor(controlHtml: string) {
    super();
    this.root = shadow(
      this,
      `<style>:host { display: block; }</style><label><span class="label"></span><span class="row">${controlHtml}<span class="suffix"></span></span>
        <span class="details"></span><span class="error" role="alert"></span></label>`,
    );
    this.control = this.root.querySelector("input, select") as T;
    this.control.addEventListener("change", () => {
      this.current = this.control.value;
      this.dispatchEvent(new Event("change", { bubbles: true }));
    });
    this.control.addEventListener("input", () => {
      this.current = this.control.value;
      this.dispatchEvent(new Event("input", { bubbles: true }));
    });
  }
  get value(): string {
    return this.current;
  }
  set value(next: string) {
    this.current = next == null ? "" : String(next);
    this.control.value = this.current;
  }
  attributeChangedCallback(name: string) {
    const text = (selector: string, value: string | null) => {
      this.root.querySelector(selector)!.textContent = value ?? "";
    };
    if (name === "label") text(".label", this.getAttribute("label"));
    else if (name === "error") {
      text(".error", this.getAttribute("error"));
      this.control.setAttribute("aria-invalid", String(this.hasAttribute("error")));
    } else if (name === "details") text(".details", this.getAttribute("details"));
    else if (name === "suffix") text(".suffix", this.getAttribute("suffix"));
    else if (name === "disabled") this.control.disabled = this.hasAttribute("disabled");
    else {
      const value = this.getAttribute(name);
      if (value === null) this.control.removeAttribute(name);
      else this.control.setAttribute(name, value);
    }
  }
}

class NumberField extends Field<HTMLInputElement> {
  constructor() {
    super(`<input type="number">`);
  }
}

/** s-select: its options are the `s-option` children Preact renders, mirrored into a <select>. */
class Select extends Field<HTMLSelectElement> {
  constructor() {
    super(`<select></select>`);
    new MutationObserver(() => this.mirror()).observe(this, {
      childList: true,
      subtree: true,
      characterData: true,
      attributes: true,
    });
  }
  connectedCallback() {
    this.mirror();
  }
  private mirror() {
    const value = this.value;
    this.control.textContent = "";
    for (const option of Array.from(this.querySelectorAll("s-option"))) {
      const element = document.createElement("option");
      element.value = option.getAttribute("value") ?? "";
      element.textContent = option.textContent;
      this.control.appendChild(element);
    }
    this.control.value = value;
  }
}

export function defineElements(appAdminBase: string) {
  customElements.define("s-admin-block", AdminBlock);
  customElements.define("s-banner", Banner);
  customElements.define("s-spinner", Spinner);
  customElements.define("s-button", Button);
  customElements.define("s-number-field", NumberField);
  customElements.define("s-select", Select);
  defineLink(appAdminBase);
}
