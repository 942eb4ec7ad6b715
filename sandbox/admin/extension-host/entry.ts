/**
 * What each extension bundle runs first (sandbox/admin/extension-bundles.ts puts the
 * extension's own entry after it): the custom elements, the `shopify` global, and the frame's
 * height following its content.
 */
import { defineElements } from "./elements";
import { createHost, type HostConfig } from "./host";
import { resourcePicker } from "./picker";

export function startHost(): HostConfig {
  const config = JSON.parse(
    document.getElementById("sandbox-host-config")!.textContent!,
  ) as HostConfig & {
    catalogUrl: string;
  };
  defineElements(config.appAdminBase);
  // The browser's own fetch, kept before the host routes the extension's requests to the app.
  const nativeFetch = window.fetch.bind(window);
  const host = createHost(config, {
    nativeFetch,
    pageOrigin: window.location.origin,
    resourcePicker: resourcePicker(config.catalogUrl, nativeFetch),
    navigate: (url) => {
      window.top!.location.href = url;
    },
  });
  Object.assign(globalThis, { shopify: host.api });
  window.fetch = host.fetch;
  const frame = window.frameElement as HTMLIFrameElement | null;
  if (frame) {
    const fit = () => {
      frame.style.height = `${Math.ceil(document.documentElement.getBoundingClientRect().height)}px`;
    };
    new ResizeObserver(fit).observe(document.body);
    fit();
  }
  return config;
}
