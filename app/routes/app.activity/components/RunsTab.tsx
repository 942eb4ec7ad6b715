import { Form } from "@remix-run/react";
import {
  Badge,
  BlockStack,
  Box,
  Button,
  EmptyState,
  InlineGrid,
  InlineStack,
  Select,
  Text,
  TextField,
} from "@shopify/polaris";
import { useState } from "react";
import { RUN_OUTCOMES } from "../../../../db/schema/recipes";
import { SKIPPED_COUNT_CAP } from "../../../models/activity-lines";
import { AppParamsInputs } from "../../../components/AppParamsInputs";
import { RECIPES } from "../../../recipes/registry";
import type { ActivityData } from "../activity.server";
import { useShopTime } from "../../../components/shop-time";
import { recipeTitle } from "../format";
import { useShowActivity } from "../useShowActivity";
import { DeliveryDetails } from "./DeliveryDetails";
import { RetryButton } from "./RetryButton";
import { TechnicalDetails } from "./TechnicalDetails";

type Run = ActivityData["runs"][number];

const OUTCOME_TONE = {
  acted: "success",
  waiting: "critical",
  scheduled: "info",
  skipped: undefined,
  blocked: "warning",
  failed: "critical",
} as const;
const OUTCOME_LABEL = {
  acted: "Acted",
  waiting: "Waiting for a connection",
  scheduled: "Scheduled",
  skipped: "Skipped",
  blocked: "Held back",
  failed: "Failed",
} as const;
const ACTION_LABEL: Record<string, string> = {
  requested: "Requested",
  decided: "Decided",
  "already-requested": "Already sent",
  capped: "Capped",
  suppressed: "Held back",
  skipped: "Skipped",
  waiting: "Waiting",
  dropped: "Dropped",
  "would-request": "Would send",
};

const LINE_TONE = {
  success: undefined,
  info: undefined,
  warning: "caution",
  critical: "critical",
  subdued: "subdued",
} as const;

/** Ids, triggers, timings and every vendor call: what support asks for, not what a merchant reads. */
function RunDetails({ run }: { run: Run }) {
  const time = useShopTime();
  return (
    <BlockStack gap="200">
      <Text as="p" variant="bodySm" tone="subdued" breakWord>
        Run {run.id} · trigger {run.trigger} · {run.subject ?? "no subject"}
        {run.orderId ? ` · order id ${run.orderId}` : ""}
        {run.customerId ? ` · customer id ${run.customerId}` : ""} · {run.durationMs.toFixed(1)} ms
        · {time.dateTime(run.createdAt)}
      </Text>
      {run.reasons.length ? (
        <Text as="p" variant="bodySm" tone="subdued" breakWord>
          Reasons: {run.reasons.join("; ")}
        </Text>
      ) : null}
      {run.scheduled.map((s, i) => (
        <Text key={i} as="p" variant="bodySm" tone="subdued">
          Follow-up {s.name} at {time.dateTime(s.at)}
        </Text>
      ))}
      {run.actions.map((a, i) => (
        <Box key={i} paddingInlineStart="400" borderInlineStartWidth="025" borderColor="border">
          <BlockStack gap="100">
            <InlineStack gap="200" blockAlign="center">
              <Badge>{ACTION_LABEL[a.status] ?? a.status}</Badge>
              <Text as="span" variant="bodySm" breakWord>
                {a.kind} · {a.summary}
              </Text>
            </InlineStack>
            {a.reason ? (
              <Text as="p" variant="bodySm" tone="subdued">
                {a.reason}
              </Text>
            ) : null}
            {a.key ? (
              <Text as="p" variant="bodySm" tone="subdued" breakWord>
                Job {a.key}
              </Text>
            ) : null}
            {a.delivery ? <DeliveryDetails delivery={a.delivery} /> : null}
          </BlockStack>
        </Box>
      ))}
    </BlockStack>
  );
}

function RunRow({ run }: { run: Run }) {
  const time = useShopTime();
  return (
    <Box padding="400" borderBlockEndWidth="025" borderColor="border-secondary">
      <BlockStack gap="150">
        <InlineStack align="space-between" blockAlign="start" gap="200" wrap={false}>
          <BlockStack gap="100">
            <InlineStack gap="200" blockAlign="center">
              <Badge tone={OUTCOME_TONE[run.outcome]}>{OUTCOME_LABEL[run.outcome]}</Badge>
              <Text as="h3" variant="bodyMd" fontWeight="semibold" tone={LINE_TONE[run.line.tone]}>
                {run.line.sentence}
              </Text>
            </InlineStack>
            {run.line.more.map((line, i) => (
              <Text key={i} as="p" variant="bodySm">
                {line}
              </Text>
            ))}
            <Text as="p" variant="bodySm" tone="subdued">
              {[recipeTitle(run.recipeId), run.orderName, run.who, time.ago(run.createdAt)]
                .filter(Boolean)
                .join(" · ")}
            </Text>
          </BlockStack>
          {run.retryId ? <RetryButton id={run.retryId} label={run.line.sentence} /> : null}
        </InlineStack>
        <TechnicalDetails id={`run-details-${run.id}`}>
          <RunDetails run={run} />
        </TechnicalDetails>
      </BlockStack>
    </Box>
  );
}

