import { Button, Collapsible } from "@shopify/polaris";
import { useState, type ReactNode } from "react";

/** "Details for support": ids, vendor calls and timings, closed until asked for. */
export function TechnicalDetails({ id, children }: { id: string; children: ReactNode }) {
  const [open, setOpen] = useState(false);
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
          Details for support
        </Button>
      </div>
      <Collapsible id={id} open={open}>
        <div data-technical-details="">{children}</div>
      </Collapsible>
    </>
  );
}
