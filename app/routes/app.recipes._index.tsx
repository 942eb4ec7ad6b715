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
import { describeGuards } from "../recipes/engine/guards";
import { withConfig } from "../recipes/engine/run-recipes.server";
import { engineServices } from "../recipes/host.server";
import { findRecipe, RECIPES } from "../recipes/registry";
import { HELD_MAX_AGE_DAYS } from "../recipes/integration-copy";
import { missingIntegrations, switchRecipe } from "../recipes/settings.server";
import { getRuntime } from "../runtime.server";
import { authenticate } from "../shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const { database, clock } = await getRuntime();
  const [settings, guards, connected, standing] = await Promise.all([
    listRecipeSettings(database.db, session.shop),
    getGuardConfig(database.db, session.shop),
    connectedIntegrations(database.db, session.shop),
    planStanding(database.db, session.shop, clock.now(), new Set(RECIPES.map((r) => r.id))),
  ]);
  const byId = new Map(settings.map((s) => [s.recipeId, s]));
  const paused = new Set(standing.recipes.paused);
  return {
    guards: describeGuards(guards),
    pausedReason: standing.pausedReason,
    recipes: RECIPES.map((recipe) => {
      const row = byId.get(recipe.id);
      const loaded = withConfig(recipe, row?.config ?? {});
      return {
        id: recipe.id,
        title: recipe.title,
        summary: recipe.summary,
        enabled: row?.enabled ?? false,
        paused: paused.has(recipe.id),
        willDo: loaded.configError
          ? "Its saved settings need attention: open it and save them again."
          : recipe.describe(loaded.config),
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
  if (!parsed.success || !recipe) return { ok: false as const, error: "Unknown recipe." };
  const { database, queue, clock } = await getRuntime();
  return switchRecipe(
    database,
    queue,
    session.shop,
    recipe,
    parsed.data.enabled === "true",
    engineServices(database, queue),
    clock.now(),
  );
};

type RecipeCardData = ReturnType<typeof useLoaderData<typeof loader>>["recipes"][number];

function RecipeCard({ recipe, pausedReason }: { recipe: RecipeCardData; pausedReason: string }) {
  const fetcher = useFetcher<typeof action>();
  const appPath = useAppPath();
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
            <Badge tone="attention">Paused</Badge>
          ) : waiting ? (
            <Badge tone="critical">Waiting</Badge>
          ) : (
            <Badge tone={enabled ? "success" : undefined}>{enabled ? "On" : "Off"}</Badge>
          )}
        </InlineStack>
        <Box background="bg-surface-secondary" padding="300" borderRadius="200">
          <Text as="p" variant="bodySm">
            <Text as="span" fontWeight="semibold">
              What it will do:{" "}
            </Text>
            {recipe.willDo}
          </Text>
        </Box>
        {blocked ? (
          <Text as="p" tone="caution">
            Needs {recipe.missing.join(" and ")}:{" "}
            <RemixLink to={appPath("/app/integrations")}>
              connect {recipe.missing.length > 1 ? "them" : "it"} under Integrations
            </RemixLink>
            .
          </Text>
        ) : null}
        {waiting ? (
          <Text as="p" tone="critical">
            Waiting for {recipe.missing.join(" and ")}: what it decides is kept and sent when you{" "}
            <RemixLink to={appPath("/app/integrations")}>reconnect</RemixLink>, or dropped after{" "}
            {HELD_MAX_AGE_DAYS} days.
          </Text>
        ) : null}
        {enabled && recipe.paused && pending === undefined ? (
          <Text as="p" tone="caution">
            {pausedReason}. <RemixLink to={appPath("/app/plan")}>Upgrade your plan</RemixLink> or
            switch another recipe off to run it.
          </Text>
        ) : null}
        {fetcher.data && !fetcher.data.ok ? (
          <Banner
            tone="critical"
            action={
              "upgrade" in fetcher.data && fetcher.data.upgrade
                ? { content: "See plans", url: appPath("/app/plan") }
                : undefined
            }
          >
            {fetcher.data.error}
          </Banner>
        ) : null}
        <InlineStack gap="200" align="end">
          <Button url={appPath(`/app/recipes/${recipe.id}`)}>Settings and preview</Button>
          <fetcher.Form method="post">
            <input type="hidden" name="intent" value="toggle" />
            <input type="hidden" name="recipeId" value={recipe.id} />
            <input type="hidden" name="enabled" value={String(!enabled)} />
            <Button
              submit
              variant={enabled ? "secondary" : "primary"}
              disabled={blocked}
              loading={fetcher.state !== "idle"}
              accessibilityLabel={`${enabled ? "Switch off" : "Switch on"} ${recipe.title}`}
            >
              {enabled ? "Switch off" : "Switch on"}
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
  return (
    <Page
      title="Recipes"
      subtitle="Prebuilt automations across Shopify, Klaviyo and Gorgias. Preview any of them on your recent orders before switching it on."
    >
      <Layout>
        <Layout.Section>
          <Card>
            <InlineStack align="space-between" blockAlign="center" gap="300">
              <BlockStack gap="100">
                <Text as="h2" variant="headingMd">
                  Shared guards
                </Text>
                <Text as="p" tone="subdued">
                  Every recipe respects them: {guards}
                </Text>
              </BlockStack>
              <Button url={appPath("/app/recipes/guards")}>Edit guards</Button>
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
