import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Link as RemixLink, useFetcher, useLoaderData } from "@remix-run/react";
import {
  Badge,
  Banner,
  BlockStack,
  Box,
  Button,
  Card,
  InlineGrid,
  InlineStack,
  Layout,
  Link,
  Page,
  Text,
} from "@shopify/polaris";
import { z } from "zod";
import { useResultToast } from "../components/useFetcherResult";
import { useAppPath } from "../components/useAppPath";
import { planStanding } from "../models/billing.server";
import { connectedIntegrations } from "../models/integrations.server";
import { getGuardConfig, listRecipeSettings } from "../models/recipe-settings.server";
import { requestLocale } from "../i18n/request.server";
import { translator } from "../i18n/messages";
import { useMessages } from "../i18n/react";
import { guardsDescription } from "../recipes/home-summary";
import { pausedReasonIn, switchResultIn } from "../recipes/switch-copy";
import { withConfig } from "../recipes/engine/run-recipes.server";
import { engineServices } from "../recipes/host.server";
import { findRecipe, RECIPES } from "../recipes/registry";
import { HELD_MAX_AGE_DAYS } from "../recipes/integration-copy";
import { missingIntegrations, switchRecipe } from "../recipes/settings.server";
import { getRuntime } from "../runtime.server";
import { authenticate } from "../shopify.server";
import { messages } from "./app.recipes._index.messages";
import { recipeText, shopMoney } from "../recipes/recipe-text";
import { findShop } from "../models/shops.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const { database, clock } = await getRuntime();
  const locale = requestLocale(request);
  const t = translator(messages, locale);
  const [settings, guards, connected, standing, shopRow] = await Promise.all([
    listRecipeSettings(database.db, session.shop),
    getGuardConfig(database.db, session.shop),
    connectedIntegrations(database.db, session.shop),
    planStanding(database.db, session.shop, clock.now(), new Set(RECIPES.map((r) => r.id))),
    findShop(database.db, session.shop),
  ]);
  const money = shopMoney(shopRow?.currency, locale);
  const byId = new Map(settings.map((s) => [s.recipeId, s]));
  const paused = new Set(standing.recipes.paused);
  return {
    guards: guardsDescription(guards, locale),
    pausedReason: pausedReasonIn(standing.pausedReason, locale),
    recipes: RECIPES.map((recipe) => {
      const row = byId.get(recipe.id);
      const loaded = withConfig(recipe, row?.config ?? {});
      return {
        id: recipe.id,
        ...recipeText(recipe, locale),
        enabled: row?.enabled ?? false,
        paused: paused.has(recipe.id),
        willDo: loaded.configError
          ? t("configError")
          : recipe.describe(loaded.config, locale, money),
        missing: missingIntegrations(recipe, connected),
      };
    }),
  };
};

const actionSchema = z.object({
  intent: z.literal("toggle"),
  recipeId: z.string(),
  enabled: z.enum(["true", "false"]),
});

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const parsed = actionSchema.safeParse(Object.fromEntries(await request.formData()));
  const recipe = parsed.success ? findRecipe(parsed.data.recipeId) : undefined;
  const locale = requestLocale(request);
  if (!parsed.success || !recipe)
    return { ok: false as const, error: translator(messages, locale)("unknownRecipe") };
  const { database, queue, clock } = await getRuntime();
  const services = engineServices(database, queue);
  const enabled = parsed.data.enabled === "true";
  const result = await switchRecipe(
    database,
    queue,
    session.shop,
    recipe,
    enabled,
    services,
    clock.now(),
  );
  const missing = result.ok
    ? []
    : missingIntegrations(recipe, await services.connections(session.shop));
  return switchResultIn(result, recipe, enabled, missing, locale);
};

type RecipeCardData = ReturnType<typeof useLoaderData<typeof loader>>["recipes"][number];

