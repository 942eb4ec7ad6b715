import type { SandboxStore } from "../store/types";

/**
 * The store's catalog as the sandbox's resource picker lists it, each resource in the shape App
 * Bridge's `shopify.resourcePicker` answers with (gid ids, `images[].originalSrc`, a variant's
 * `displayName`), so the app reads the stand-in's answer exactly as it reads Shopify's.
 */

const gid = (type: string, id: number) => `gid://shopify/${type}/${id}`;

export function pickerCatalog(store: SandboxStore) {
  const variantsById = new Map(store.variants.map((v) => [v.id, v]));
  const active = store.products.filter((p) => p.status === "active");
  const products = active.map((product) => {
    const images = product.images.map((image) => ({
      id: gid("ProductImage", image.imageId),
      altText: image.altText,
      originalSrc: image.url,
    }));
    const variants = product.variantIds.flatMap((id) => {
      const variant = variantsById.get(id);
      if (!variant) return [];
      const image = product.images.find((i) => i.mediaId === variant.mediaId) ?? product.images[0];
      return [
        {
          id: gid("ProductVariant", variant.id),
          title: variant.title,
          displayName:
            variant.title === "Default Title"
              ? product.title
              : `${product.title} — ${variant.title}`,
          sku: variant.sku,
          price: variant.price,
          image: image ? { originalSrc: image.url, altText: image.altText } : null,
          product: { id: gid("Product", product.id) },
        },
      ];
    });
    return {
      id: gid("Product", product.id),
      title: product.title,
      handle: product.handle,
      images,
      variants,
    };
  });
  const collections = store.collections.map((collection) => ({
    id: gid("Collection", collection.id),
    title: collection.title,
    handle: collection.handle,
    productsCount: collection.productIds.length,
    image: null,
  }));
  return { products, collections };
}
