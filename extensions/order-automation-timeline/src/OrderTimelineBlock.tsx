import { useEffect, useState } from "preact/hooks";
import type { Api } from "@shopify/ui-extensions/admin.order-details.block.render";
import type {
  OrderTimelineResponse,
  TimelineAction,
  TimelineDelivery,
  TimelineRun,
} from "../../../app/shared/extension-contracts";
import { loadTimeline } from "./timeline";

type Tone = "success" | "warning" | "critical" | "info" | "neutral";

const OUTCOME_TONE: Record<TimelineRun["outcome"], Tone> = {
  acted: "success",
  waiting: "warning",
  scheduled: "info",
  skipped: "neutral",
  blocked: "warning",
  failed: "critical",
};
const HELD_BACK = new Set<TimelineAction["status"]>([
  "capped",
  "suppressed",
  "skipped",
  "waiting",
  "dropped",
]);

function useTimeline(orderGid: string | undefined, locale: string) {
  const [state, setState] = useState<{ timeline?: OrderTimelineResponse; error?: string }>({});
  useEffect(() => {
    if (!orderGid) return;
    let current = true;
    loadTimeline(orderGid, locale)
      .then((timeline) => current && setState({ timeline }))
      .catch(
        (error: unknown) =>
          current && setState({ error: error instanceof Error ? error.message : String(error) }),
      );
    return () => {
      current = false;
    };
  }, [orderGid, locale]);
  return state;
}

/**
 * admin.order-details.block.render: for the open order, every recipe run (trigger, outcome),
 * what each sent to Klaviyo or Gorgias and how that went, what was held back and why, and a
 * link to the Activity screen. Words come from the block's locales (triggers by the key the app
 * sends); recipe titles from the app, asked for in the language the block speaks.
 */
export function OrderTimelineBlock({ api }: { api: Pick<Api, "data" | "i18n"> }) {
  const { data, i18n } = api;
  const orderGid = data.selected[0]?.id;
  const t = i18n.translate;
  // The language of the locale file the admin picked for us (en.default.json when it has none).
  const { timeline, error } = useTimeline(orderGid, t("locale"));
  const when = (iso: string) =>
    i18n.formatDate(new Date(iso), { dateStyle: "medium", timeStyle: "short" });
  const vendor = (d: TimelineDelivery) => t(`vendor.${d.vendor}`);

  function deliveryLine(d: TimelineDelivery) {
    const tone: Tone =
      d.status === "succeeded"
        ? "success"
        : d.status === "dead"
          ? "critical"
          : d.status === "waiting" || d.status === "dropped"
            ? "warning"
            : "info";
    return (
      <s-stack direction="inline" gap="base" alignItems="center">
        <s-badge tone={tone}>
          {t(`delivery.${d.status}`, { vendor: vendor(d), error: d.lastError ?? "" })}
        </s-badge>
        <s-text>{when(d.completedAt ?? d.at)}</s-text>
      </s-stack>
    );
  }

  function actionLine(action: TimelineAction, index: number) {
    return (
      <s-stack key={index} gap="small">
        <s-stack direction="inline" gap="base" alignItems="center">
          <s-badge tone={HELD_BACK.has(action.status) ? "warning" : "neutral"}>
            {t(`status.${action.status}`)}
          </s-badge>
          <s-text>{action.summary}</s-text>
        </s-stack>
        {action.reason ? <s-text>{t("why", { reason: action.reason })}</s-text> : null}
        {action.delivery ? deliveryLine(action.delivery) : null}
      </s-stack>
    );
  }

  function runBlock(run: TimelineRun) {
    return (
      <s-stack key={run.id} gap="small">
        <s-stack direction="inline" gap="base" alignItems="center">
          <s-text type="strong">{run.recipeTitle ?? run.recipeId}</s-text>
          <s-badge tone={OUTCOME_TONE[run.outcome]}>{t(`outcome.${run.outcome}`)}</s-badge>
          <s-text>{when(run.at)}</s-text>
        </s-stack>
        <s-text>{t("trigger", { trigger: t(`triggers.${run.trigger}`) })}</s-text>
        {run.reasons.map((reason, i) => (
          <s-text key={`reason-${i}`}>{t("why", { reason })}</s-text>
        ))}
        {run.actions.map(actionLine)}
      </s-stack>
    );
  }

  if (error) {
    return (
      <s-admin-block heading={t("title")}>
        <s-banner tone="critical">{t("error", { message: error })}</s-banner>
      </s-admin-block>
    );
  }
  if (!timeline) {
    return (
      <s-admin-block heading={t("title")}>
        <s-stack direction="inline" gap="base" alignItems="center">
          <s-spinner size="base" accessibilityLabel={t("loading")} />
          <s-text>{t("loading")}</s-text>
        </s-stack>
      </s-admin-block>
    );
  }
  const { counts } = timeline;
  const summary = t("summary", {
    count: counts.runs,
    delivered: counts.delivered,
    heldBack: counts.heldBack,
  });
  return (
    <s-admin-block heading={t("title")} collapsedSummary={summary}>
      <s-stack gap="base">
        {timeline.runs.length === 0 && timeline.otherDeliveries.length === 0 ? (
          <s-text>{t("empty")}</s-text>
        ) : (
          <s-text>{summary}</s-text>
        )}
        {timeline.runs.map((run, i) => (
          <s-stack key={run.id} gap="base">
            {i > 0 ? <s-divider /> : null}
            {runBlock(run)}
          </s-stack>
        ))}
        {timeline.otherDeliveries.length > 0 ? (
          <s-stack gap="small">
            <s-divider />
            <s-text type="strong">{t("other")}</s-text>
            {timeline.otherDeliveries.map((d) => (
              <s-stack key={d.key} gap="small">
                <s-text>{d.operation}</s-text>
                {deliveryLine(d)}
              </s-stack>
            ))}
          </s-stack>
        ) : null}
        <s-link href={`app://${timeline.activityPath.replace(/^\//, "")}`}>{t("activity")}</s-link>
      </s-stack>
    </s-admin-block>
  );
}
