import { parseGid } from "./ids";
import { indexStore } from "./lookup";
import { isoUtc } from "./time";
import type { SandboxInventoryLevel, SandboxStore } from "./types";

/** Resources `tagsAdd`/`tagsRemove` accept that the sandbox has (Shopify also takes DraftOrder and Article). */
export type TaggableType = "Order" | "Customer" | "Product";

export interface TaggableRecord {
  type: TaggableType;
  id: number;
  record: { tags: string[]; updatedAt: string };
}

/** The store record behind a gid, if it is one the tag mutations can change. */
export function findTaggable(store: SandboxStore, globalId: string): TaggableRecord | null {
  const parsed = parseGid(globalId);
  if (!parsed) return null;
  const index = indexStore(store);
  const record =
    parsed.type === "Order"
      ? index.orders.get(parsed.id)
      : parsed.type === "Customer"
        ? index.customers.get(parsed.id)
        : parsed.type === "Product"
          ? index.products.get(parsed.id)
          : undefined;
  return record ? { type: parsed.type as TaggableType, id: parsed.id, record } : null;
}

/**
 * Splits comma-separated entries, trims, drops empties and duplicates (tags are
 * case-insensitive: the first spelling wins).
 */
export function normalizeTags(input: readonly string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const entry of input) {
    for (const raw of entry.split(",")) {
      const tag = raw.trim();
      if (!tag || seen.has(tag.toLowerCase())) continue;
      seen.add(tag.toLowerCase());
      out.push(tag);
    }
  }
  return out;
}

function sortTags(tags: string[]): string[] {
  return tags.sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase()));
}

/** Adds tags to an order, customer or product; returns the new tag list, or null if there is no such record. */
export function addTags(
  store: SandboxStore,
  globalId: string,
  tags: readonly string[],
  at: Date = new Date(),
): string[] | null {
  const target = findTaggable(store, globalId);
  if (!target) return null;
  const current = target.record.tags;
  const known = new Set(current.map((tag) => tag.toLowerCase()));
  const added = normalizeTags(tags).filter((tag) => !known.has(tag.toLowerCase()));
  if (added.length > 0) {
    target.record.tags = sortTags([...current, ...added]);
    target.record.updatedAt = isoUtc(at.getTime());
  }
  return target.record.tags;
}

/** Removes tags (case-insensitively); returns the new tag list, or null if there is no such record. */
export function removeTags(
  store: SandboxStore,
  globalId: string,
  tags: readonly string[],
  at: Date = new Date(),
): string[] | null {
  const target = findTaggable(store, globalId);
  if (!target) return null;
  const drop = new Set(normalizeTags(tags).map((tag) => tag.toLowerCase()));
  const kept = target.record.tags.filter((tag) => !drop.has(tag.toLowerCase()));
  if (kept.length !== target.record.tags.length) {
    target.record.tags = kept;
    target.record.updatedAt = isoUtc(at.getTime());
  }
  return target.record.tags;
}

/**
 * Sets `available` at one location, keeping on_hand consistent. Returns the level (for an
 * `inventory_levels/update` payload), or null if the item isn't stocked there.
 */
export function setAvailable(
  store: SandboxStore,
  inventoryItemId: number,
  locationId: number,
  available: number,
  at: Date = new Date(),
): SandboxInventoryLevel | null {
  const level = (indexStore(store).levelsByItem.get(inventoryItemId) ?? []).find(
    (l) => l.locationId === locationId,
  );
  if (!level) return null;
  const delta = available - level.quantities.available;
  level.quantities.available = available;
  level.quantities.on_hand += delta;
  level.updatedAt = isoUtc(at.getTime());
  return level;
}

/** Adds `delta` (may be negative) to `available` at one location. */
export function adjustAvailable(
  store: SandboxStore,
  inventoryItemId: number,
  locationId: number,
  delta: number,
  at: Date = new Date(),
): SandboxInventoryLevel | null {
  const level = (indexStore(store).levelsByItem.get(inventoryItemId) ?? []).find(
    (l) => l.locationId === locationId,
  );
  return level
    ? setAvailable(store, inventoryItemId, locationId, level.quantities.available + delta, at)
    : null;
}
