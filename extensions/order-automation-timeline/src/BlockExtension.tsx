import { render } from "preact";
import { OrderTimelineBlock } from "./OrderTimelineBlock";

// 2025-10 and later: the admin loads this module for admin.order-details.block.render (see
// shopify.extension.toml), hands the block API over as the global `shopify`, and mounts the
// default export; the block itself receives the API as a prop.
export default async () => {
  render(<OrderTimelineBlock api={shopify} />, document.body);
};
