import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { BlockStack, Layout, Page, Text } from "@shopify/polaris";
import { db } from "../../db.server";
import {
  connectGorgias,
  connectKlaviyo,
  disconnect,
  recheckKlaviyo,
  testGorgias,
  type ConnectResult,
} from "../../integrations/connections.server";
import { getIntegration, integrationView } from "../../models/integrations.server";
import { getTicketImport, ticketImportView } from "../../models/gorgias-ticket-imports.server";
import { shopTimeZoneOf } from "../../models/shops.server";
import { getRuntime } from "../../runtime.server";
import { ShopTimeContext, shopTimeSettings } from "../../components/shop-time";
import { authenticate } from "../../shopify.server";
import { intlLocale, type Locale } from "../../i18n/locale";
import { translator } from "../../i18n/messages";
import { useMessages } from "../../i18n/react";
import { requestLocale } from "../../i18n/request.server";
import { connectErrorIn } from "./connect-errors";
import { messages } from "./messages";
import { vendorTrouble } from "../../models/vendor-trouble.server";
import { GorgiasCard } from "./components/GorgiasCard";
import { KlaviyoCard } from "./components/KlaviyoCard";
import {
  fieldErrors,
  gorgiasForm,
  INTENTS,
  klaviyoForm,
  type ActionResult,
  type Intent,
} from "./validator";
import { vendorName } from "../../utils/vendor-names";
import type { Vendor } from "../../../db/schema/index";
import { enabledRecipeIds } from "../../models/recipe-settings.server";
import { releaseHeldWork } from "../../recipes/held-work.server";
import { RECIPES } from "../../recipes/registry";
import {
  disconnectWarning,
  HELD_MAX_AGE_DAYS,
  releasedSentence,
} from "../../recipes/integration-copy";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const database = await db();
  const { clock } = await getRuntime();
  const locale = requestLocale(request);
  const now = clock.now();
  const [klaviyo, gorgias, ticketImport, enabled, timeZone, klaviyoTrouble, gorgiasTrouble] =
    await Promise.all([
      getIntegration(database, session.shop, "klaviyo"),
      getIntegration(database, session.shop, "gorgias"),
      getTicketImport(database, session.shop),
      enabledRecipeIds(database, session.shop),
      shopTimeZoneOf(database, session.shop),
      vendorTrouble(database, session.shop, "klaviyo", now),
      vendorTrouble(database, session.shop, "gorgias", now),
    ]);
  const recipes = RECIPES.filter((r) => enabled.includes(r.id));
  const view = (row: Parameters<typeof integrationView>[0]) => {
    const shown = integrationView(row);
    return {
      ...shown,
      lastError: shown.lastError ? connectErrorIn(shown.lastError, locale) : shown.lastError,
    };
  };
  return {
    shopTime: shopTimeSettings(timeZone, now, intlLocale(locale)),
    klaviyo: klaviyo
      ? {
          ...view(klaviyo),
          trouble: klaviyoTrouble,
          disconnectWarning: disconnectWarning("klaviyo", recipes, locale),
        }
      : null,
    gorgias: gorgias
      ? {
          ...view(gorgias),
          ticketImport: ticketImport ? ticketImportView(ticketImport) : null,
          trouble: gorgiasTrouble,
          disconnectWarning: disconnectWarning("gorgias", recipes, locale),
        }
      : null,
  };
};

/** Connected: deliver what waited for the vendor meanwhile, and say what happened to it. */
async function releaseAfterConnect(shop: string, vendor: Vendor, locale: Locale): Promise<string> {
  const { database, queue, clock } = await getRuntime();
  const released = await releaseHeldWork(database, queue, shop, vendor, clock.now());
  return releasedSentence(vendor, released, locale);
}

function failed<T>(
  intent: Intent,
  result: ConnectResult<T> & { ok: false },
  locale: Locale,
): ActionResult {
  return { intent, ok: false, errors: { [result.field]: connectErrorIn(result.message, locale) } };
}

export const action = async ({ request }: ActionFunctionArgs): Promise<ActionResult> => {
  const { session } = await authenticate.admin(request);
  const shop = session.shop;
  const database = await db();
  const form = Object.fromEntries(await request.formData());
  const locale = requestLocale(request);
  const t = translator(messages, locale);
  const intent = INTENTS.find((i) => i === form.intent);
  if (!intent) return { intent: "klaviyo-check", ok: false, errors: { form: t("unknownAction") } };

  switch (intent) {
    case "klaviyo-connect": {
      const parsed = klaviyoForm.safeParse(form);
      if (!parsed.success) return { intent, ok: false, errors: fieldErrors(parsed.error, locale) };
      const result = await connectKlaviyo(database, shop, parsed.data.apiKey);
      if (!result.ok) return failed(intent, result, locale);
      const released = await releaseAfterConnect(shop, "klaviyo", locale);
      return {
        intent,
        ok: true,
        message: result.value.accountName
          ? t("connectedKlaviyoNamed", { account: result.value.accountName, released })
          : t("connectedKlaviyo", { released }),
      };
    }
    case "klaviyo-check": {
      const result = await recheckKlaviyo(database, shop);
      if (!result.ok) return failed(intent, result, locale);
      return {
        intent,
        ok: true,
        message: result.value.missingScopes.length
          ? t("checkedMissing", { scopes: result.value.missingScopes.join(", ") })
          : t("checkedAll"),
      };
    }
    case "gorgias-test":
    case "gorgias-connect": {
      const parsed = gorgiasForm.safeParse(form);
      if (!parsed.success) return { intent, ok: false, errors: fieldErrors(parsed.error, locale) };
      const result =
        intent === "gorgias-test"
          ? await testGorgias(database, shop, parsed.data)
          : await connectGorgias(database, (await getRuntime()).queue, shop, parsed.data);
      if (!result.ok) return failed(intent, result, locale);
      const where = `${result.value.domain}.gorgias.com`;
      const released =
        intent === "gorgias-connect" ? await releaseAfterConnect(shop, "gorgias", locale) : "";
      return {
        intent,
        ok: true,
        message:
          intent === "gorgias-test"
            ? result.value.userEmail
              ? t("itWorksOf", { where, email: result.value.userEmail })
              : t("itWorks", { where })
            : t("connectedGorgias", { where, released }),
      };
    }
    case "klaviyo-disconnect":
    case "gorgias-disconnect": {
      const vendor = intent === "klaviyo-disconnect" ? "klaviyo" : "gorgias";
      // The card asks first (what stops, what waits); a request without the answer changes nothing.
      if (form.confirmed !== "yes")
        return {
          intent,
          ok: false,
          errors: { form: t("confirmDisconnect", { vendor: vendorName(vendor) }) },
        };
      await disconnect(database, shop, vendor);
      return {
        intent,
        ok: true,
        message: t("disconnected", { vendor: vendorName(vendor), days: HELD_MAX_AGE_DAYS }),
      };
    }
  }
};

export default function Integrations() {
  const { shopTime } = useLoaderData<typeof loader>();
  return (
    <ShopTimeContext.Provider value={shopTime}>
      <IntegrationsScreen />
    </ShopTimeContext.Provider>
  );
}

function IntegrationsScreen() {
  const { klaviyo, gorgias } = useLoaderData<typeof loader>();
  const t = useMessages(messages);
  return (
    <Page title={t("title")}>
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            <KlaviyoCard connection={klaviyo} />
            <GorgiasCard connection={gorgias} />
          </BlockStack>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <BlockStack gap="200">
            <Text as="h2" variant="headingSm">
              {t("yourKeys")}
            </Text>
            <Text as="p" tone="subdued">
              {t("keysText")}
            </Text>
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
