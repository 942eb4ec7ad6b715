import { parseShopifyId, shopifyGid } from "../utils/shopify-id";
import type { ResourceLabel, ResourceType } from "../utils/schema-form";

/** One resource as the picker returned it: its id (digits) and how to show it. */
export interface PickedResource {
  id: string;
  label: ResourceLabel;
}

/** Opens the picker with `selected` (ids) already ticked; null when it was cancelled. */
export type Picker = (
  type: ResourceType,
  multiple: boolean,
  selected: string[],
) => Promise<PickedResource[] | null>;

const GID_TYPE: Record<ResourceType, string> = {
  product: "Product",
  variant: "ProductVariant",
  collection: "Collection",
};

interface ImageShape {
  originalSrc?: string;
  url?: string;
}

/** The parts of App Bridge's resource picker answer we read (products, variants, collections). */
interface SelectedResource {
  id: string;
  title?: string;
  displayName?: string;
  image?: ImageShape | null;
  images?: ImageShape[];
  product?: { title?: string; images?: ImageShape[] };
  /** A variant's price (shop currency). */
  price?: string | number;
}

interface AppBridgeWithPicker {
  resourcePicker?(options: {
    type: ResourceType;
    multiple: boolean;
    action?: "add" | "select";
    selectionIds?: { id: string }[];
  }): Promise<SelectedResource[] | undefined>;
}

const src = (image: ImageShape | null | undefined) => image?.originalSrc ?? image?.url ?? null;

/** How a picked resource is shown: a variant by "Product — Variant" (Shopify's displayName). */
function labelOf(type: ResourceType, resource: SelectedResource): ResourceLabel {
  const title =
    type === "variant"
      ? (resource.displayName ??
        [resource.product?.title, resource.title].filter(Boolean).join(" — "))
      : resource.title;
  const image =
    src(resource.image) ?? src(resource.images?.[0]) ?? src(resource.product?.images?.[0]);
  const price = type === "variant" && resource.price !== undefined ? String(resource.price) : null;
  return { title: title || "Untitled", image, known: true, ...(price ? { price } : {}) };
}

/**
 * App Bridge's resource picker (`shopify.resourcePicker`), answering with the chosen ids (their
 * digits, as the settings store them) and titles; undefined without App Bridge. Ids cross into
 * the picker as gids, so they stay exact whatever their size.
 */
export function resourcePicker(): Picker | undefined {
  if (typeof window === "undefined") return undefined;
  const shopify = (window as { shopify?: AppBridgeWithPicker }).shopify;
  const open = shopify?.resourcePicker?.bind(shopify);
  if (!open) return undefined;
  return async (type, multiple, selected) => {
    const selection = await open({
      type,
      multiple,
      action: "select",
      selectionIds: selected.map((id) => ({ id: shopifyGid(GID_TYPE[type], id) })),
    });
    if (!selection) return null;
    return selection.flatMap((resource) => {
      const id = parseShopifyId(String(resource.id), GID_TYPE[type]);
      return id ? [{ id, label: labelOf(type, resource) }] : [];
    });
  };
}
