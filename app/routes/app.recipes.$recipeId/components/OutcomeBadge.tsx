import { Badge } from "@shopify/polaris";
import type { RunOutcome } from "../../../../db/schema/recipes";

const TONES = {
  acted: "success",
  waiting: "critical",
  scheduled: "info",
  skipped: undefined,
  blocked: "warning",
  failed: "critical",
} as const;
const LABELS: Record<RunOutcome, string> = {
  acted: "Acted",
  waiting: "Waiting for a connection",
  scheduled: "Scheduled",
  skipped: "Skipped",
  blocked: "Held back",
  failed: "Failed",
};

export function OutcomeBadge({
  outcome,
  dryRun = false,
}: {
  outcome: RunOutcome;
  dryRun?: boolean;
}) {
  return (
    <Badge tone={TONES[outcome]}>
      {dryRun && outcome === "acted" ? "Would act" : LABELS[outcome]}
    </Badge>
  );
}

export const ACTION_STATUS_LABELS: Record<string, string> = {
  requested: "sent",
  "would-request": "would send",
  decided: "decided",
  "already-requested": "already sent",
  capped: "capped",
  suppressed: "held back",
  skipped: "skipped",
  waiting: "waiting for a connection",
  dropped: "dropped",
};
