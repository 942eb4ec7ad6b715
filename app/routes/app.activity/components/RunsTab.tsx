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
import type { Translate } from "../../../i18n/messages";
import { useLocale, useMessages } from "../../../i18n/react";
import { recipeText } from "../../../recipes/recipe-text";
import { activityMessages } from "../messages";
import { RUN_OUTCOMES } from "../../../../db/schema/recipes";
import { SKIPPED_COUNT_CAP } from "../../../models/activity-lines";
import { AppParamsInputs } from "../../../components/AppParamsInputs";
import { RECIPES } from "../../../recipes/registry";
import type { ActivityData } from "../activity.server";
import { useShopTime } from "../../../components/shop-time";
import { useRecipeTitle } from "../format";
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
const ACTION_STATUSES = new Set([
  "requested",
  "decided",
  "already-requested",
  "capped",
  "suppressed",
  "skipped",
  "waiting",
  "dropped",
  "would-request",
]);

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
  const t = useMessages(activityMessages);
  return (
    <BlockStack gap="200">
      <Text as="p" variant="bodySm" tone="subdued" breakWord>
        {t("runDetails", {
          id: String(run.id),
          trigger: run.trigger,
          subject: run.subject ?? t("noSubject"),
        })}
        {run.orderId ? t("orderId", { id: run.orderId }) : ""}
        {run.customerId ? t("customerId", { id: run.customerId }) : ""} ·{" "}
        {run.durationMs.toFixed(1)} ms · {time.dateTime(run.createdAt)}
      </Text>
      {run.reasons.length ? (
        <Text as="p" variant="bodySm" tone="subdued" breakWord>
          {t("reasons", { reasons: run.reasons.join("; ") })}
        </Text>
      ) : null}
      {run.scheduled.map((s, i) => (
        <Text key={i} as="p" variant="bodySm" tone="subdued">
          {t("followUp", { name: s.name, at: time.dateTime(s.at) })}
        </Text>
      ))}
      {run.actions.map((a, i) => (
        <Box key={i} paddingInlineStart="400" borderInlineStartWidth="025" borderColor="border">
          <BlockStack gap="100">
            <InlineStack gap="200" blockAlign="center">
              <Badge>
                {ACTION_STATUSES.has(a.status) ? t(`action_${a.status as "requested"}`) : a.status}
              </Badge>
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
                {t("job", { key: a.key })}
              </Text>
            ) : null}
            {a.delivery ? <DeliveryDetails delivery={a.delivery} /> : null}
          </BlockStack>
        </Box>
      ))}
    </BlockStack>
  );
}

/**
 * The run's badge says how far its work got, not only what the recipe decided: a run that acted
 * but whose delivery failed, or is being tried again, is not shown as a success.
 */
function runBadge(run: Run, t: Translate<(typeof activityMessages)["en"]>) {
  const decided = { tone: OUTCOME_TONE[run.outcome], label: t(`outcome_${run.outcome}`) };
  if (run.outcome !== "acted") return decided;
  const deliveries = run.actions.flatMap((a) => (a.delivery ? [a.delivery] : []));
  if (deliveries.some((d) => d.status === "dead"))
    return { tone: "critical" as const, label: t("badge_undelivered") };
  if (deliveries.some((d) => d.status === "queued" && d.lastError))
    return { tone: "warning" as const, label: t("badge_retrying") };
  // Held when its integration was disconnected before it went out.
  if (deliveries.some((d) => d.status === "waiting"))
    return { tone: "warning" as const, label: t("outcome_waiting") };
  return decided;
}

function RunRow({ run }: { run: Run }) {
  const time = useShopTime();
  const t = useMessages(activityMessages);
  const recipeTitle = useRecipeTitle();
  const badge = runBadge(run, t);
  return (
    <Box padding="400" borderBlockEndWidth="025" borderColor="border-secondary">
      <BlockStack gap="150">
        <InlineStack align="space-between" blockAlign="start" gap="200" wrap={false}>
          <BlockStack gap="100">
            <InlineStack gap="200" blockAlign="center">
              <Badge tone={badge.tone}>{badge.label}</Badge>
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
          {run.retryId ? <RetryButton ids={[run.retryId]} label={run.line.sentence} /> : null}
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
  const t = useMessages(activityMessages);
  const locale = useLocale();
  return (
    <Form method="get" aria-label={t("filterRuns")}>
      <AppParamsInputs />
      <input type="hidden" name="view" value="runs" />
      {filters.skipped ? <input type="hidden" name="skipped" value={filters.skipped} /> : null}
      <Box padding="400">
        <InlineGrid columns={{ xs: 1, sm: 2, md: 5 }} gap="300" alignItems="end">
          <Select
            label={t("recipe")}
            name="recipe"
            options={[
              { label: t("allRecipes"), value: "" },
              ...RECIPES.map((r) => ({ label: recipeText(r, locale).title, value: r.id })),
            ]}
            value={recipe}
            onChange={setRecipe}
          />
          <Select
            label={t("outcome")}
            name="outcome"
            options={[
              { label: t("all"), value: "" },
              ...RUN_OUTCOMES.map((o) => ({ label: t(`outcome_${o}`), value: o })),
            ]}
            value={outcome}
            onChange={setOutcome}
          />
          <TextField
            label={t("customer")}
            name="customer"
            placeholder={t("email")}
            value={customer}
            onChange={setCustomer}
            autoComplete="off"
          />
          <TextField
            label={t("order")}
            name="order"
            placeholder="#1042"
            value={order}
            onChange={setOrder}
            autoComplete="off"
          />
          <Button submit>{t("filter")}</Button>
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
  const t = useMessages(activityMessages);
  const shown = filters.skipped === "show";
  if (!shown && skippedHidden === 0) return null;
  return (
    <Box paddingInline="400" paddingBlockEnd="300">
      <InlineStack gap="200" blockAlign="center">
        <Text as="span" tone="subdued">
          {shown
            ? t("skippedShown")
            : skippedHidden >= SKIPPED_COUNT_CAP
              ? t("skippedHiddenMany", { count: SKIPPED_COUNT_CAP })
              : t("skippedHidden", { count: skippedHidden })}
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
          {shown ? t("hideSkipped") : t("show")}
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
  const t = useMessages(activityMessages);
  const filtered = filters.recipe || filters.outcome || filters.customer || filters.order;
  return (
    <BlockStack>
      <RunFilters filters={filters} />
      <SkippedToggle filters={filters} skippedHidden={skippedHidden} />
      {runs.length === 0 ? (
        <EmptyState
          heading={
            filtered ? t("noMatchingRuns") : skippedHidden > 0 ? t("allSkipped") : t("noRuns")
          }
          image=""
        >
          <p>{t("runsHelp")}</p>
        </EmptyState>
      ) : (
        <div aria-label={t("tabRuns")}>
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
            {t("older")}
          </Button>
        </Box>
      ) : null}
    </BlockStack>
  );
}
