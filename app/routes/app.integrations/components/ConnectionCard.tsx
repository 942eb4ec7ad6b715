import { useFetcher } from "@remix-run/react";
import { Badge, Banner, BlockStack, Card, InlineStack, Text } from "@shopify/polaris";
import type { ReactNode } from "react";
import { useMessages } from "../../../i18n/react";
import type { IntegrationView } from "../../../models/integrations.server";
import type { VendorTrouble } from "../../../models/vendor-trouble.server";
import { useShopTime } from "../../../components/shop-time";
import { messages } from "../messages";
import type { ActionResult, FieldErrors } from "../validator";
import { useResultToast } from "../../../components/useFetcherResult";

export type ConnectionForm = ReturnType<typeof useConnectionForm>;

/** One vendor card's submissions: which intent is in flight, the result and its field errors. */
export function useConnectionForm() {
  const fetcher = useFetcher<ActionResult>();
  const result = fetcher.data;
  useResultToast(result);
  const busy = fetcher.state !== "idle";
  return {
    busy,
    /** True while this intent is being submitted (its button shows a spinner). */
    pending: (intent: string) => busy && fetcher.formData?.get("intent") === intent,
    result,
    errors: (result && !result.ok ? (result.errors ?? {}) : {}) as FieldErrors,
    submit: (intent: string, fields: Record<string, string> = {}) =>
      fetcher.submit({ intent, ...fields }, { method: "post" }),
  };
}

/**
 * The frame every vendor card shares: name and connection badge, what the vendor is for, the
 * last action's outcome; the card's own content (details or the connect form) below.
 */
export function ConnectionCard({
  title,
  description,
  connection,
  form,
  children,
}: {
  title: string;
  description: ReactNode;
  connection: (IntegrationView & { trouble?: VendorTrouble | null }) | null;
  form: ConnectionForm;
  children: ReactNode;
}) {
  const t = useMessages(messages);
  const time = useShopTime();
  // Connected but failing now (its latest calls in the last hour failed): not an all-clear.
  const trouble = connection?.status === "connected" ? (connection.trouble ?? null) : null;
  return (
    <Card>
      <BlockStack gap="400">
        <InlineStack align="space-between" blockAlign="center">
          <Text as="h2" variant="headingMd">
            {title}
          </Text>
          {connection ? (
            <Badge
              tone={
                connection.status !== "connected" ? "critical" : trouble ? "warning" : "success"
              }
            >
              {connection.status !== "connected"
                ? t("needsAttention")
                : trouble
                  ? t("failingNow")
                  : t("connected")}
            </Badge>
          ) : (
            <Badge>{t("notConnected")}</Badge>
          )}
        </InlineStack>
        <Text as="p" tone="subdued">
          {description}
        </Text>
        {form.result?.ok && form.result.message ? (
          <Banner tone="success">{form.result.message}</Banner>
        ) : null}
        {form.errors.form ? <Banner tone="critical">{form.errors.form}</Banner> : null}
        {trouble ? (
          <Banner tone="warning">
            {t("troubleText", {
              vendor: title,
              failed: trouble.failed,
              calls: trouble.calls,
              ago: time.ago(trouble.lastFailureAt),
            })}
          </Banner>
        ) : null}
        {children}
      </BlockStack>
    </Card>
  );
}
