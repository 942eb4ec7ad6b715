import { render } from "preact";
import { ProductOfferBlock } from "./ProductOfferBlock";

// 2025-10 and later: the admin loads this module for admin.product-details.block.render (see
// shopify.extension.toml), hands the block API over as the global `shopify`, and mounts the
// default export; the block itself receives the API as a prop.
export default async () => {
  render(<ProductOfferBlock api={shopify} />, document.body);
};
