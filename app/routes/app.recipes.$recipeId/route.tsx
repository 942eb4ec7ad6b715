import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useFetcher, useLoaderData, useNavigate } from "@remix-run/react";
import { Badge, Banner, BlockStack, Box, Card, Layout, Page, Text } from "@shopify/polaris";
import { useMemo, useState } from "react";
import { useAppBridgeAvailable } from "../../components/AppNavigation";
import { ContextualSaveBar } from "../../components/ContextualSaveBar";
import { resourcePicker } from "../../components/resource-picker";
import { useFetcherResult, useResultToast } from "../../components/useFetcherResult";
import { SchemaForm } from "../../components/SchemaForm";
import { useAppPath } from "../../components/useAppPath";
import { useSettingsForm } from "../../components/useSettingsForm";
import { ShopTimeContext, shopTimeSettings } from "../../components/shop-time";
import { planStanding } from "../../models/billing.server";
import { connectedIntegrations } from "../../models/integrations.server";
import { customerLabel, runLine, shownReasons } from "../../models/activity-lines";
import { listRuns } from "../../models/recipe-activity.server";
import { findShop } from "../../models/shops.server";
import {
  getGuardConfig,
  getRecipeSettings,
  saveRecipeConfig,
} from "../../models/recipe-settings.server";
import { intlLocale } from "../../i18n/locale";
import { translator } from "../../i18n/messages";
import { useMessages } from "../../i18n/react";
import { requestLocale } from "../../i18n/request.server";
import { guardsDescription } from "../../recipes/home-summary";
import { pausedReasonIn, switchResultIn } from "../../recipes/switch-copy";
import { withConfig } from "../../recipes/engine/run-recipes.server";
import { engineServices } from "../../recipes/host.server";
import { resourceTitles } from "../../recipes/resource-titles.server";
import { findRecipe, RECIPES } from "../../recipes/registry";
import {
  afterSettingsSaved,
  missingIntegrations,
  switchRecipe,
  validateRecipeConfig,
} from "../../recipes/settings.server";
import { getRuntime } from "../../runtime.server";
import { shopDays, shopTime } from "../../utils/shop-time";
import { OfferPreview } from "../../components/OfferPreview";
import { UpsellTests } from "../../components/UpsellTests";
import { upsellTests } from "../../models/upsell-experiments.server";
import type { UpsellConfig } from "../../recipes/post-purchase-upsell/config";
import { RECIPE_ID as UPSELL_RECIPE_ID } from "../../recipes/post-purchase-upsell/recipe";
import { authenticate } from "../../shopify.server";
import {
  formSchema,
  issuesToErrors,
  pickedResources,
  resourceKey,
  type ResourceLabel,
  type ResourceType,
} from "../../utils/schema-form";
import { dryRunRecipe } from "../../recipes/dry-run.server";
import { recipeText, shopMoney } from "../../recipes/recipe-text";
import { DryRunPanel } from "./components/DryRunPanel";
import { RecentRuns } from "./components/RecentRuns";
import { messages } from "./messages";
import { actionRequest, type RecipeActionResult } from "./validator";

/** Days of A/B test results shown beside the upsell's rules. */
const TEST_RESULT_DAYS = 30;

