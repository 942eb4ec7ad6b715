import { Badge, BlockStack, Box, InlineStack, Text } from "@shopify/polaris";
import { vendorName } from "../../../utils/vendor-names";
import { useMessages } from "../../../i18n/react";
import type { DeliveryView } from "../activity.server";
import { activityMessages } from "../messages";

export const DELIVERY_TONE = {
  queued: "info",
  waiting: "warning",
  succeeded: "success",
  dead: "critical",
  dropped: undefined,
} as const;

/** The vendor's answer in one line, "key: value, …"; null when it said nothing. */
function responseSummary(response: unknown): string | null {
  if (!response || typeof response !== "object") return null;
  return Object.entries(response as Record<string, unknown>)
    .map(([k, v]) => `${k}: ${typeof v === "object" ? JSON.stringify(v) : String(v)}`)
    .join(", ");
}

/** One call to the vendor: its answer, how long it took, what went wrong. */
function CallLine({ call }: { call: DeliveryView["calls"][number] }) {
  const t = useMessages(activityMessages);
  return (
    <Text as="p" variant="bodySm" tone={call.error ? "critical" : "subdued"} breakWord>
      {t("call", {
        attempt: String(call.attempt),
        operation: call.operation,
        status: call.httpStatus === null ? t("noAnswer") : String(call.httpStatus),
        ms: String(call.latencyMs),
      })}
      {call.error ? ` — ${call.error}` : ""}
    </Text>
  );
}

/** One delivery's status, vendor answer and every call made; shown under runs and in Deliveries. */
export function DeliveryDetails({ delivery }: { delivery: DeliveryView }) {
  const answer = responseSummary(delivery.response);
  const t = useMessages(activityMessages);
  return (
    <BlockStack gap="100">
      <InlineStack gap="200" blockAlign="center">
        <Badge tone={DELIVERY_TONE[delivery.status]}>{t(`delivery_${delivery.status}`)}</Badge>
        <Text as="span" variant="bodySm">
          {vendorName(delivery.vendor)} · {delivery.operation} ·{" "}
          {t("attempts", { count: delivery.attempts })}
          {delivery.vendorId ? t("vendorId", { id: delivery.vendorId }) : ""}
        </Text>
      </InlineStack>
      {delivery.lastError ? (
        <Text as="p" variant="bodySm" tone="critical" breakWord>
          {delivery.lastError}
        </Text>
      ) : null}
      {answer ? (
        <Text as="p" variant="bodySm" tone="subdued" breakWord>
          {t("vendorAnswered", { answer })}
        </Text>
      ) : null}
      {delivery.calls.length ? (
        <Box paddingInlineStart="300">
          <BlockStack gap="050">
            {delivery.calls.map((call, i) => (
              <CallLine key={i} call={call} />
            ))}
          </BlockStack>
        </Box>
      ) : null}
    </BlockStack>
  );
}
