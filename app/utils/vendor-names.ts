const VENDOR_NAMES: Record<string, string> = {
  klaviyo: "Klaviyo",
  gorgias: "Gorgias",
  shopify: "Shopify",
};

/** A vendor or integration as the merchant knows it ("klaviyo" → "Klaviyo"); anything else as given. */
export function vendorName(vendor: string): string {
  return Object.hasOwn(VENDOR_NAMES, vendor) ? VENDOR_NAMES[vendor]! : vendor;
}