/** Consecutive runs of one shop day, newest first (the runs come newest first). */
function byDay(runs: Run[]) {
  const groups: { day: string; label: string; runs: Run[] }[] = [];
  for (const run of runs) {
    const last = groups[groups.length - 1];
    if (last?.day === run.day) last.runs.push(run);
    else groups.push({ day: run.day, label: run.dayLabel, runs: [run] });
  }
  return groups;
}

// A plain GET form, so the filters land in the URL (shareable, and the loader reads them there).
function RunFilters({ filters }: { filters: ActivityData["filters"] }) {
  const [customer, setCustomer] = useState(filters.customer ?? "");
  const [order, setOrder] = useState(filters.order ?? "");
  const [recipe, setRecipe] = useState(filters.recipe ?? "");
  const [outcome, setOutcome] = useState<string>(filters.outcome ?? "");
  return (
    <Form method="get" aria-label="Filter runs">
      <AppParamsInputs />
      <input type="hidden" name="view" value="runs" />
      {filters.skipped ? <input type="hidden" name="skipped" value={filters.skipped} /> : null}
      <Box padding="400">
        <InlineGrid columns={{ xs: 1, sm: 2, md: 5 }} gap="300" alignItems="end">
          <Select
            label="Recipe"
            name="recipe"
            options={[
              { label: "All recipes", value: "" },
              ...RECIPES.map((r) => ({ label: r.title, value: r.id })),
            ]}
            value={recipe}
            onChange={setRecipe}
          />
          <Select
            label="Outcome"
            name="outcome"
            options={[
              { label: "All", value: "" },
              ...RUN_OUTCOMES.map((o) => ({ label: OUTCOME_LABEL[o], value: o })),
            ]}
            value={outcome}
            onChange={setOutcome}
          />
          <TextField
            label="Customer"
            name="customer"
            placeholder="Email"
            value={customer}
            onChange={setCustomer}
            autoComplete="off"
          />
          <TextField
            label="Order"
            name="order"
            placeholder="#1042"
            value={order}
            onChange={setOrder}
            autoComplete="off"
          />
          <Button submit>Filter</Button>
        </InlineGrid>
      </Box>
    </Form>
  );
}

const runParams = (filters: ActivityData["filters"]) => ({
  view: "runs",
  recipe: filters.recipe,
  outcome: filters.outcome,
  customer: filters.customer,
  order: filters.order,
  skipped: filters.skipped,
});

/** "12 skipped runs hidden · Show": skipped runs (nothing to do) are counted, not listed. */
function SkippedToggle({
  filters,
  skippedHidden,
}: Pick<ActivityData, "filters" | "skippedHidden">) {
  const showActivity = useShowActivity();
  const shown = filters.skipped === "show";
  if (!shown && skippedHidden === 0) return null;
  return (
    <Box paddingInline="400" paddingBlockEnd="300">
      <InlineStack gap="200" blockAlign="center">
        <Text as="span" tone="subdued">
          {shown
            ? "Skipped runs are shown"
            : `${skippedHidden >= SKIPPED_COUNT_CAP ? `${SKIPPED_COUNT_CAP}+` : skippedHidden} skipped ${skippedHidden === 1 ? "run" : "runs"} hidden`}
        </Text>
        <Text as="span" tone="subdued">
          ·
        </Text>
        <Button
          variant="plain"
          onClick={() =>
            showActivity({ ...runParams(filters), skipped: shown ? undefined : "show" })
          }
        >
          {shown ? "Hide skipped runs" : "Show"}
        </Button>
      </InlineStack>
    </Box>
  );
}

/** The "Recipe runs" tab: one line per run in plain words, by shop day; details for support. */
export function RunsTab({
  filters,
  runs,
  runsHaveMore,
  skippedHidden,
}: Pick<ActivityData, "filters" | "runs" | "runsHaveMore" | "skippedHidden">) {
  const showActivity = useShowActivity();
  const filtered = filters.recipe || filters.outcome || filters.customer || filters.order;
  return (
    <BlockStack>
      <RunFilters filters={filters} />
      <SkippedToggle filters={filters} skippedHidden={skippedHidden} />
      {runs.length === 0 ? (
        <EmptyState
          heading={
            filtered
              ? "No runs match these filters"
              : skippedHidden > 0
                ? "Nothing done yet: every run so far was skipped"
                : "No recipe runs yet"
          }
          image=""
        >
          <p>
            Each time an enabled recipe looks at an event — an order, a late parcel, a ticket — what
            it did and why appears here.
          </p>
        </EmptyState>
      ) : (
        <div aria-label="Recipe runs">
          {byDay(runs).map((group) => (
            <section key={group.day} aria-label={group.label}>
              <Box paddingInline="400" paddingBlock="200" background="bg-surface-secondary">
                <Text as="h2" variant="headingSm">
                  {group.label}
                </Text>
              </Box>
              <div role="list">
                {group.runs.map((run) => (
                  <div role="listitem" key={run.id}>
                    <RunRow run={run} />
                  </div>
                ))}
              </div>
            </section>
          ))}
        </div>
      )}
      {runsHaveMore ? (
        <Box padding="400">
          <Button
            onClick={() =>
              showActivity({
                ...runParams(filters),
                runsBefore: String(runs[runs.length - 1]!.id),
              })
            }
          >
            Older
          </Button>
        </Box>
      ) : null}
    </BlockStack>
  );
}
