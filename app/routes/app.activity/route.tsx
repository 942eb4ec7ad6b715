import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Card, Layout, Page, Tabs, Text } from "@shopify/polaris";
import { requestLocale } from "../../i18n/request.server";
import { LocaleContext, useMessages } from "../../i18n/react";
import { translator } from "../../i18n/messages";
import { getRuntime } from "../../runtime.server";
import { authenticate } from "../../shopify.server";
import {
  loadActivity,
  parseActivityFilters,
  parseReplayRequest,
  retryDeadLetters,
  type ReplayResult,
} from "./activity.server";
import { DeadLetters } from "./components/DeadLetters";
import { DeliveriesTab } from "./components/DeliveriesTab";
import { RunsTab } from "./components/RunsTab";
import { WebhooksTab } from "./components/WebhooksTab";
import { ShopTimeContext } from "../../components/shop-time";
import { activityMessages } from "./messages";
import { VIEWS } from "./query";
import { useLiveUpdates } from "./useLiveUpdates";
import { useShowActivity } from "./useShowActivity";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const filters = parseActivityFilters(new URL(request.url));
  const { database, clock } = await getRuntime();
  return loadActivity(database.db, session.shop, filters, clock.now(), requestLocale(request));
};

export const action = async ({ request }: ActionFunctionArgs): Promise<ReplayResult> => {
  const { session } = await authenticate.admin(request);
  const ids = parseReplayRequest(await request.formData());
  const locale = requestLocale(request);
  if (ids === null)
    return { ok: false, error: translator(activityMessages, locale)("unknownRequest") };
  const { queue } = await getRuntime();
  return retryDeadLetters(queue, session.shop, ids, locale);
};

/** The screen in the language its loader wrote the lines in (the layout's, from Shopify's locale). */
export default function Activity() {
  const data = useLoaderData<typeof loader>();
  return (
    <LocaleContext.Provider value={data.locale}>
      <ActivityScreen />
    </LocaleContext.Provider>
  );
}

function ActivityScreen() {
  const data = useLoaderData<typeof loader>();
  const t = useMessages(activityMessages);
  const tabs = [
    { id: "runs", content: t("tabRuns") },
    { id: "deliveries", content: t("tabDeliveries") },
    { id: "webhooks", content: t("tabWebhooks") },
  ];
  const {
    events,
    deadLetters,
    filters,
    hasMore,
    runs,
    runsHaveMore,
    skippedHidden,
    deliveries,
    shopTime,
  } = data;
  const updated = useLiveUpdates(data);
  const showActivity = useShowActivity();
  // Webhook filters without a view are links from before the screen had tabs.
  const view =
    filters.view ?? (filters.status || filters.topic || filters.before ? "webhooks" : "runs");

  const page = (
    <Page
      title={t("title")}
      subtitle={t("subtitle")}
      secondaryActions={
        <Text as="span" variant="bodySm" tone="subdued">
          <span role="status">{updated}</span>
        </Text>
      }
    >
      <Layout>
        {deadLetters.length > 0 ? (
          <Layout.Section>
            <DeadLetters letters={deadLetters} />
          </Layout.Section>
        ) : null}
        <Layout.Section>
          <Card padding="0">
            <Tabs
              tabs={tabs}
              selected={VIEWS.indexOf(view)}
              onSelect={(index) => showActivity({ view: VIEWS[index] })}
            >
              {view === "runs" ? (
                <RunsTab
                  filters={filters}
                  runs={runs}
                  runsHaveMore={runsHaveMore}
                  skippedHidden={skippedHidden}
                />
              ) : null}
              {view === "deliveries" ? (
                <DeliveriesTab filters={filters} deliveries={deliveries} />
              ) : null}
              {view === "webhooks" ? (
                <WebhooksTab filters={filters} events={events} hasMore={hasMore} />
              ) : null}
            </Tabs>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
  return <ShopTimeContext.Provider value={shopTime}>{page}</ShopTimeContext.Provider>;
}