function recipeOr404(id: string | undefined) {
  const recipe = id ? findRecipe(id) : undefined;
  if (!recipe) throw new Response("No such recipe", { status: 404 });
  return recipe;
}

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const recipe = recipeOr404(params.recipeId);
  const { database, queue, clock } = await getRuntime();
  const locale = requestLocale(request);
  const [row, guards, connected, recent, shopRow, standing] = await Promise.all([
    getRecipeSettings(database.db, session.shop, recipe.id),
    getGuardConfig(database.db, session.shop),
    connectedIntegrations(database.db, session.shop),
    listRuns(database.db, session.shop, { recipe: recipe.id, limit: 10 }),
    findShop(database.db, session.shop),
    planStanding(database.db, session.shop, clock.now(), new Set(RECIPES.map((r) => r.id))),
  ]);
  const loaded = withConfig(recipe, row?.config ?? {});
  const config = loaded.configError
    ? (recipe.configSchema.parse({}) as Record<string, unknown>)
    : loaded.config;
  const resources = await resourceTitles(
    database.db,
    session.shop,
    pickedResources(formSchema(recipe.configSchema), config),
    engineServices(database, queue).catalog,
  );
  const settings = shopTimeSettings(shopRow?.ianaTimezone, clock.now(), intlLocale(locale));
  const time = shopTime(settings);
  // The upsell's A/B tests over the shop's last 30 days, beside the rules that run them.
  const { bounds } = shopDays(time, clock.now(), TEST_RESULT_DAYS);
  const tests =
    recipe.id === UPSELL_RECIPE_ID && !loaded.configError
      ? await upsellTests(database.db, session.shop, config as UpsellConfig, {
          start: bounds[0]!,
          end: bounds[TEST_RESULT_DAYS]!,
        })
      : [];
  const when = (at: string) => time.when(at, clock.now());
  return {
    shopTime: settings,
    recipe: { id: recipe.id, ...recipeText(recipe, locale) },
    enabled: row?.enabled ?? false,
    /** Switched on past the plan's recipe limit: it does not run. */
    paused: standing.recipes.paused.includes(recipe.id)
      ? pausedReasonIn(standing.pausedReason, locale)
      : null,
    config,
    /** Titles of the products, variants and collections the settings name. */
    resources,
    configError: loaded.configError ?? null,
    tests,
    currency: shopRow?.currency ?? null,
    willDo: recipe.describe(config, locale, shopMoney(shopRow?.currency, locale)),
    missing: missingIntegrations(recipe, connected),
    guards: guardsDescription(guards, locale),
    runs: recent.runs.map((r) => ({
      id: r.id,
      trigger: r.trigger,
      subject: r.subject,
      outcome: r.outcome,
      reasons: shownReasons(r.reasons, r.names, locale),
      actions: r.actions.map((a) => ({ kind: a.kind, summary: a.summary, status: a.status })),
      createdAt: r.createdAt.toISOString(),
      /** Activity's sentence for it, by name (#1042, Lena Park). */
      line: runLine(r, when, locale),
      orderName: r.names.orderName,
      who: r.orderId || r.customerId ? customerLabel(r.names, locale) : null,
    })),
  };
};

export const action = async ({
  request,
  params,
}: ActionFunctionArgs): Promise<RecipeActionResult> => {
  const { session } = await authenticate.admin(request);
  const recipe = recipeOr404(params.recipeId);
  const locale = requestLocale(request);
  const t = translator(messages, locale);
  const parsed = actionRequest.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return { intent: "save", ok: false, errors: { form: t("unknownRequest") } };
  const { database, queue, clock } = await getRuntime();
  const services = engineServices(database, queue);
  const body = parsed.data;
  switch (body.intent) {
    case "toggle": {
      const enabled = body.enabled === "true";
      const switched = await switchRecipe(
        database,
        queue,
        session.shop,
        recipe,
        enabled,
        services,
        clock.now(),
      );
      const missing = switched.ok
        ? []
        : missingIntegrations(recipe, await services.connections(session.shop));
      const result = switchResultIn(switched, recipe, enabled, missing, locale);
      return result.ok
        ? { intent: "toggle", ok: true, message: result.message }
        : {
            intent: "toggle",
            ok: false,
            errors: { form: result.error },
            ...(result.upgrade ? { upgrade: true as const } : {}),
          };
    }
    case "save": {
      const result = await validateRecipeConfig(
        database,
        session.shop,
        recipe,
        body.config,
        services,
      );
      if (!result.ok) return { intent: "save", ok: false, errors: result.errors };
      await saveRecipeConfig(database.db, session.shop, recipe.id, result.config);
      await afterSettingsSaved(database, queue, session.shop, recipe, clock.now());
      const resources = await resourceTitles(
        database.db,
        session.shop,
        pickedResources(formSchema(recipe.configSchema), result.config),
        services.catalog,
      );
      return {
        intent: "save",
        ok: true,
        message: t("settingsSaved"),
        warnings: result.warnings,
        config: result.config,
        resources,
        willDo: recipe.describe(
          result.config,
          locale,
          shopMoney((await findShop(database.db, session.shop))?.currency, locale),
        ),
      };
    }
    case "dry-run": {
      const config = recipe.configSchema.safeParse(body.config);
      if (!config.success)
        return { intent: "dry-run", ok: false, errors: issuesToErrors(config.error.issues) };
      const result = await dryRunRecipe(
        database,
        session.shop,
        recipe,
        config.data as Record<string, unknown>,
        services,
        { days: body.days, limit: body.limit, now: clock.now(), locale },
      );
      return { intent: "dry-run", ok: true, result };
    }
  }
};

