import { reactExtension } from "@shopify/ui-extensions-react/admin";
import { OrderTimelineBlock } from "./OrderTimelineBlock";

export default reactExtension("admin.order-details.block.render", () => <OrderTimelineBlock />);
