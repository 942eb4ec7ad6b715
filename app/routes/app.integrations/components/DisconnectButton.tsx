import { Button, Modal, Text } from "@shopify/polaris";
import { useState } from "react";
import { useMessages } from "../../../i18n/react";
import { messages } from "../messages";
import type { ConnectionForm } from "./ConnectionCard";

/**
 * Disconnect, after a confirmation that says what stops and that its work will wait (the
 * loader's `disconnectWarning`). The action refuses a disconnect sent without `confirmed`.
 */
export function DisconnectButton({
  vendor,
  intent,
  warning,
  form,
}: {
  /** As the merchant knows it: "Klaviyo". */
  vendor: string;
  intent: "klaviyo-disconnect" | "gorgias-disconnect";
  warning: string;
  form: ConnectionForm;
}) {
  const [open, setOpen] = useState(false);
  const t = useMessages(messages);
  return (
    <>
      <Button
        tone="critical"
        variant="secondary"
        onClick={() => setOpen(true)}
        loading={form.pending(intent)}
        disabled={form.busy}
      >
        {t("disconnect")}
      </Button>
      <Modal
        open={open}
        onClose={() => setOpen(false)}
        title={t("disconnectTitle", { vendor })}
        primaryAction={{
          content: t("disconnectVendor", { vendor }),
          destructive: true,
          onAction: () => {
            setOpen(false);
            form.submit(intent, { confirmed: "yes" });
          },
        }}
        secondaryActions={[{ content: t("keepConnected"), onAction: () => setOpen(false) }]}
      >
        <Modal.Section>
          <Text as="p">{warning}</Text>
        </Modal.Section>
      </Modal>
    </>
  );
}
