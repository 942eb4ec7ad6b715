import { expect, it } from "vitest";
import { migrateDatabase } from "../app/db.server";
import { describeEachDatabase } from "../tests/helpers/database";

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
