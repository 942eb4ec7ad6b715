import { Badge, BlockStack, Box, EmptyState, InlineStack, Select, Text } from "@shopify/polaris";
import type { ActivityData } from "../activity.server";
import { useFormatTime } from "../../../components/shop-time";
import { recipeTitle } from "../format";
import { DELIVERY_STATUSES } from "../query";
import { useShowActivity } from "../useShowActivity";
import { DELIVERY_LABEL, DELIVERY_TONE, DeliveryDetails } from "./DeliveryDetails";
import { RetryButton } from "./RetryButton";
import { TechnicalDetails } from "./TechnicalDetails";

/** The "Deliveries" tab: what recipes asked of Klaviyo, Gorgias and Shopify, with every attempt. */
export function DeliveriesTab({
  filters,
  deliveries,
}: Pick<ActivityData, "filters" | "deliveries">) {
  const showActivity = useShowActivity();
  const formatTime = useFormatTime();
  return (
    <BlockStack>
      <Box padding="400">
        <div style={{ maxWidth: 240 }}>
          <Select
            label="Status"
            labelInline
            options={[
              { label: "All", value: "" },
              ...DELIVERY_STATUSES.map((s) => ({ label: DELIVERY_LABEL[s], value: s })),
            ]}
            value={filters.delivery ?? ""}
            onChange={(value) =>
              showActivity({
                view: "deliveries",
                delivery: value || undefined,
                recipe: filters.recipe,
              })
            }
          />
        </div>
      </Box>
      {deliveries.length === 0 ? (
        <EmptyState heading="No deliveries" image="">
          <p>
            Klaviyo events and lists, Gorgias tickets and Shopify tags that recipes ask for appear
            here with every attempt.
          </p>
        </EmptyState>
      ) : (
        deliveries.map((d) => (
          <Box key={d.id} padding="400" borderBlockEndWidth="025" borderColor="border-secondary">
            <BlockStack gap="150">
              <InlineStack align="space-between" blockAlign="start" gap="200" wrap={false}>
                <BlockStack gap="100">
                  <InlineStack gap="200" blockAlign="center">
                    <Badge tone={DELIVERY_TONE[d.status]}>{DELIVERY_LABEL[d.status]}</Badge>
                    <Text as="h3" variant="bodyMd" fontWeight="semibold">
                      {d.line}
                    </Text>
                  </InlineStack>
                  <Text as="p" variant="bodySm" tone="subdued">
                    {recipeTitle(d.recipe)} · {formatTime(d.createdAt)}
                  </Text>
                </BlockStack>
                {d.deadLetterId ? <RetryButton id={d.deadLetterId} label={d.line} /> : null}
              </InlineStack>
              <TechnicalDetails id={`delivery-details-${d.id}`}>
                <BlockStack gap="100">
                  <Text as="p" variant="bodySm" tone="subdued" breakWord>
                    Delivery {d.id} · {d.source} · job {d.idempotencyKey}
                  </Text>
                  <DeliveryDetails delivery={d} />
                </BlockStack>
              </TechnicalDetails>
            </BlockStack>
          </Box>
        ))
      )}
    </BlockStack>
  );
}
