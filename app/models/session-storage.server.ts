import type { Session } from "@shopify/shopify-api";
import type { SessionStorage } from "@shopify/shopify-app-session-storage";
import { DrizzleSessionStoragePostgres } from "@shopify/shopify-app-session-storage-drizzle";
import { sessions } from "../../db/schema/index";
import { getDatabase } from "../db.server";

/**
 * Shopify's Drizzle adapter over our database. The database opens asynchronously (PGlite
 * start-up, migrations), while shopifyApp() wants a storage object at import time, so each
 * call waits for the database first.
 */
export class DatabaseSessionStorage implements SessionStorage {
  private adapters = new WeakMap<object, DrizzleSessionStoragePostgres>();

  private get storage(): Promise<DrizzleSessionStoragePostgres> {
    return getDatabase().then((database) => {
      let adapter = this.adapters.get(database);
      if (!adapter) {
        adapter = new DrizzleSessionStoragePostgres(database.db as any, sessions as any);
        this.adapters.set(database, adapter);
      }
      return adapter;
    });
  }

  async storeSession(session: Session) {
    return (await this.storage).storeSession(session);
  }
  async loadSession(id: string) {
    return (await this.storage).loadSession(id);
  }
  async deleteSession(id: string) {
    return (await this.storage).deleteSession(id);
  }
  async deleteSessions(ids: string[]) {
    return (await this.storage).deleteSessions(ids);
  }
  async findSessionsByShop(shop: string) {
    return (await this.storage).findSessionsByShop(shop);
  }
}