function RecipeCard({ recipe, pausedReason }: { recipe: RecipeCardData; pausedReason: string }) {
  const fetcher = useFetcher<typeof action>();
  const appPath = useAppPath();
  const t = useMessages(messages);
  const pending = fetcher.formData ? fetcher.formData.get("enabled") === "true" : undefined;
  const enabled = pending ?? recipe.enabled;
  const blocked = recipe.missing.length > 0 && !enabled;
  // Switched on, then an integration it needs was disconnected: its work waits (held-work.server.ts).
  const waiting = recipe.missing.length > 0 && enabled && pending === undefined;
  useResultToast(fetcher.state === "idle" && fetcher.data?.ok ? fetcher.data : undefined);
  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack align="space-between" blockAlign="start" wrap={false} gap="200">
          <BlockStack gap="100">
            <Text as="h2" variant="headingMd">
              <Link url={appPath(`/app/recipes/${recipe.id}`)} removeUnderline monochrome>
                {recipe.title}
              </Link>
            </Text>
            <Text as="p" tone="subdued">
              {recipe.summary}
            </Text>
          </BlockStack>
          {enabled && recipe.paused && pending === undefined ? (
            <Badge tone="attention">{t("paused")}</Badge>
          ) : waiting ? (
            <Badge tone="critical">{t("waiting")}</Badge>
          ) : (
            <Badge tone={enabled ? "success" : undefined}>{enabled ? t("on") : t("off")}</Badge>
          )}
        </InlineStack>
        <Box background="bg-surface-secondary" padding="300" borderRadius="200">
          <Text as="p" variant="bodySm">
            <Text as="span" fontWeight="semibold">
              {t("willDo")}{" "}
            </Text>
            {recipe.willDo}
          </Text>
        </Box>
        {blocked ? (
          <Text as="p" tone="caution">
            {t("needs", { vendors: recipe.missing.join(t("and")) })}{" "}
            <RemixLink to={appPath("/app/integrations")}>
              {recipe.missing.length > 1 ? t("connectThem") : t("connectIt")}
            </RemixLink>
            .
          </Text>
        ) : null}
        {waiting ? (
          <Text as="p" tone="critical">
            {t("waitingFor", { vendors: recipe.missing.join(t("and")) })}{" "}
            <RemixLink to={appPath("/app/integrations")}>{t("reconnect")}</RemixLink>
            {t("droppedAfter", { days: HELD_MAX_AGE_DAYS })}
          </Text>
        ) : null}
        {enabled && recipe.paused && pending === undefined ? (
          <Text as="p" tone="caution">
            {pausedReason}. <RemixLink to={appPath("/app/plan")}>{t("upgrade")}</RemixLink>{" "}
            {t("orSwitchOff")}
          </Text>
        ) : null}
        {fetcher.data && !fetcher.data.ok ? (
          <Banner
            tone="critical"
            action={
              "upgrade" in fetcher.data && fetcher.data.upgrade
                ? { content: t("seePlans"), url: appPath("/app/plan") }
                : undefined
            }
          >
            {fetcher.data.error}
          </Banner>
        ) : null}
        <InlineStack gap="200" align="end">
          <Button url={appPath(`/app/recipes/${recipe.id}`)}>{t("settings")}</Button>
          <fetcher.Form method="post">
            <input type="hidden" name="intent" value="toggle" />
            <input type="hidden" name="recipeId" value={recipe.id} />
            <input type="hidden" name="enabled" value={String(!enabled)} />
            <Button
              submit
              variant={enabled ? "secondary" : "primary"}
              disabled={blocked}
              loading={fetcher.state !== "idle"}
              accessibilityLabel={t(enabled ? "switchOffNamed" : "switchOnNamed", {
                title: recipe.title,
              })}
            >
              {enabled ? t("switchOff") : t("switchOn")}
            </Button>
          </fetcher.Form>
        </InlineStack>
      </BlockStack>
    </Card>
  );
}

export default function Recipes() {
  const { recipes, guards, pausedReason } = useLoaderData<typeof loader>();
  const appPath = useAppPath();
  const t = useMessages(messages);
  return (
    <Page title={t("title")} subtitle={t("subtitle")}>
      <Layout>
        <Layout.Section>
          <Card>
            <InlineStack align="space-between" blockAlign="center" gap="300">
              <BlockStack gap="100">
                <Text as="h2" variant="headingMd">
                  {t("sharedGuards")}
                </Text>
                <Text as="p" tone="subdued">
                  {t("everyRecipe", { guards })}
                </Text>
              </BlockStack>
              <Button url={appPath("/app/recipes/guards")}>{t("editGuards")}</Button>
            </InlineStack>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <InlineGrid columns={{ xs: 1, md: 2 }} gap="400">
            {recipes.map((recipe) => (
              <RecipeCard key={recipe.id} recipe={recipe} pausedReason={pausedReason} />
            ))}
          </InlineGrid>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