export default function RecipeDetail() {
  const data = useLoaderData<typeof loader>();
  const recipe = findRecipe(data.recipe.id)!;
  const appPath = useAppPath();
  const navigate = useNavigate();
  const t = useMessages(messages);
  const form = useSettingsForm(recipe.configSchema, data.config);
  const save = useFetcher<typeof action>();
  const toggle = useFetcher<typeof action>();
  const [notice, setNotice] = useState<{
    tone: "success" | "critical" | "warning";
    text: string;
    /** Link to the Plan screen (a plan limit refused the change). */
    upgrade?: boolean;
  } | null>(null);
  const [willDo, setWillDo] = useState(data.willDo);

  const appBridge = useAppBridgeAvailable();
  const pick = useMemo(() => (appBridge ? resourcePicker() : undefined), [appBridge]);
  // Titles of chosen resources: the server's for saved settings, the picker's for new choices.
  const [resources, setResources] = useState<Record<string, ResourceLabel>>(data.resources);
  const remember = (type: ResourceType, picked: { id: string; label: ResourceLabel }[]) =>
    setResources((current) => ({
      ...current,
      ...Object.fromEntries(picked.map((p) => [resourceKey(type, p.id), p.label])),
    }));
  useFetcherResult(save, (result) => {
    if (result.intent !== "save") return;
    if (result.ok) {
      form.saved(result.config);
      setResources((current) => ({ ...current, ...result.resources }));
      setWillDo(result.willDo);
      if (result.warnings.length)
        setNotice({
          tone: "warning",
          text: t("savedWithWarnings", { warnings: result.warnings.join(" ") }),
        });
      else setNotice(appBridge ? null : { tone: "success", text: result.message });
    } else {
      form.rejected(result.errors);
      setNotice({
        tone: "critical",
        text: result.errors.form ?? t("needsFixing"),
      });
    }
  });
  useFetcherResult(toggle, (result) => {
    if (result.intent !== "toggle") return;
    if (result.ok) setNotice(appBridge ? null : { tone: "success", text: result.message });
    else
      setNotice({
        tone: "critical",
        text: result.errors.form ?? t("couldNotSwitch"),
        upgrade: Boolean(result.upgrade),
      });
  });
  useResultToast(save.data && "message" in save.data ? save.data : undefined);
  useResultToast(toggle.data && "message" in toggle.data ? toggle.data : undefined);

  const submitSave = () => {
    const input = form.validate();
    if (input === null) {
      setNotice({ tone: "critical", text: t("needsFixing") });
      return;
    }
    save.submit({ intent: "save", config: JSON.stringify(input) }, { method: "post" });
  };

  const pendingToggle = toggle.formData?.get("enabled");
  const enabled = pendingToggle ? pendingToggle === "true" : data.enabled;
  const blocked = data.missing.length > 0 && !enabled;

  const page = (
    <Page
      title={data.recipe.title}
      titleMetadata={
        data.paused && enabled && !pendingToggle ? (
          <Badge tone="attention">{t("paused")}</Badge>
        ) : (
          <Badge tone={enabled ? "success" : undefined}>{enabled ? t("on") : t("off")}</Badge>
        )
      }
      subtitle={data.recipe.summary}
      backAction={{ content: t("recipes"), onAction: () => navigate(appPath("/app/recipes")) }}
      primaryAction={{
        content: enabled ? t("switchOff") : t("switchOn"),
        destructive: enabled,
        disabled: blocked || form.dirty,
        helpText: form.dirty
          ? t("saveFirst")
          : blocked
            ? t("connectFirst", { vendors: data.missing.join(t("and")) })
            : undefined,
        loading: toggle.state !== "idle",
        onAction: () =>
          toggle.submit({ intent: "toggle", enabled: String(!enabled) }, { method: "post" }),
      }}
    >
      <ContextualSaveBar
        id="recipe-settings-save-bar"
        dirty={form.dirty}
        saving={save.state !== "idle"}
        onSave={submitSave}
        onDiscard={form.discard}
      />
      <Layout>
        {notice ? (
          <Layout.Section>
            <Banner
              tone={notice.tone}
              onDismiss={() => setNotice(null)}
              action={
                notice.upgrade ? { content: t("seePlans"), url: appPath("/app/plan") } : undefined
              }
            >
              {notice.text}
            </Banner>
          </Layout.Section>
        ) : null}
        {data.paused && enabled ? (
          <Layout.Section>
            <Banner
              tone="warning"
              title={data.paused}
              action={{ content: t("upgrade"), url: appPath("/app/plan") }}
            >
              {t("pausedText", { title: data.recipe.title })}
            </Banner>
          </Layout.Section>
        ) : null}
        {data.configError ? (
          <Layout.Section>
            <Banner tone="warning">{t("configError", { error: data.configError })}</Banner>
          </Layout.Section>
        ) : null}
        {blocked ? (
          <Layout.Section>
            <Banner
              tone="warning"
              action={{ content: t("openIntegrations"), url: appPath("/app/integrations") }}
            >
              {t("needs", { title: data.recipe.title, vendors: data.missing.join(t("and")) })}
            </Banner>
          </Layout.Section>
        ) : null}
        <Layout.Section>
          <BlockStack gap="400">
            <Card>
              <BlockStack gap="400">
                <Text as="h2" variant="headingMd">
                  {t("settings")}
                </Text>
                <form
                  onSubmit={(event) => {
                    event.preventDefault();
                    submitSave();
                  }}
                  aria-label={t("settingsLabel", { title: data.recipe.title })}
                  noValidate
                >
                  <SchemaForm
                    schema={form.json}
                    draft={form.draft}
                    errors={form.errors}
                    onChange={form.setField}
                    pick={pick}
                    pickerAvailable={appBridge}
                    resources={resources}
                    onPicked={remember}
                    disabled={save.state !== "idle"}
                  />
                  {/* Enter in a field saves, as in any form. */}
                  <button type="submit" hidden aria-hidden tabIndex={-1} />
                </form>
              </BlockStack>
            </Card>
            <DryRunPanel
              recipeTitle={data.recipe.title}
              input={form.input}
              valid={form.valid}
              onInvalid={() => form.validate()}
            />
            {data.tests.length > 0 ? (
              <Card>
                <UpsellTests tests={data.tests} currency={data.currency} days={TEST_RESULT_DAYS} />
              </Card>
            ) : null}
          </BlockStack>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <BlockStack gap="400">
            {data.recipe.id === UPSELL_RECIPE_ID ? (
              <OfferPreview
                rules={(form.draft as { rules?: unknown }).rules}
                resources={resources}
                currency={data.currency}
              />
            ) : null}
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingMd">
                  {t("willDo")}
                </Text>
                <Text as="p">{willDo}</Text>
                <Box paddingBlockStart="200">
                  <Text as="p" variant="bodySm" tone="subdued">
                    {t("sharedGuards", { guards: data.guards })}
                  </Text>
                </Box>
              </BlockStack>
            </Card>
            <RecentRuns
              runs={data.runs}
              activityUrl={appPath(`/app/activity?recipe=${data.recipe.id}`)}
            />
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
  return <ShopTimeContext.Provider value={data.shopTime}>{page}</ShopTimeContext.Provider>;
}
