/**
 * The block API's `resourcePicker` for the sandbox: a dialog over the sandbox Admin page (the
 * extension's frame is only as big as its card) listing the store's variants or products from
 * /sandbox/catalog.json, answering like Admin: `[{ id: gid, title, displayName }]`, or
 * `undefined` when cancelled.
 */
import { matchVariants, type PickerVariant } from "./host";

interface CatalogProduct {
  id: string;
  title: string;
  variants: PickerVariant[];
}

export function resourcePicker(catalogUrl: string, nativeFetch: typeof fetch) {
  return async (options: { type: string; multiple?: boolean }): Promise<unknown> => {
    const catalog = (await (await nativeFetch(catalogUrl, { cache: "no-store" })).json()) as {
      products: CatalogProduct[];
    };
    const variants =
      options.type === "product"
        ? catalog.products.map((p) => ({ id: p.id, title: p.title, displayName: p.title }))
        : catalog.products.flatMap((p) => p.variants);
    const doc = window.parent.document;
    const noun = options.type === "product" ? "product" : "variant";
    return new Promise((resolve) => {
      const overlay = doc.createElement("div");
      overlay.className = "picker-overlay";
      const dialog = doc.createElement("div");
      dialog.className = "picker";
      dialog.setAttribute("role", "dialog");
      dialog.setAttribute("aria-modal", "true");
      dialog.setAttribute("aria-label", `Select a ${noun}`);
      const heading = doc.createElement("h2");
      heading.textContent = `Select a ${noun}`;
      const search = doc.createElement("input");
      search.type = "search";
      search.setAttribute("aria-label", `Search ${noun}s`);
      search.placeholder = `Search ${noun}s`;
      const list = doc.createElement("div");
      list.className = "picker-list";
      const actions = doc.createElement("div");
      actions.className = "picker-actions";
      const cancel = doc.createElement("button");
      cancel.type = "button";
      cancel.textContent = "Cancel";
      const select = doc.createElement("button");
      select.type = "button";
      select.className = "primary";
      select.textContent = "Select";
      select.disabled = true;
      actions.append(cancel, select);
      dialog.append(heading, search, list, actions);
      overlay.appendChild(dialog);
      let chosen: PickerVariant | null = null;
      const draw = () => {
        list.textContent = "";
        for (const variant of matchVariants(variants, search.value).slice(0, 50)) {
          const label = doc.createElement("label");
          const radio = doc.createElement("input");
          radio.type = "radio";
          radio.name = "sandbox-picker";
          radio.checked = chosen?.id === variant.id;
          radio.addEventListener("change", () => {
            chosen = variant;
            select.disabled = false;
          });
          label.append(radio, doc.createTextNode(` ${variant.displayName}`));
          list.appendChild(label);
        }
      };
      const close = (answer: unknown) => {
        overlay.remove();
        resolve(answer);
      };
      search.addEventListener("input", draw);
      cancel.addEventListener("click", () => close(undefined));
      select.addEventListener("click", () =>
        close(
          chosen
            ? [{ id: chosen.id, title: chosen.title, displayName: chosen.displayName }]
            : undefined,
        ),
      );
      draw();
      doc.body.appendChild(overlay);
      search.focus();
    });
  };
}
