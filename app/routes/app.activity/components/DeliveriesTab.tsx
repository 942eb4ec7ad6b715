import { Badge, BlockStack, Box, EmptyState, InlineStack, Select, Text } from "@shopify/polaris";
import type { ActivityData } from "../activity.server";
import { useFormatTime } from "../../../components/shop-time";
import { useMessages } from "../../../i18n/react";
import { useRecipeTitle } from "../format";
import { activityMessages } from "../messages";
import { DELIVERY_STATUSES } from "../query";
import { useShowActivity } from "../useShowActivity";
import { DELIVERY_TONE, DeliveryDetails } from "./DeliveryDetails";
import { RetryButton } from "./RetryButton";
import { TechnicalDetails } from "./TechnicalDetails";

/** The "Deliveries" tab: what recipes asked of Klaviyo, Gorgias and Shopify, with every attempt. */
export function DeliveriesTab({
  filters,
  deliveries,
}: Pick<ActivityData, "filters" | "deliveries">) {
  const showActivity = useShowActivity();
  const formatTime = useFormatTime();
  const t = useMessages(activityMessages);
  const recipeTitle = useRecipeTitle();
  return (
    <BlockStack>
      <Box padding="400">
        <div style={{ maxWidth: 240 }}>
          <Select
            label={t("status")}
            labelInline
            options={[
              { label: t("all"), value: "" },
              ...DELIVERY_STATUSES.map((s) => ({ label: t(`delivery_${s}`), value: s })),
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
        <EmptyState heading={t("noDeliveries")} image="">
          <p>{t("deliveriesHelp")}</p>
        </EmptyState>
      ) : (
        deliveries.map((d) => (
          <Box key={d.id} padding="400" borderBlockEndWidth="025" borderColor="border-secondary">
            <BlockStack gap="150">
              <InlineStack align="space-between" blockAlign="start" gap="200" wrap={false}>
                <BlockStack gap="100">
                  <InlineStack gap="200" blockAlign="center">
                    <Badge tone={DELIVERY_TONE[d.status]}>{t(`delivery_${d.status}`)}</Badge>
                    <Text as="h3" variant="bodyMd" fontWeight="semibold">
                      {d.line}
                    </Text>
                  </InlineStack>
                  <Text as="p" variant="bodySm" tone="subdued">
                    {recipeTitle(d.recipe)} · {formatTime(d.createdAt)}
                  </Text>
                </BlockStack>
                {d.deadLetterId ? <RetryButton ids={[d.deadLetterId]} label={d.line} /> : null}
              </InlineStack>
              <TechnicalDetails id={`delivery-details-${d.id}`}>
                <BlockStack gap="100">
                  <Text as="p" variant="bodySm" tone="subdued" breakWord>
                    {t("deliveryDetails", {
                      id: String(d.id),
                      source: d.source,
                      key: d.idempotencyKey,
                    })}
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
