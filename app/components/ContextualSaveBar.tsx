import { SaveBar } from "@shopify/app-bridge-react";
import { Box, Button, InlineStack, Text } from "@shopify/polaris";
import { useMessages } from "../i18n/react";
import { useAppBridgeAvailable } from "./AppNavigation";
import { saveBarMessages } from "./components.messages";

interface Props {
  id: string;
  dirty: boolean;
  saving: boolean;
  onSave(): void;
  onDiscard(): void;
}

// App Bridge's <ui-save-bar> takes plain buttons with a `variant` attribute.
const primary = { variant: "primary" } as Record<string, string>;

/** App Bridge loaded and defines its web components (a stand-in that only fakes `window.shopify` does not). */
function hasAppBridgeElements(): boolean {
  return typeof customElements !== "undefined" && Boolean(customElements.get("ui-save-bar"));
}

/**
 * "Unsaved changes — Discard / Save". Inside Shopify Admin it is App Bridge's contextual save
 * bar (`ui-save-bar`, which also guards navigation away); without App Bridge (offline, outside
 * Admin) the same bar is drawn in the page, stuck to the top.
 */
export function ContextualSaveBar({ id, dirty, saving, onSave, onDiscard }: Props) {
  const appBridge = useAppBridgeAvailable();
  const t = useMessages(saveBarMessages);
  if (appBridge && hasAppBridgeElements()) {
    return (
      <SaveBar id={id} open={dirty}>
        <button {...primary} onClick={onSave} disabled={saving}>
          {t("save")}
        </button>
        <button onClick={onDiscard} disabled={saving}>
          {t("discard")}
        </button>
      </SaveBar>
    );
  }
  if (!dirty) return null;
  return (
    <div
      role="region"
      aria-label={t("unsaved")}
      style={{ position: "sticky", top: 0, zIndex: 400 }}
    >
      <Box
        background="bg-fill-inverse"
        paddingBlock="300"
        paddingInline="400"
        borderRadius="200"
        shadow="300"
      >
        <InlineStack align="space-between" blockAlign="center" gap="300">
          <Text as="p" fontWeight="semibold" tone="text-inverse">
            {t("unsaved")}
          </Text>
          <InlineStack gap="200">
            <Button onClick={onDiscard} disabled={saving}>
              {t("discard")}
            </Button>
            <Button variant="primary" onClick={onSave} loading={saving}>
              {t("save")}
            </Button>
          </InlineStack>
        </InlineStack>
      </Box>
    </div>
  );
}
