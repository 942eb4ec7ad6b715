import { useLocation } from "@remix-run/react";
import { Button } from "@shopify/polaris";
import { useState } from "react";
import { useMessages } from "../../i18n/react";
import { messages } from "./messages";

/**
 * Downloads an export through fetch, not a plain link: inside Shopify Admin, App Bridge adds
 * the session token to the app's own fetches, which a link navigation would not carry.
 */
export function DownloadExportButton({
  exportId,
  customer,
}: {
  exportId: number;
  customer: string;
}) {
  const { search } = useLocation();
  const [busy, setBusy] = useState(false);
  const t = useMessages(messages);
  const [failed, setFailed] = useState(false);
  const url = `/app/privacy/exports/${exportId}/download${search}`;
  const download = async () => {
    setBusy(true);
    setFailed(false);
    try {
      const response = await fetch(url);
      if (!response.ok) throw new Error(`download failed: ${response.status}`);
      const name =
        /filename="([^"]+)"/.exec(response.headers.get("Content-Disposition") ?? "")?.[1] ??
        `data-export-${exportId}.json`;
      const href = URL.createObjectURL(await response.blob());
      const link = document.createElement("a");
      link.href = href;
      link.download = name;
      document.body.append(link);
      link.click();
      link.remove();
      URL.revokeObjectURL(href);
    } catch {
      setFailed(true);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Button
      onClick={download}
      loading={busy}
      tone={failed ? "critical" : undefined}
      accessibilityLabel={t("downloadLabel", { customer })}
    >
      {failed ? t("downloadFailed") : t("download")}
    </Button>
  );
}
