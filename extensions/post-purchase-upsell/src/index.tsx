import { extend, render } from "@shopify/post-purchase-ui-extensions-react";
import { buildTimeAppUrl, createOfferClient } from "./api";
import { OfferPage } from "./OfferPage";
import { createShouldRender } from "./should-render";

const client = createOfferClient({ appUrl: buildTimeAppUrl() });

// Decides whether the post-purchase page is shown: only when the app has an offer.
extend("Checkout::PostPurchase::ShouldRender", createShouldRender(client));

// Shows the offer stored by ShouldRender.
render("Checkout::PostPurchase::Render", (input) => <OfferPage input={input} client={client} />);
