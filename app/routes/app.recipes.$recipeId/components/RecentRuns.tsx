import { BlockStack, Button, Card, InlineStack, Text } from "@shopify/polaris";
import type { RunOutcome } from "../../../../db/schema/recipes";
import type { RunLine } from "../../../models/activity-lines";
import { useShopTime } from "../../../components/shop-time";
import { TechnicalDetails } from "../../app.activity/components/TechnicalDetails";
import { defineMessages } from "../../../i18n/messages";
import { useMessages } from "../../../i18n/react";
import { OutcomeBadge } from "./OutcomeBadge";

const messages = defineMessages({
  en: {
    heading: "Recent runs",
    allInActivity: "All in Activity",
    none: "None yet. Runs appear as your store's events arrive.",
    technical: "Run {id} · trigger {trigger} · {subject} · {at}",
    noSubject: "no subject",
    reasons: "Reasons: {reasons}",
  },
  fr: {
    heading: "Dernières exécutions",
    allInActivity: "Tout voir dans Activité",
    none: "Aucune pour l’instant. Les exécutions apparaissent à mesure que les événements de votre boutique arrivent.",
    technical: "Exécution {id} · déclencheur {trigger} · {subject} · {at}",
    noSubject: "sans objet",
    reasons: "Raisons : {reasons}",
  },
});

interface RunView {
  id: number;
  trigger: string;
  subject: string | null;
  outcome: RunOutcome;
  reasons: string[];
  actions: { kind: string; summary: string; status: string }[];
  createdAt: string;
  line: RunLine;
  orderName: string | null;
  who: string | null;
}

const LINE_TONE = {
  success: undefined,
  info: undefined,
  warning: "caution",
  critical: "critical",
  subdued: "subdued",
} as const;

/** A recipe's last runs in Activity's words; the trigger and raw summaries stay behind the disclosure. */
export function RecentRuns({ runs, activityUrl }: { runs: RunView[]; activityUrl: string }) {
  const time = useShopTime();
  const t = useMessages(messages);
  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack align="space-between" blockAlign="center">
          <Text as="h2" variant="headingMd">
            {t("heading")}
          </Text>
          <Button variant="plain" url={activityUrl}>
            {t("allInActivity")}
          </Button>
        </InlineStack>
        {runs.length === 0 ? (
          <Text as="p" tone="subdued">
            {t("none")}
          </Text>
        ) : (
          runs.map((run) => (
            <BlockStack key={run.id} gap="100">
              <InlineStack gap="200" blockAlign="center" wrap>
                <OutcomeBadge outcome={run.outcome} />
                <Text as="span" fontWeight="semibold" tone={LINE_TONE[run.line.tone]} breakWord>
                  {run.line.sentence}
                </Text>
              </InlineStack>
              {run.line.more.map((line, i) => (
                <Text key={i} as="p" variant="bodySm" breakWord>
                  {line}
                </Text>
              ))}
              <Text as="p" variant="bodySm" tone="subdued">
                {[run.orderName, run.who, time.ago(run.createdAt)].filter(Boolean).join(" · ")}
              </Text>
              <TechnicalDetails id={`recent-run-${run.id}`}>
                <BlockStack gap="100">
                  <Text as="p" variant="bodySm" tone="subdued" breakWord>
                    {t("technical", {
                      id: String(run.id),
                      trigger: run.trigger,
                      subject: run.subject ?? t("noSubject"),
                      at: time.dateTime(run.createdAt),
                    })}
                  </Text>
                  {run.actions.map((a, i) => (
                    <Text key={i} as="p" variant="bodySm" tone="subdued" breakWord>
                      {a.kind} · {a.summary} · {a.status}
                    </Text>
                  ))}
                  {run.reasons.length ? (
                    <Text as="p" variant="bodySm" tone="subdued" breakWord>
                      {t("reasons", { reasons: run.reasons.join("; ") })}
                    </Text>
                  ) : null}
                </BlockStack>
              </TechnicalDetails>
            </BlockStack>
          ))
        )}
      </BlockStack>
    </Card>
  );
}
