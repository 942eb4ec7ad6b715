import { randomUUID } from "node:crypto";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, it } from "vitest";
import { migrateDatabase } from "../../app/db.server";
import { createTestDatabase, databaseKinds, describeEachDatabase } from "../helpers/database";

/** A copy of db/migrations holding only the first `count` migrations. */
function migrationsUpTo(count: number): string {
  const folder = mkdtempSync(path.join(tmpdir(), "switchboard-migrations-"));
  cpSync(path.resolve("db/migrations"), folder, { recursive: true });
  const journalPath = path.join(folder, "meta/_journal.json");
  const journal = JSON.parse(readFileSync(journalPath, "utf8")) as { entries: unknown[] };
  journal.entries = journal.entries.slice(0, count);
  writeFileSync(journalPath, JSON.stringify(journal));
  return folder;
}

describeEachDatabase("migrations", ({ use }) => {
  it("create every table in db/schema, and applying them again changes nothing", async () => {
    const { database } = use();
    const tables = async () =>
      (
        await database.executeSql(
          "select table_name from information_schema.tables where table_schema = 'public' order by table_name",
        )
      ).rows.map((row) => row.table_name);
    const before = await tables();
    expect(before).toEqual(expect.arrayContaining(["sessions", "shops"]));
    await migrateDatabase(database);
    expect(await tables()).toEqual(before);
  });
});

for (const kind of databaseKinds()) {
  it(`migration 0005 keeps the newest of a purchase's unanswered offers and closes the rest [${kind}]`, async () => {
    const test = await createTestDatabase(kind, { migrate: false });
    const before = migrationsUpTo(5);
    try {
      await migrateDatabase(test.database, before);
      const offer = (referenceId: string, minutesAgo: number) =>
        test.database.executeSql(
          `insert into upsell_offers (id, shop, reference_id, recipe, variant_id, title, price, currency, changeset_jti, shown_at)
           values ($1, 'dup.myshopify.com', $2, 'post-purchase-upsell', 1, 'Mug', 10, 'USD', $3, now() - make_interval(mins => $4))`,
          [randomUUID(), referenceId, randomUUID(), minutesAgo],
        );
      for (const minutesAgo of [3, 2, 1]) await offer("ref-dup", minutesAgo);
      await offer("ref-single", 1);
      await migrateDatabase(test.database);
      const { rows } = await test.database.executeSql(
        `select reference_id, status from upsell_offers order by reference_id, shown_at`,
      );
      expect(rows.map((r) => [r.reference_id, r.status])).toEqual([
        ["ref-dup", "declined"],
        ["ref-dup", "declined"],
        ["ref-dup", "shown"],
        ["ref-single", "shown"],
      ]);
    } finally {
      rmSync(before, { recursive: true, force: true });
      await test.destroy();
    }
  });
}

for (const kind of databaseKinds()) {
  it(`migration 0006 writes the ids in stored order lines and the upsell recipe's memory as strings [${kind}]`, async () => {
    const test = await createTestDatabase(kind, { migrate: false });
    const before = migrationsUpTo(6);
    try {
      await migrateDatabase(test.database, before);
      await test.database.executeSql(
        `insert into orders (shop, id, name, currency, total_price, current_total_price, line_items, created_at, source_updated_at)
         values ('ids.myshopify.com', 1042, '#1042', 'USD', 10, 10, $1::jsonb, now(), now())`,
        [
          JSON.stringify([
            {
              id: 13579246801,
              variantId: 44001002003,
              productId: null,
              sku: "MUG",
              title: "Mug",
              quantity: 1,
              price: "10.00",
            },
          ]),
        ],
      );
      await test.database.executeSql(
        `insert into recipe_state (shop, recipe_id, subject, value) values
           ('ids.myshopify.com', 'post-purchase-upsell', 'order:1042', '{"variantId": 44001002003, "wanted": 44001002004, "fallback": false}'),
           ('ids.myshopify.com', 'vip-tier-sync', 'customer:7', '{"vip": true, "since": "2026-01-01"}')`,
      );
      await migrateDatabase(test.database);
      const { rows: lines } = await test.database.executeSql(
        `select line_items::text as lines from orders`,
      );
      expect(JSON.parse(lines[0]!.lines)).toEqual([
        {
          id: "13579246801",
          variantId: "44001002003",
          productId: null,
          sku: "MUG",
          title: "Mug",
          quantity: 1,
          price: "10.00",
        },
      ]);
      const { rows: memory } = await test.database.executeSql(
        `select recipe_id, value::text as value from recipe_state order by recipe_id`,
      );
      expect(memory.map((r) => [r.recipe_id, JSON.parse(r.value)])).toEqual([
        [
          "post-purchase-upsell",
          { variantId: "44001002003", wanted: "44001002004", fallback: false },
        ],
        ["vip-tier-sync", { vip: true, since: "2026-01-01" }],
      ]);
    } finally {
      rmSync(before, { recursive: true, force: true });
      await test.destroy();
    }
  });
}
