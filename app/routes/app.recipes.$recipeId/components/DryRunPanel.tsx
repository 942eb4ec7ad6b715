import { useFetcher } from "@remix-run/react";
import { Banner, BlockStack, Box, Button, Card, InlineStack, Select, Text } from "@shopify/polaris";
import { useState } from "react";
import type { DryRunRowView, DryRunTriggerView, RecipeActionResult } from "../validator";
import { useFormatDate } from "../../../components/shop-time";
import { ACTION_STATUS_LABELS, OutcomeBadge } from "./OutcomeBadge";

function DryRunRows({ rows, label }: { rows: DryRunRowView[]; label: string }) {
  const formatDate = useFormatDate();
  return (
    <div role="table" aria-label={label}>
      {rows.map((row, i) => (
        <div role="row" key={i}>
          <Box paddingBlock="300" borderBlockStartWidth="025" borderColor="border-secondary">
            <BlockStack gap="100">
              <InlineStack gap="200" blockAlign="center">
                <OutcomeBadge outcome={row.outcome} dryRun />
                <Text as="span" fontWeight="semibold">
                  {row.customer && row.customer !== row.orderName
                    ? `${row.customer} · ${row.orderName}`
                    : row.orderName}
                </Text>
                <Text as="span" variant="bodySm" tone="subdued">
                  {row.trigger} · {formatDate(row.at)}
                </Text>
              </InlineStack>
              {row.actions.map((a, j) => (
                <Text key={j} as="p" variant="bodySm">
                  {a.summary} — {ACTION_STATUS_LABELS[a.status] ?? a.status}
                  {a.reason ? ` (${a.reason})` : ""}
                </Text>
              ))}
              {row.reasons.length ? (
                <Text as="p" variant="bodySm" tone="subdued">
                  {row.reasons.join("; ")}
                </Text>
              ) : null}
            </BlockStack>
          </Box>
        </div>
      ))}
    </div>
  );
}

/** One declared trigger's replay: how much was replayed, then what would have happened. */
function TriggerSummary({ trigger }: { trigger: DryRunTriggerView }) {
  return (
    <BlockStack gap="100">
      <Text as="p" variant="bodySm" tone="subdued">
        {trigger.replayed}
      </Text>
      {trigger.sentences.length ? (
        trigger.sentences.map((sentence) => (
          <Text key={sentence} as="p">
            {sentence}
          </Text>
        ))
      ) : (
        <Text as="p">Nothing would have happened.</Text>
      )}
    </BlockStack>
  );
}

/**
 * "What this recipe would have done over the last N days", each of its triggers replayed from
 * the store's data, with the settings as they are in the form (saved or not). Nothing is sent or
 * remembered.
 */
export function DryRunPanel({
  recipeTitle,
  input,
  valid,
  onInvalid,
}: {
  recipeTitle: string;
  input: () => unknown;
  valid: boolean;
  onInvalid(): void;
}) {
  const fetcher = useFetcher<RecipeActionResult>();
  const [days, setDays] = useState("");
  const [limit, setLimit] = useState("25");
  const result = fetcher.data?.intent === "dry-run" ? fetcher.data : undefined;
  const run = () => {
    if (!valid) return onInvalid();
    fetcher.submit(
      { intent: "dry-run", config: JSON.stringify(input()), days, limit },
      { method: "post" },
    );
  };
  return (
    <Card>
      <BlockStack gap="300">
        <BlockStack gap="100">
          <Text as="h2" variant="headingMd">
            Dry run
          </Text>
          <Text as="p" tone="subdued">
            What {recipeTitle} would have done with the settings above, replaying what started it in
            your store: parcel scans, ticket changes, stock changes, checkouts or orders. Nothing is
            sent.
          </Text>
        </BlockStack>
        <InlineStack gap="200" blockAlign="end">
          <div style={{ minWidth: 160 }}>
            <Select
              label="Replay"
              options={[
                { label: "Most recent, however old", value: "" },
                ...["7", "14", "30"].map((n) => ({ label: `Last ${n} days`, value: n })),
              ]}
              value={days}
              onChange={setDays}
            />
          </div>
          <div style={{ minWidth: 160 }}>
            <Select
              label="At most"
              options={["10", "25", "50", "100"].map((n) => ({
                label: `${n} of each trigger`,
                value: n,
              }))}
              value={limit}
              onChange={setLimit}
            />
          </div>
          <Button onClick={run} loading={fetcher.state !== "idle"}>
            Run dry run
          </Button>
        </InlineStack>
        {!valid && fetcher.state === "idle" ? (
          <Text as="p" variant="bodySm" tone="subdued">
            Fix the settings above to run it.
          </Text>
        ) : null}
        {result && !result.ok ? (
          <Banner tone="critical">Fix the settings first: {Object.values(result.errors)[0]}</Banner>
        ) : null}
        {result && result.ok ? (
          <BlockStack gap="300">
            {result.result.notes.map((note) => (
              <Banner key={note} tone="info">
                {note}
              </Banner>
            ))}
            {result.result.triggers.map((trigger) => (
              <TriggerSummary key={trigger.source} trigger={trigger} />
            ))}
            {result.result.rows.length ? (
              <DryRunRows rows={result.result.rows} label="What it would have done" />
            ) : null}
            {result.result.scan.length ? (
              <BlockStack gap="200">
                <Text as="h3" variant="headingSm">
                  Today's daily scan would
                </Text>
                <DryRunRows rows={result.result.scan} label="Today's daily scan" />
              </BlockStack>
            ) : null}
          </BlockStack>
        ) : null}
      </BlockStack>
    </Card>
  );
}
