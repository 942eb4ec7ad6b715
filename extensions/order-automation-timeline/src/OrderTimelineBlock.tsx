import { useEffect, useState } from "react";
import {
  AdminBlock,
  Badge,
  Banner,
  BlockStack,
  Divider,
  InlineStack,
  Link,
  ProgressIndicator,
  Text,
  useApi,
} from "@shopify/ui-extensions-react/admin";
import type {
  OrderTimelineResponse,
  TimelineAction,
  TimelineDelivery,
  TimelineRun,
} from "../../../app/shared/extension-contracts";
import { loadTimeline } from "./timeline";

const TARGET = "admin.order-details.block.render";

type Tone = "success" | "warning" | "critical" | "info" | undefined;

const OUTCOME_TONE: Record<TimelineRun["outcome"], Tone> = {
  acted: "success",
  scheduled: "info",
  skipped: undefined,
  blocked: "warning",
  failed: "critical",
};
const HELD_BACK = new Set<TimelineAction["status"]>(["capped", "suppressed", "skipped"]);

function useTimeline(orderGid: string | undefined) {
  const [state, setState] = useState<{ timeline?: OrderTimelineResponse; error?: string }>({});
  useEffect(() => {
    if (!orderGid) return;
    let current = true;
    loadTimeline(orderGid)
      .then((timeline) => current && setState({ timeline }))
      .catch(
        (error: unknown) =>
          current && setState({ error: error instanceof Error ? error.message : String(error) }),
      );
    return () => {
      current = false;
    };
  }, [orderGid]);
  return state;
}

/**
 * admin.order-details.block.render: for the open order, every recipe run (trigger, outcome),
 * what each sent to Klaviyo or Gorgias and how that went, what was held back and why, and a
 * link to the Activity screen.
 */
export function OrderTimelineBlock() {
  const { data, i18n } = useApi(TARGET);
  const orderGid = data.selected[0]?.id;
  const { timeline, error } = useTimeline(orderGid);
  const t = i18n.translate;
  const when = (iso: string) =>
    i18n.formatDate(new Date(iso), { dateStyle: "medium", timeStyle: "short" });
  const vendor = (d: TimelineDelivery) => t(`vendor.${d.vendor}`);

  function deliveryLine(d: TimelineDelivery) {
    const tone: Tone =
      d.status === "succeeded" ? "success" : d.status === "dead" ? "critical" : "info";
    return (
      <InlineStack gap="base" blockAlignment="center">
        <Badge tone={tone}>
          {t(`delivery.${d.status}`, { vendor: vendor(d), error: d.lastError ?? "" })}
        </Badge>
        <Text>{when(d.completedAt ?? d.at)}</Text>
      </InlineStack>
    );
  }

  function actionLine(action: TimelineAction, index: number) {
    return (
      <BlockStack key={index} gap="small">
        <InlineStack gap="base" blockAlignment="center">
          <Badge tone={HELD_BACK.has(action.status) ? "warning" : undefined}>
            {t(`status.${action.status}`)}
          </Badge>
          <Text>{action.summary}</Text>
        </InlineStack>
        {action.reason ? <Text>{t("why", { reason: action.reason })}</Text> : null}
        {action.delivery ? deliveryLine(action.delivery) : null}
      </BlockStack>
    );
  }

  function runBlock(run: TimelineRun) {
    return (
      <BlockStack key={run.id} gap="small">
        <InlineStack gap="base" blockAlignment="center">
          <Text fontWeight="bold">{run.recipeTitle ?? run.recipeId}</Text>
          <Badge tone={OUTCOME_TONE[run.outcome]}>{t(`outcome.${run.outcome}`)}</Badge>
          <Text>{when(run.at)}</Text>
        </InlineStack>
        <Text>{t("trigger", { trigger: run.trigger })}</Text>
        {run.reasons.map((reason, i) => (
          <Text key={`reason-${i}`}>{t("why", { reason })}</Text>
        ))}
        {run.actions.map(actionLine)}
      </BlockStack>
    );
  }

  if (error) {
    return (
      <AdminBlock title={t("title")}>
        <Banner tone="critical">{t("error", { message: error })}</Banner>
      </AdminBlock>
    );
  }
  if (!timeline) {
    return (
      <AdminBlock title={t("title")}>
        <InlineStack gap="base" blockAlignment="center">
          <ProgressIndicator size="small-200" />
          <Text>{t("loading")}</Text>
        </InlineStack>
      </AdminBlock>
    );
  }
  const { counts } = timeline;
  const summary = t("summary", {
    count: counts.runs,
    delivered: counts.delivered,
    heldBack: counts.heldBack,
  });
  return (
    <AdminBlock title={t("title")} collapsedSummary={summary}>
      <BlockStack gap="base">
        {timeline.runs.length === 0 && timeline.otherDeliveries.length === 0 ? (
          <Text>{t("empty")}</Text>
        ) : (
          <Text>{summary}</Text>
        )}
        {timeline.runs.map((run, i) => (
          <BlockStack key={run.id} gap="base">
            {i > 0 ? <Divider /> : null}
            {runBlock(run)}
          </BlockStack>
        ))}
        {timeline.otherDeliveries.length > 0 ? (
          <BlockStack gap="small">
            <Divider />
            <Text fontWeight="bold">{t("other")}</Text>
            {timeline.otherDeliveries.map((d) => (
              <BlockStack key={d.key} gap="small">
                <Text>{d.operation}</Text>
                {deliveryLine(d)}
              </BlockStack>
            ))}
          </BlockStack>
        ) : null}
        <Link href={`app://${timeline.activityPath.replace(/^\//, "")}`}>{t("activity")}</Link>
      </BlockStack>
    </AdminBlock>
  );
}
