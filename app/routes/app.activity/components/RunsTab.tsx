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
import { AppParamsInputs } from "../../../components/AppParamsInputs";
import { RECIPES } from "../../../recipes/registry";
import type { ActivityData } from "../activity.server";
import { useShopTime } from "../../../components/shop-time";
import { recipeTitle } from "../format";
import { useShowActivity } from "../useShowActivity";
import { DeliveryDetails } from "./DeliveryDetails";

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

function RunRow({ run }: { run: Run }) {
  const time = useShopTime();
  const formatTime = time.ago;
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
            Scheduled {s.name} for {time.dateTime(s.at)}
          </Text>
        ))}
        {run.actions.length ? (
          <BlockStack gap="200">
            {run.actions.map((a, i) => (
              <Box
                key={i}
                paddingInlineStart="400"
                borderInlineStartWidth="025"
                borderColor="border"
              >
                <BlockStack gap="100">
                  <InlineStack gap="200" blockAlign="center">
                    <Badge
                      tone={
                        a.status === "requested" || a.status === "decided"
                          ? "success"
                          : a.status === "already-requested"
                            ? undefined
                            : "warning"
                      }
                    >
                      {ACTION_LABEL[a.status] ?? a.status}
                    </Badge>
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
            placeholder="Email or customer id"
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

/** The "Recipe runs" tab: what each recipe decided and why, with its actions' deliveries. */
export function RunsTab({
  filters,
  runs,
  runsHaveMore,
}: Pick<ActivityData, "filters" | "runs" | "runsHaveMore">) {
  const showActivity = useShowActivity();
  const filtered = filters.recipe || filters.outcome || filters.customer || filters.order;
  return (
    <BlockStack>
      <RunFilters filters={filters} />
      {runs.length === 0 ? (
        <EmptyState
          heading={filtered ? "No runs match these filters" : "No recipe runs yet"}
          image=""
        >
          <p>
            Each time an enabled recipe looks at an event — an order, a late parcel, a ticket — its
            decision and reasons appear here.
          </p>
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
          <Button
            onClick={() =>
              showActivity({
                view: "runs",
                recipe: filters.recipe,
                outcome: filters.outcome,
                customer: filters.customer,
                order: filters.order,
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
