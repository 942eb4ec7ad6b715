import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useFetcher, useLoaderData, useNavigate } from "@remix-run/react";
import {
  Badge,
  BlockStack,
  Banner,
  Box,
  Button,
  Card,
  EmptyState,
  IndexTable,
  InlineGrid,
  InlineStack,
  Layout,
  Page,
  Select,
  Tabs,
  Text,
  TextField,
} from "@shopify/polaris";
import { useState } from "react";
import { z } from "zod";
import { RUN_OUTCOMES } from "../../db/schema/recipes";
import { AppParamsInputs } from "../components/AppParamsInputs";
import { useAppPath } from "../components/useAppPath";
import { EVENT_STATUSES } from "../models/activity";
import {
  listDeadLetters,
  listWebhookEvents,
  replayDeadLetter,
  ReplayError,
} from "../models/activity.server";
import { deliveriesWithAttempts, listRuns } from "../models/recipe-activity.server";
import { RECIPES } from "../recipes/registry";
import { getRuntime } from "../runtime.server";
import { authenticate } from "../shopify.server";

const VIEWS = ["runs", "deliveries", "webhooks"] as const;
const DELIVERY_STATUSES = ["queued", "succeeded", "dead"] as const;
const optionalText = z.string().trim().min(1).max(200).optional().catch(undefined);

const filtersSchema = z.object({
  view: z.enum(VIEWS).optional().catch(undefined),
  /** Webhook status (kept as `status` for links made before runs were listed here). */
  status: z.enum(EVENT_STATUSES).optional().catch(undefined),
  topic: z.string().regex(/^[a-z_]+\/[a-z_]+$/).optional().catch(undefined),
  before: z.coerce.number().int().positive().optional().catch(undefined),
  recipe: z.string().regex(/^[a-z0-9-]+$/).optional().catch(undefined),
  outcome: z.enum(RUN_OUTCOMES).optional().catch(undefined),
  customer: optionalText,
  order: optionalText,
  delivery: z.enum(DELIVERY_STATUSES).optional().catch(undefined),
  runsBefore: z.coerce.number().int().positive().optional().catch(undefined),
});

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const url = new URL(request.url);
  const filters = filtersSchema.parse(Object.fromEntries(url.searchParams));
  const { database } = await getRuntime();
  const shop = session.shop;
  const [{ events, hasMore }, deadLetters, runs, deliveries] = await Promise.all([
    listWebhookEvents(database.db, shop, filters),
    listDeadLetters(database.db, shop),
    listRuns(database.db, shop, { recipe: filters.recipe, outcome: filters.outcome, customer: filters.customer, order: filters.order, before: filters.runsBefore }),
    deliveriesWithAttempts(database.db, shop, { status: filters.delivery, recipe: filters.recipe, limit: 50 }),
  ]);
  const deliveryView = (d: Awaited<ReturnType<typeof deliveriesWithAttempts>>[number]) => ({
    ...d,
    createdAt: d.createdAt.toISOString(),
    completedAt: iso(d.completedAt),
    calls: d.calls.map((c) => ({ ...c, at: c.at.toISOString() })),
  });
  return {
    filters,
    hasMore,
    events: events.map((e) => ({ ...e, receivedAt: e.receivedAt.toISOString(), processedAt: e.processedAt?.toISOString() ?? null })),
    deadLetters: deadLetters.map((d) => ({ ...d, failedAt: d.failedAt.toISOString() })),
    runs: runs.runs.map((r) => ({
      id: r.id,
      recipeId: r.recipeId,
      trigger: r.trigger,
      subject: r.subject,
      orderId: r.orderId,
      customerId: r.customerId,
      outcome: r.outcome,
      reasons: r.reasons,
      scheduled: r.scheduled,
      durationMs: r.durationMs,
      createdAt: r.createdAt.toISOString(),
      actions: r.actions.map((a) => ({ ...a, delivery: a.delivery ? deliveryView(a.delivery) : null })),
    })),
    runsHaveMore: runs.hasMore,
    deliveries: deliveries.map(deliveryView),
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

type Data = ReturnType<typeof useLoaderData<typeof loader>>;

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

const OUTCOME_TONE = { acted: "success", scheduled: "info", skipped: undefined, blocked: "warning", failed: "critical" } as const;
const OUTCOME_LABEL = { acted: "Acted", scheduled: "Scheduled", skipped: "Skipped", blocked: "Held back", failed: "Failed" } as const;
const ACTION_LABEL: Record<string, string> = {
  requested: "Requested",
  decided: "Decided",
  "already-requested": "Already sent",
  capped: "Capped",
  suppressed: "Held back",
  skipped: "Skipped",
  "would-request": "Would send",
};
const DELIVERY_TONE = { queued: "info", succeeded: "success", dead: "critical" } as const;
const DELIVERY_LABEL = { queued: "Queued", succeeded: "Delivered", dead: "Failed" } as const;
const VENDOR_LABEL: Record<string, string> = { klaviyo: "Klaviyo", gorgias: "Gorgias", shopify: "Shopify" };

const recipeTitle = (id: string) => RECIPES.find((r) => r.id === id)?.title ?? id;
const formatTime = (value: string) => new Date(value).toLocaleString();

function DeadLetterRow({ letter }: { letter: Data["deadLetters"][number] }) {
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

type DeliveryView = Data["deliveries"][number];

function responseSummary(response: unknown): string | null {
  if (!response || typeof response !== "object") return null;
  return Object.entries(response as Record<string, unknown>)
    .map(([k, v]) => `${k}: ${typeof v === "object" ? JSON.stringify(v) : String(v)}`)
    .join(", ");
}

function DeliveryDetails({ delivery }: { delivery: DeliveryView }) {
  const answer = responseSummary(delivery.response);
  return (
    <BlockStack gap="100">
      <InlineStack gap="200" blockAlign="center">
        <Badge tone={DELIVERY_TONE[delivery.status]}>{DELIVERY_LABEL[delivery.status]}</Badge>
        <Text as="span" variant="bodySm">
          {VENDOR_LABEL[delivery.vendor] ?? delivery.vendor} · {delivery.operation} · {delivery.attempts} attempt{delivery.attempts === 1 ? "" : "s"}
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
              <Text key={i} as="p" variant="bodySm" tone={call.error ? "critical" : "subdued"} breakWord>
                Try {call.attempt}: {call.operation} → {call.httpStatus ?? "no answer"} in {call.latencyMs} ms{call.error ? ` — ${call.error}` : ""}
              </Text>
            ))}
          </BlockStack>
        </Box>
      ) : null}
    </BlockStack>
  );
}

