import type {
  ActionFunctionArgs,
  HeadersFunction,
  LinksFunction,
  LoaderFunctionArgs,
} from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import {
  AppProvider as PolarisAppProvider,
  Button,
  Card,
  FormLayout,
  Page,
  Text,
  TextField,
} from "@shopify/polaris";
import polarisEn from "@shopify/polaris/locales/en.json";
import polarisFr from "@shopify/polaris/locales/fr.json";
import polarisStyles from "@shopify/polaris/build/esm/styles.css?url";
import { useState } from "react";
import { login } from "../../shopify.server";
import { requestLocale } from "../../i18n/request.server";
import { loginErrorMessage } from "./error.server";
import { messages } from "./messages";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: polarisStyles }];

// The login form takes a shop domain from whoever sees it: never inside someone else's frame.
export const headers: HeadersFunction = () => ({
  "Content-Security-Policy": "frame-ancestors 'none';",
});

/** The login page has no Admin locale parameter: the browser's language (Accept-Language) picks. */
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const locale = requestLocale(request);
  const errors = loginErrorMessage(await login(request), locale);
  return {
    errors,
    polarisTranslations: locale === "fr" ? polarisFr : polarisEn,
    text: messages[locale],
  };
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const errors = loginErrorMessage(await login(request), requestLocale(request));
  return { errors };
};

export default function Auth() {
  const loaderData = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [shop, setShop] = useState("");
  const { errors } = actionData || loaderData;
  const text = loaderData.text;

  return (
    <PolarisAppProvider i18n={loaderData.polarisTranslations}>
      <Page>
        <Card>
          <Form method="post">
            <FormLayout>
              <Text variant="headingMd" as="h2">
                {text.heading}
              </Text>
              <TextField
                type="text"
                name="shop"
                label={text.shopDomain}
                helpText="example.myshopify.com"
                value={shop}
                onChange={setShop}
                autoComplete="on"
                error={errors.shop}
              />
              <Button submit>{text.logIn}</Button>
            </FormLayout>
          </Form>
        </Card>
      </Page>
    </PolarisAppProvider>
  );
}
