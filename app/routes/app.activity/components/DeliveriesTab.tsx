import { BlockStack, Box, EmptyState, InlineStack, Select, Text } from "@shopify/polaris";
import type { ActivityData } from "../activity.server";
import { useFormatTime } from "../../../components/shop-time";
import { recipeTitle } from "../format";
import { DELIVERY_STATUSES } from "../query";
import { useShowActivity } from "../useShowActivity";
import { DELIVERY_LABEL, DeliveryDetails } from "./DeliveryDetails";

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
            <BlockStack gap="100">
              <InlineStack align="space-between">
                <Text as="h3" variant="headingSm">
                  {recipeTitle(d.recipe)} · {d.source}
                </Text>
                <Text as="span" variant="bodySm" tone="subdued">
                  {formatTime(d.createdAt)}
                </Text>
              </InlineStack>
              <DeliveryDetails delivery={d} />
            </BlockStack>
          </Box>
        ))
      )}
    </BlockStack>
  );
}
