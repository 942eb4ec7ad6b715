import { useFetcher } from "@remix-run/react";
import { Banner, BlockStack, Box, Button, Card, InlineStack, Select, Text } from "@shopify/polaris";
import { useState } from "react";
import { defineMessages } from "../../../i18n/messages";
import { useLocale, useMessages } from "../../../i18n/react";
import { localizeFieldError } from "../../../recipes/field-copy";
import { recipeText } from "../../../recipes/recipe-text";
import { RECIPES } from "../../../recipes/registry";
import type { DryRunRowView, DryRunTriggerView, RecipeActionResult } from "../validator";
import { useFormatDate } from "../../../components/shop-time";
import { OutcomeBadge } from "./OutcomeBadge";

const capitalize = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

const messages = defineMessages({
  en: {
    title: "Dry run",
    intro:
      "What {recipe} would have done with the settings above, replaying what started it in your store: parcel scans, ticket changes, stock changes, checkouts or orders. Nothing is sent.",
    replay: "Replay",
    mostRecent: "Most recent, however old",
    lastDays: "Last {count} days",
    atMost: "At most",
    ofEachTrigger: "{count} of each trigger",
    run: "Run dry run",
    fixToRun: "Fix the settings above to run it.",
    fixFirst: "Fix the settings first: {error}",
    nothing: "Nothing would have happened.",
    wouldHaveDone: "What it would have done",
    scanWould: "Today's daily scan would",
    scan: "Today's daily scan",
  },
  fr: {
    title: "Simulation",
    intro:
      "Ce que {recipe} aurait fait avec les paramètres ci-dessus, en rejouant ce qui l’a déclenchée dans votre boutique : scans de colis, changements de tickets, changements de stock, paiements ou commandes. Rien n’est envoyé.",
    replay: "Rejouer",
    mostRecent: "Les plus récents, toutes dates",
    lastDays: "{count} derniers jours",
    atMost: "Au plus",
    ofEachTrigger: "{count} par déclencheur",
    run: "Lancer la simulation",
    fixToRun: "Corrigez les paramètres ci-dessus pour la lancer.",
    fixFirst: "Corrigez d’abord les paramètres : {error}",
    nothing: "Rien ne se serait passé.",
    wouldHaveDone: "Ce qu’elle aurait fait",
    scanWould: "L’analyse quotidienne d’aujourd’hui ferait",
    scan: "Analyse quotidienne d’aujourd’hui",
  },
});

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
                  {capitalize(row.event)} · {formatDate(row.at)}
                </Text>
              </InlineStack>
              {row.lines.map((line, j) => (
                <Text key={j} as="p" variant="bodySm">
                  {line}
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
  const t = useMessages(messages);
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
        <Text as="p">{t("nothing")}</Text>
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
  const t = useMessages(messages);
  const locale = useLocale();
  // The page passes the recipe's English title; the admin reads it in their language.
  const recipe = RECIPES.find((r) => r.title === recipeTitle);
  const title = recipe ? recipeText(recipe, locale).title : recipeTitle;
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
            {t("title")}
          </Text>
          <Text as="p" tone="subdued">
            {t("intro", { recipe: title })}
          </Text>
        </BlockStack>
        <InlineStack gap="200" blockAlign="end">
          <div style={{ minWidth: 160 }}>
            <Select
              label={t("replay")}
              options={[
                { label: t("mostRecent"), value: "" },
                ...["7", "14", "30"].map((n) => ({
                  label: t("lastDays", { count: Number(n) }),
                  value: n,
                })),
              ]}
              value={days}
              onChange={setDays}
            />
          </div>
          <div style={{ minWidth: 160 }}>
            <Select
              label={t("atMost")}
              options={["10", "25", "50", "100"].map((n) => ({
                label: t("ofEachTrigger", { count: Number(n) }),
                value: n,
              }))}
              value={limit}
              onChange={setLimit}
            />
          </div>
          <Button onClick={run} loading={fetcher.state !== "idle"}>
            {t("run")}
          </Button>
        </InlineStack>
        {!valid && fetcher.state === "idle" ? (
          <Text as="p" variant="bodySm" tone="subdued">
            {t("fixToRun")}
          </Text>
        ) : null}
        {result && !result.ok ? (
          <Banner tone="critical">
            {t("fixFirst", {
              error: localizeFieldError(Object.values(result.errors)[0] ?? "", locale),
            })}
          </Banner>
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
              <DryRunRows rows={result.result.rows} label={t("wouldHaveDone")} />
            ) : null}
            {result.result.scan.length ? (
              <BlockStack gap="200">
                <Text as="h3" variant="headingSm">
                  {t("scanWould")}
                </Text>
                <DryRunRows rows={result.result.scan} label={t("scan")} />
              </BlockStack>
            ) : null}
          </BlockStack>
        ) : null}
      </BlockStack>
    </Card>
  );
}
