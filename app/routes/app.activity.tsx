import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useFetcher, useLoaderData, useSearchParams } from "@remix-run/react";
import {
  Badge,
  BlockStack,
  Banner,
  Button,
  Card,
  EmptyState,
  IndexTable,
  InlineStack,
  Layout,
  Page,
  Select,
  Text,
} from "@shopify/polaris";
import { z } from "zod";
import { EVENT_STATUSES } from "../models/activity";
import {
  listDeadLetters,
  listWebhookEvents,
  replayDeadLetter,
  ReplayError,
} from "../models/activity.server";
import { getRuntime } from "../runtime.server";
import { authenticate } from "../shopify.server";

const filtersSchema = z.object({
  status: z.enum(EVENT_STATUSES).optional().catch(undefined),
  topic: z.string().regex(/^[a-z_]+\/[a-z_]+$/).optional().catch(undefined),
  before: z.coerce.number().int().positive().optional().catch(undefined),
});

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const url = new URL(request.url);
  const filters = filtersSchema.parse(Object.fromEntries(url.searchParams));
  const { database } = await getRuntime();
  const [{ events, hasMore }, deadLetters] = await Promise.all([
    listWebhookEvents(database.db, session.shop, filters),
    listDeadLetters(database.db, session.shop),
  ]);
  return {
    filters,
    hasMore,
    events: events.map((e) => ({ ...e, receivedAt: e.receivedAt.toISOString(), processedAt: e.processedAt?.toISOString() ?? null })),
    deadLetters: deadLetters.map((d) => ({ ...d, failedAt: d.failedAt.toISOString() })),
  };
};

const actionSchema = z.object({ intent: z.literal("replay"), id: z.coerce.number().int().positive() });

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const parsed = actionSchema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return { ok: false as const, error: "Unknown request." };
  const runtime = await getRuntime();
  try {
    await replayDeadLetter(runtime.database.db, runtime.queue, session.shop, parsed.data.id);
    return { ok: true as const };
  } catch (error) {
    if (error instanceof ReplayError) return { ok: false as const, error: error.message };
    throw error;
  }
};

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

const formatTime = (iso: string) => new Date(iso).toLocaleString();

function DeadLetterRow({ letter }: { letter: ReturnType<typeof useLoaderData<typeof loader>>["deadLetters"][number] }) {
  const fetcher = useFetcher<typeof action>();
  const busy = fetcher.state !== "idle";
  return (
    <Card>
      <BlockStack gap="200">
        <InlineStack align="space-between" blockAlign="center">
          <InlineStack gap="200" blockAlign="center">
            <Text as="h3" variant="headingSm">
              {letter.task}
            </Text>
            <Badge tone="critical">{letter.errorKind === "terminal" ? "Refused" : `Gave up after ${letter.attempts} tries`}</Badge>
          </InlineStack>
          <fetcher.Form method="post">
            <input type="hidden" name="intent" value="replay" />
            <input type="hidden" name="id" value={letter.id} />
            <Button submit loading={busy} accessibilityLabel={`Retry ${letter.jobKey}`}>
              Retry
            </Button>
          </fetcher.Form>
        </InlineStack>
        <Text as="p" tone="critical">
          {letter.error}
        </Text>
        <Text as="p" variant="bodySm" tone="subdued">
          {letter.jobKey} · failed {formatTime(letter.failedAt)}
        </Text>
        {fetcher.data && !fetcher.data.ok ? <Banner tone="critical">{fetcher.data.error}</Banner> : null}
      </BlockStack>
    </Card>
  );
}

export default function Activity() {
  const { events, deadLetters, filters, hasMore } = useLoaderData<typeof loader>();
  const [, setSearchParams] = useSearchParams();
  const setStatus = (status: string) => setSearchParams(status ? { status } : {});

  return (
    <Page title="Activity" subtitle="Every webhook Shopify sent, what became of it, and jobs that need a hand">
      <Layout>
        {deadLetters.length > 0 ? (
          <Layout.Section>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                Needs attention ({deadLetters.length})
              </Text>
              {deadLetters.map((letter) => (
                <DeadLetterRow key={letter.id} letter={letter} />
              ))}
            </BlockStack>
          </Layout.Section>
        ) : null}
        <Layout.Section>
          <Card padding="0">
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
                      options={[{ label: "All", value: "" }, ...EVENT_STATUSES.map((s) => ({ label: STATUS_LABEL[s], value: s }))]}
                      value={filters.status ?? ""}
                      onChange={setStatus}
                    />
                  </div>
                </InlineStack>
              </div>
              {events.length === 0 ? (
                <EmptyState heading={filters.status ? "No webhooks with this status" : "No webhooks yet"} image="">
                  <p>Orders, fulfillments and inventory changes from your store appear here as Shopify sends them.</p>
                </EmptyState>
              ) : (
                <IndexTable
                  resourceName={{ singular: "webhook", plural: "webhooks" }}
                  itemCount={events.length}
                  selectable={false}
                  headings={[{ title: "Topic" }, { title: "Resource" }, { title: "Received" }, { title: "Status" }, { title: "Details" }]}
                >
                  {events.map((event, index) => (
                    <IndexTable.Row id={String(event.id)} key={event.id} position={index}>
                      <IndexTable.Cell>
                        <Text as="span" fontWeight="semibold">
                          {event.topic}
                        </Text>
                      </IndexTable.Cell>
                      <IndexTable.Cell>{event.resourceName ?? event.resourceId ?? "—"}</IndexTable.Cell>
                      <IndexTable.Cell>{formatTime(event.receivedAt)}</IndexTable.Cell>
                      <IndexTable.Cell>
                        <Badge tone={STATUS_TONE[event.status]}>{STATUS_LABEL[event.status]}</Badge>
                      </IndexTable.Cell>
                      <IndexTable.Cell>
                        <Text as="span" tone={event.error ? "critical" : "subdued"} breakWord>
                          {event.error ?? (event.attempts > 1 ? `${event.attempts} attempts` : "")}
                        </Text>
                      </IndexTable.Cell>
                    </IndexTable.Row>
                  ))}
                </IndexTable>
              )}
              {hasMore ? (
                <div style={{ padding: "var(--p-space-400)" }}>
                  <Button
                    onClick={() =>
                      setSearchParams({
                        ...(filters.status ? { status: filters.status } : {}),
                        before: String(events[events.length - 1]!.id),
                      })
                    }
                  >
                    Older
                  </Button>
                </div>
              ) : null}
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
