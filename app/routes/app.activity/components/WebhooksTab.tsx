import {
  Badge,
  BlockStack,
  Button,
  EmptyState,
  IndexTable,
  InlineStack,
  Select,
  Text,
} from "@shopify/polaris";
import { EVENT_STATUSES } from "../../../models/activity";
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

const STATUS_LABEL = {
  received: "Waiting",
  processed: "Processed",
  rejected: "Rejected",
  failed: "Failed",
  ignored: "Ignored",
} as const;

/** The "Webhooks" tab: every webhook Shopify sent, newest first, with how it was handled. */
export function WebhooksTab({
  filters,
  events,
  hasMore,
}: Pick<ActivityData, "filters" | "events" | "hasMore">) {
  const showActivity = useShowActivity();
  const formatTime = useFormatTime();
  return (
    <BlockStack>
      <div style={{ padding: "var(--p-space-400)" }}>
        <InlineStack align="space-between" blockAlign="center">
          <Text as="h2" variant="headingMd">
            Webhooks
          </Text>
          <div style={{ minWidth: 200 }}>
            <Select
              label="Status"
              labelInline
              options={[
                { label: "All", value: "" },
                ...EVENT_STATUSES.map((s) => ({ label: STATUS_LABEL[s], value: s })),
              ]}
              value={filters.status ?? ""}
              onChange={(status) => showActivity({ view: "webhooks", status: status || undefined })}
            />
          </div>
        </InlineStack>
      </div>
      {events.length === 0 ? (
        <EmptyState
          heading={filters.status ? "No webhooks with this status" : "No webhooks yet"}
          image=""
        >
          <p>
            Orders, fulfillments and inventory changes from your store appear here as Shopify sends
            them.
          </p>
        </EmptyState>
      ) : (
        <IndexTable
          resourceName={{ singular: "webhook", plural: "webhooks" }}
          itemCount={events.length}
          selectable={false}
          headings={[
            { title: "What" },
            { title: "Received" },
            { title: "Status" },
            { title: "Details" },
          ]}
        >
          {events.map((event, index) => (
            <IndexTable.Row id={String(event.id)} key={event.id} position={index}>
              <IndexTable.Cell>
                <Text as="span" fontWeight="semibold">
                  {event.line}
                </Text>
              </IndexTable.Cell>
              <IndexTable.Cell>{formatTime(event.receivedAt)}</IndexTable.Cell>
              <IndexTable.Cell>
                <Badge tone={STATUS_TONE[event.status]}>{STATUS_LABEL[event.status]}</Badge>
              </IndexTable.Cell>
              <IndexTable.Cell>
                <BlockStack gap="100">
                  {event.error ? (
                    <Text as="span" tone="critical" breakWord>
                      {event.status === "rejected"
                        ? `Not understood, so nothing was done: ${event.error}`
                        : event.error}
                    </Text>
                  ) : null}
                  <TechnicalDetails id={`webhook-details-${event.id}`}>
                    <Text as="p" variant="bodySm" tone="subdued" breakWord>
                      {event.topic} · webhook {event.webhookId}
                      {event.resourceId ? ` · resource ${event.resourceId}` : ""} · {event.attempts}{" "}
                      {event.attempts === 1 ? "attempt" : "attempts"}
                    </Text>
                  </TechnicalDetails>
                </BlockStack>
              </IndexTable.Cell>
            </IndexTable.Row>
          ))}
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
            Older
          </Button>
        </div>
      ) : null}
    </BlockStack>
  );
}
