import {
  Badge,
  BlockStack,
  Button,
  EmptyState,
  IndexTable,
  InlineStack,
  Select,
  useBreakpoints,
  Text,
} from "@shopify/polaris";
import { useMessages } from "../../../i18n/react";
import { EVENT_STATUSES } from "../../../models/activity";
import { activityMessages } from "../messages";
import type { ActivityData } from "../activity.server";
import { useFormatTime } from "../../../components/shop-time";
import { useShowActivity } from "../useShowActivity";
import { TechnicalDetails } from "./TechnicalDetails";

const STATUS_TONE = {
  received: "info",
  processed: "success",
  rejected: "critical",
  failed: "critical",
  ignored: undefined,
} as const;

/** The "Webhooks" tab: every webhook Shopify sent, newest first, with how it was handled. */
export function WebhooksTab({
  filters,
  events,
  hasMore,
}: Pick<ActivityData, "filters" | "events" | "hasMore">) {
  const showActivity = useShowActivity();
  const formatTime = useFormatTime();
  const t = useMessages(activityMessages);
  const condensed = useBreakpoints().smDown;
  return (
    <BlockStack>
      <div style={{ padding: "var(--p-space-400)" }}>
        <InlineStack align="space-between" blockAlign="center">
          <Text as="h2" variant="headingMd">
            {t("webhooks")}
          </Text>
          <div style={{ minWidth: 200 }}>
            <Select
              label={t("status")}
              labelInline
              options={[
                { label: t("all"), value: "" },
                ...EVENT_STATUSES.map((s) => ({ label: t(`webhookStatus_${s}`), value: s })),
              ]}
              value={filters.status ?? ""}
              onChange={(status) => showActivity({ view: "webhooks", status: status || undefined })}
            />
          </div>
        </InlineStack>
      </div>
      {events.length === 0 ? (
        <EmptyState heading={filters.status ? t("noWebhooksWithStatus") : t("noWebhooks")} image="">
          <p>{t("webhooksHelp")}</p>
        </EmptyState>
      ) : (
        <IndexTable
          resourceName={{ singular: t("webhookSingular"), plural: t("webhookPlural") }}
          itemCount={events.length}
          selectable={false}
          condensed={condensed}
          headings={[
            { title: t("what") },
            { title: t("received") },
            { title: t("status") },
            { title: t("details") },
          ]}
        >
          {events.map((event, index) => {
            const what = (
              <Text as="span" fontWeight="semibold" breakWord>
                {event.line}
              </Text>
            );
            const status = (
              <Badge tone={STATUS_TONE[event.status]}>{t(`webhookStatus_${event.status}`)}</Badge>
            );
            const details = (
              <BlockStack gap="100">
                {event.error ? (
                  <Text as="span" tone="critical" breakWord>
                    {/* What Shopify sent that could not be read is for support, in the details. */}
                    {event.status === "rejected" ? t("notUnderstood") : event.error}
                  </Text>
                ) : null}
                <TechnicalDetails id={`webhook-details-${event.id}`}>
                  <Text as="p" variant="bodySm" tone="subdued" breakWord>
                    {t("webhookDetails", { topic: event.topic, id: String(event.webhookId) })}
                    {event.resourceId
                      ? t("resourceId", { id: String(event.resourceId) })
                      : ""} · {t("attempts", { count: event.attempts })}
                  </Text>
                  {event.status === "rejected" && event.error ? (
                    <Text as="p" variant="bodySm" tone="subdued" breakWord>
                      {event.error}
                    </Text>
                  ) : null}
                </TechnicalDetails>
              </BlockStack>
            );
            return (
              <IndexTable.Row id={String(event.id)} key={event.id} position={index}>
                {condensed ? (
                  // A phone: one stacked row per webhook instead of four squeezed columns (a
                  // condensed table's rows are list items, so no table cells).
                  <div style={{ padding: "var(--p-space-300) var(--p-space-400)" }}>
                    <BlockStack gap="150">
                      {what}
                      <InlineStack gap="200" blockAlign="center">
                        {status}
                        <Text as="span" variant="bodySm" tone="subdued">
                          {formatTime(event.receivedAt)}
                        </Text>
                      </InlineStack>
                      {details}
                    </BlockStack>
                  </div>
                ) : (
                  <>
                    <IndexTable.Cell>{what}</IndexTable.Cell>
                    <IndexTable.Cell>{formatTime(event.receivedAt)}</IndexTable.Cell>
                    <IndexTable.Cell>{status}</IndexTable.Cell>
                    <IndexTable.Cell>{details}</IndexTable.Cell>
                  </>
                )}
              </IndexTable.Row>
            );
          })}
        </IndexTable>
      )}
      {hasMore ? (
        <div style={{ padding: "var(--p-space-400)" }}>
          <Button
            onClick={() =>
              showActivity({
                view: "webhooks",
                status: filters.status,
                before: String(events[events.length - 1]!.id),
              })
            }
          >
            {t("older")}
          </Button>
        </div>
      ) : null}
    </BlockStack>
  );
}
