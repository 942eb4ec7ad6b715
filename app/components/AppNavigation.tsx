import { useLocation, useNavigate } from "@remix-run/react";
import { NavMenu } from "@shopify/app-bridge-react";
import { Box, InlineStack, Button } from "@shopify/polaris";
import { useEffect, useState } from "react";
import { useMessages } from "../i18n/react";
import { messages } from "./AppNavigation.messages";

export const NAV_ITEMS = [
  { label: "home", to: "/app", rel: "home" },
  { label: "recipes", to: "/app/recipes" },
  { label: "gaps", to: "/app/gap-report" },
  { label: "integrations", to: "/app/integrations" },
  { label: "activity", to: "/app/activity" },
  { label: "privacy", to: "/app/privacy" },
  { label: "plan", to: "/app/plan" },
] as const;

/** True once the page knows App Bridge loaded (`window.shopify`); false when it could not. */
export function useAppBridgeAvailable(): boolean | undefined {
  const [available, setAvailable] = useState<boolean | undefined>(undefined);
  useEffect(() => {
    // App Bridge's script loads alongside hydration; decide once the page has finished loading.
    const check = () => setAvailable(Boolean((window as any).shopify));
    if (document.readyState === "complete") {
      const timer = setTimeout(check, 0);
      return () => clearTimeout(timer);
    }
    window.addEventListener("load", check, { once: true });
    return () => window.removeEventListener("load", check);
  }, []);
  return available;
}

/**
 * Shopify Admin draws the navigation from <NavMenu>. When App Bridge cannot load (offline,
 * or the app opened outside Admin) that menu renders nothing, so the same links are drawn
 * in the page to keep every screen reachable.
 */
export function AppNavigation() {
  const appBridge = useAppBridgeAvailable();
  const location = useLocation();
  const navigate = useNavigate();
  const t = useMessages(messages);
  return (
    <>
      <NavMenu>
        {NAV_ITEMS.map((item) => (
          <a key={item.to} href={item.to} {...("rel" in item ? { rel: item.rel } : {})}>
            {t(item.label)}
          </a>
        ))}
      </NavMenu>
      {appBridge === false ? (
        <Box
          paddingBlock="300"
          paddingInline="400"
          background="bg-surface"
          borderBlockEndWidth="025"
          borderColor="border"
        >
          <nav aria-label="Switchboard">
            <InlineStack gap="200">
              {NAV_ITEMS.map((item) => {
                const active =
                  item.to === "/app"
                    ? location.pathname === "/app"
                    : location.pathname.startsWith(item.to);
                return (
                  <Button
                    key={item.to}
                    variant={active ? "primary" : "tertiary"}
                    onClick={() => navigate(item.to + location.search)}
                  >
                    {t(item.label)}
                  </Button>
                );
              })}
            </InlineStack>
          </nav>
        </Box>
      ) : null}
    </>
  );
}