function RunRow({ run }: { run: Data["runs"][number] }) {
  return (
    <Box padding="400" borderBlockEndWidth="025" borderColor="border-secondary">
      <BlockStack gap="200">
        <InlineStack align="space-between" blockAlign="center" gap="200">
          <InlineStack gap="200" blockAlign="center">
            <Badge tone={OUTCOME_TONE[run.outcome]}>{OUTCOME_LABEL[run.outcome]}</Badge>
            <Text as="h3" variant="headingSm">
              {recipeTitle(run.recipeId)}
            </Text>
            <Text as="span">{run.subject ?? ""}</Text>
          </InlineStack>
          <Text as="span" variant="bodySm" tone="subdued">
            {run.trigger} · {formatTime(run.createdAt)} · {run.durationMs.toFixed(1)} ms
          </Text>
        </InlineStack>
        {run.reasons.length ? (
          <Text as="p" variant="bodySm" tone={run.outcome === "failed" ? "critical" : "subdued"}>
            {run.reasons.join("; ")}
          </Text>
        ) : null}
        {run.scheduled.map((s, i) => (
          <Text key={i} as="p" variant="bodySm">
            Scheduled {s.name} for {formatTime(s.at)}
          </Text>
        ))}
        {run.actions.length ? (
          <BlockStack gap="200">
            {run.actions.map((a, i) => (
              <Box key={i} paddingInlineStart="400" borderInlineStartWidth="025" borderColor="border">
                <BlockStack gap="100">
                  <InlineStack gap="200" blockAlign="center">
                    <Badge tone={a.status === "requested" || a.status === "decided" ? "success" : a.status === "already-requested" ? undefined : "warning"}>{ACTION_LABEL[a.status] ?? a.status}</Badge>
                    <Text as="span">{a.summary}</Text>
                  </InlineStack>
                  {a.reason ? (
                    <Text as="p" variant="bodySm" tone="caution">
                      {a.reason}
                    </Text>
                  ) : null}
                  {a.delivery ? <DeliveryDetails delivery={a.delivery} /> : null}
                </BlockStack>
              </Box>
            ))}
          </BlockStack>
        ) : null}
      </BlockStack>
    </Box>
  );
}

