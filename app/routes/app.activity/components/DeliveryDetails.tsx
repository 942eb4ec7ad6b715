import { Badge, BlockStack, Box, InlineStack, Text } from "@shopify/polaris";
import { vendorName } from "../../../utils/vendor-names";
import type { DeliveryView } from "../activity.server";

export const DELIVERY_TONE = {
  queued: "info",
  waiting: "warning",
  succeeded: "success",
  dead: "critical",
  dropped: undefined,
} as const;
export const DELIVERY_LABEL = {
  queued: "Queued",
  waiting: "Waiting for a connection",
  succeeded: "Delivered",
  dead: "Failed",
  dropped: "Dropped",
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
  return (
    <Text as="p" variant="bodySm" tone={call.error ? "critical" : "subdued"} breakWord>
      Try {call.attempt}: {call.operation} → {call.httpStatus ?? "no answer"} in {call.latencyMs} ms
      {call.error ? ` — ${call.error}` : ""}
    </Text>
  );
}

/** One delivery's status, vendor answer and every call made; shown under runs and in Deliveries. */
export function DeliveryDetails({ delivery }: { delivery: DeliveryView }) {
  const answer = responseSummary(delivery.response);
  return (
    <BlockStack gap="100">
      <InlineStack gap="200" blockAlign="center">
        <Badge tone={DELIVERY_TONE[delivery.status]}>{DELIVERY_LABEL[delivery.status]}</Badge>
        <Text as="span" variant="bodySm">
          {vendorName(delivery.vendor)} · {delivery.operation} · {delivery.attempts} attempt
          {delivery.attempts === 1 ? "" : "s"}
          {delivery.vendorId ? ` · id ${delivery.vendorId}` : ""}
        </Text>
      </InlineStack>
      {delivery.lastError ? (
        <Text as="p" variant="bodySm" tone="critical" breakWord>
          {delivery.lastError}
        </Text>
      ) : null}
      {answer ? (
        <Text as="p" variant="bodySm" tone="subdued" breakWord>
          Vendor answered: {answer}
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
