import { Button, Collapsible } from "@shopify/polaris";
import { useState, type ReactNode } from "react";
import { useMessages } from "../../../i18n/react";
import { activityMessages } from "../messages";

/** "Details for support": ids, vendor calls and timings, closed until asked for. */
export function TechnicalDetails({ id, children }: { id: string; children: ReactNode }) {
  const [open, setOpen] = useState(false);
  const t = useMessages(activityMessages);
  return (
    <>
      <div>
        <Button
          variant="plain"
          disclosure={open ? "up" : "down"}
          ariaExpanded={open}
          ariaControls={id}
          onClick={() => setOpen((o) => !o)}
        >
          {t("detailsForSupport")}
        </Button>
      </div>
      <Collapsible id={id} open={open}>
        <div data-technical-details="">{children}</div>
      </Collapsible>
    </>
  );
}