function RunFilters({ filters }: { filters: Data["filters"] }) {
  const [customer, setCustomer] = useState(filters.customer ?? "");
  const [order, setOrder] = useState(filters.order ?? "");
  const [recipe, setRecipe] = useState(filters.recipe ?? "");
  const [outcome, setOutcome] = useState<string>(filters.outcome ?? "");
  return (
    <Form method="get" aria-label="Filter runs">
      <AppParamsInputs />
      <input type="hidden" name="view" value="runs" />
      <Box padding="400">
        <InlineGrid columns={{ xs: 1, sm: 2, md: 5 }} gap="300" alignItems="end">
          <Select label="Recipe" name="recipe" options={[{ label: "All recipes", value: "" }, ...RECIPES.map((r) => ({ label: r.title, value: r.id }))]} value={recipe} onChange={setRecipe} />
          <Select label="Outcome" name="outcome" options={[{ label: "All", value: "" }, ...RUN_OUTCOMES.map((o) => ({ label: OUTCOME_LABEL[o], value: o }))]} value={outcome} onChange={setOutcome} />
          <TextField label="Customer" name="customer" placeholder="Email or customer id" value={customer} onChange={setCustomer} autoComplete="off" />
          <TextField label="Order" name="order" placeholder="#1042" value={order} onChange={setOrder} autoComplete="off" />
          <Button submit>Filter</Button>
        </InlineGrid>
      </Box>
    </Form>
  );
}

export default function Activity() {
  const { events, deadLetters, filters, hasMore, runs, runsHaveMore, deliveries } = useLoaderData<typeof loader>();
  const navigate = useNavigate();
  const appPath = useAppPath();
  const view = filters.view ?? (filters.status || filters.topic || filters.before ? "webhooks" : "runs");
  const go = (params: Record<string, string | undefined>) => {
    const next = new URLSearchParams();
    for (const [key, value] of Object.entries(params)) if (value) next.set(key, value);
    navigate(appPath(`/app/activity?${next}`));
  };
  const tabs = [
    { id: "runs", content: "Recipe runs" },
    { id: "deliveries", content: "Deliveries" },
    { id: "webhooks", content: "Webhooks" },
  ];

  return (
    <Page title="Activity" subtitle="What every recipe decided and why, what was delivered to Klaviyo, Gorgias and Shopify, and every webhook">
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
            <Tabs tabs={tabs} selected={VIEWS.indexOf(view)} onSelect={(index) => go({ view: VIEWS[index] })}>
              {view === "runs" ? (
                <BlockStack>
                  <RunFilters filters={filters} />
                  {runs.length === 0 ? (
                    <EmptyState heading={filters.recipe || filters.outcome || filters.customer || filters.order ? "No runs match these filters" : "No recipe runs yet"} image="">
                      <p>Each time an enabled recipe looks at an event — an order, a late parcel, a ticket — its decision and reasons appear here.</p>
                    </EmptyState>
                  ) : (
                    <div aria-label="Recipe runs" role="list">
                      {runs.map((run) => (
                        <div role="listitem" key={run.id}>
                          <RunRow run={run} />
                        </div>
                      ))}
                    </div>
                  )}
                  {runsHaveMore ? (
                    <Box padding="400">
                      <Button onClick={() => go({ view: "runs", recipe: filters.recipe, outcome: filters.outcome, customer: filters.customer, order: filters.order, runsBefore: String(runs[runs.length - 1]!.id) })}>Older</Button>
                    </Box>
                  ) : null}
                </BlockStack>
              ) : null}
              {view === "deliveries" ? (
                <BlockStack>
                  <Box padding="400">
                    <div style={{ maxWidth: 240 }}>
                      <Select
                        label="Status"
                        labelInline
                        options={[{ label: "All", value: "" }, ...DELIVERY_STATUSES.map((s) => ({ label: DELIVERY_LABEL[s], value: s }))]}
                        value={filters.delivery ?? ""}
                        onChange={(value) => go({ view: "deliveries", delivery: value || undefined, recipe: filters.recipe })}
                      />
                    </div>
                  </Box>
                  {deliveries.length === 0 ? (
                    <EmptyState heading="No deliveries" image="">
                      <p>Klaviyo events and lists, Gorgias tickets and Shopify tags that recipes ask for appear here with every attempt.</p>
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
              ) : null}
              {view === "webhooks" ? (
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
                          onChange={(status) => go({ view: "webhooks", status: status || undefined })}
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
                      <Button onClick={() => go({ view: "webhooks", status: filters.status, before: String(events[events.length - 1]!.id) })}>Older</Button>
                    </div>
                  ) : null}
                </BlockStack>
              ) : null}
            </Tabs>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
