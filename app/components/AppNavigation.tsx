import { useLocation, useNavigate } from "@remix-run/react";
import { NavMenu } from "@shopify/app-bridge-react";
import { Box, InlineStack, Button } from "@shopify/polaris";
import { useEffect, useState } from "react";

export const NAV_ITEMS = [
  { label: "Home", to: "/app", rel: "home" },
  { label: "Recipes", to: "/app/recipes" },
  { label: "Automation gaps", to: "/app/gap-report" },
  { label: "Integrations", to: "/app/integrations" },
  { label: "Activity", to: "/app/activity" },
  { label: "Privacy", to: "/app/privacy" },
  { label: "Plan", to: "/app/plan" },
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
  return (
    <>
      <NavMenu>
        {NAV_ITEMS.map((item) => (
          <a key={item.to} href={item.to} {...("rel" in item ? { rel: item.rel } : {})}>
            {item.label}
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
                    {item.label}
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
