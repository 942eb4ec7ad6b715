import { Badge } from "@shopify/polaris";
import type { RunOutcome } from "../../../../db/schema/recipes";
import { defineMessages } from "../../../i18n/messages";
import { useMessages } from "../../../i18n/react";

const TONES = {
  acted: "success",
  waiting: "critical",
  scheduled: "info",
  skipped: undefined,
  blocked: "warning",
  failed: "critical",
} as const;

const messages = defineMessages({
  en: {
    acted: "Acted",
    waiting: "Waiting for a connection",
    scheduled: "Scheduled",
    skipped: "Skipped",
    blocked: "Held back",
    failed: "Failed",
    wouldAct: "Would act",
  },
  fr: {
    acted: "Effectuée",
    waiting: "En attente d’une connexion",
    scheduled: "Planifiée",
    skipped: "Ignorée",
    blocked: "Retenue",
    failed: "Échec",
    wouldAct: "Agirait",
  },
});

export function OutcomeBadge({
  outcome,
  dryRun = false,
}: {
  outcome: RunOutcome;
  dryRun?: boolean;
}) {
  const t = useMessages(messages);
  return (
    <Badge tone={TONES[outcome]}>
      {dryRun && outcome === "acted" ? t("wouldAct") : t(outcome)}
    </Badge>
  );
}
