import { reactExtension } from "@shopify/ui-extensions-react/admin";
import { ProductOfferBlock } from "./ProductOfferBlock";

export default reactExtension("admin.product-details.block.render", () => <ProductOfferBlock />);
