import type { Database } from "../../db.server";

export interface ProcessedEvent {
  database: Database;
  shop: string;
  topic: string;
  eventId: number;
}

/**
 * Where a processed webhook event meets the recipe engine. The engine arrives with the recipes
 * issue; until then a processed event has no further consumers, by design.
 */
export async function handOffToRecipes(_event: ProcessedEvent): Promise<void> {}
