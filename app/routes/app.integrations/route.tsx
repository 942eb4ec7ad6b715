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
  const [klaviyo, gorgias, ticketImport, enabled, timeZone] = await Promise.all([
    getIntegration(database, session.shop, "klaviyo"),
    getIntegration(database, session.shop, "gorgias"),
    getTicketImport(database, session.shop),
    enabledRecipeIds(database, session.shop),
    shopTimeZoneOf(database, session.shop),
  ]);
  const recipes = RECIPES.filter((r) => enabled.includes(r.id));
  return {
    shopTime: shopTimeSettings(timeZone, clock.now()),
    klaviyo: klaviyo
      ? { ...integrationView(klaviyo), disconnectWarning: disconnectWarning("klaviyo", recipes) }
      : null,
    gorgias: gorgias
      ? {
          ...integrationView(gorgias),
          ticketImport: ticketImport ? ticketImportView(ticketImport) : null,
          disconnectWarning: disconnectWarning("gorgias", recipes),
        }
      : null,
  };
};

/** Connected: deliver what waited for the vendor meanwhile, and say what happened to it. */
async function releaseAfterConnect(shop: string, vendor: Vendor): Promise<string> {
  const { database, queue, clock } = await getRuntime();
  const released = await releaseHeldWork(database, queue, shop, vendor, clock.now());
  return releasedSentence(vendor, released);
}

function failed<T>(intent: Intent, result: ConnectResult<T> & { ok: false }): ActionResult {
  return { intent, ok: false, errors: { [result.field]: result.message } };
}

export const action = async ({ request }: ActionFunctionArgs): Promise<ActionResult> => {
  const { session } = await authenticate.admin(request);
  const shop = session.shop;
  const database = await db();
  const form = Object.fromEntries(await request.formData());
  const intent = INTENTS.find((i) => i === form.intent);
  if (!intent) return { intent: "klaviyo-check", ok: false, errors: { form: "Unknown action." } };

  switch (intent) {
    case "klaviyo-connect": {
      const parsed = klaviyoForm.safeParse(form);
      if (!parsed.success) return { intent, ok: false, errors: fieldErrors(parsed.error) };
      const result = await connectKlaviyo(database, shop, parsed.data.apiKey);
      if (!result.ok) return failed(intent, result);
      const released = await releaseAfterConnect(shop, "klaviyo");
      return {
        intent,
        ok: true,
        message: `Connected to Klaviyo${result.value.accountName ? ` (${result.value.accountName})` : ""}.${released}`,
      };
    }
    case "klaviyo-check": {
      const result = await recheckKlaviyo(database, shop);
      if (!result.ok) return failed(intent, result);
      return {
        intent,
        ok: true,
        message: result.value.missingScopes.length
          ? `Checked: the key still lacks ${result.value.missingScopes.join(", ")}.`
          : "Checked: the key works and has every scope.",
      };
    }
    case "gorgias-test":
    case "gorgias-connect": {
      const parsed = gorgiasForm.safeParse(form);
      if (!parsed.success) return { intent, ok: false, errors: fieldErrors(parsed.error) };
      const result =
        intent === "gorgias-test"
          ? await testGorgias(database, shop, parsed.data)
          : await connectGorgias(database, (await getRuntime()).queue, shop, parsed.data);
      if (!result.ok) return failed(intent, result);
      const where = `${result.value.domain}.gorgias.com`;
      const released =
        intent === "gorgias-connect" ? await releaseAfterConnect(shop, "gorgias") : "";
      return {
        intent,
        ok: true,
        message:
          intent === "gorgias-test"
            ? `It works: ${where} accepted the key${result.value.userEmail ? ` of ${result.value.userEmail}` : ""}.`
            : `Connected to ${where}; ticket updates will reach Switchboard. Importing the tickets open now…${released}`,
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
          errors: { form: `Confirm that you want to disconnect ${vendorName(vendor)}.` },
        };
      await disconnect(database, shop, vendor);
      return {
        intent,
        ok: true,
        message: `Disconnected ${vendorName(vendor)}; its key is deleted. Work for it waits until you reconnect (up to ${HELD_MAX_AGE_DAYS} days).`,
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
  return (
    <Page title="Integrations">
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
              Your keys
            </Text>
            <Text as="p" tone="subdued">
              Keys are checked with a real call before they are saved, stored encrypted, and used
              only for this store. Switchboard shows only their last four characters. Disconnecting
              deletes them.
            </Text>
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
