import { afterAll, beforeAll } from "vitest";
import { createRuntime, setRuntime, type Runtime } from "../../app/runtime.server";
import type { Clock } from "../../app/utils/clock";
import { describeEachDatabase, type DatabaseKind, type TestDatabase } from "./database";

export interface RuntimeContext {
  kind: DatabaseKind;
  runtime(): Runtime;
  testDatabase(): TestDatabase;
}

/**
 * A suite per database kind with the real runtime: migrated database, pg-boss queue and
 * (by default) in-process workers, installed as the app's runtime for route handlers.
 */
export function describeWithRuntime(
  title: string,
  body: (ctx: RuntimeContext) => void,
  options: { workers?: boolean; clock?: Clock } = {},
) {
  describeEachDatabase(title, ({ kind, use }) => {
    let runtime: Runtime | undefined;
    beforeAll(async () => {
      runtime = await createRuntime(use().database, {
        workers: options.workers ?? true,
        concurrency: 4,
        superviseIntervalSeconds: 1,
        retryOverrides: { retryDelaySeconds: 1, retryDelayMaxSeconds: 2 },
        ...(options.clock ? { clock: options.clock } : {}),
      });
      setRuntime(runtime);
    });
    afterAll(async () => {
      setRuntime(undefined);
      await runtime?.stop({ timeoutMs: 2_000 });
    });
    body({
      kind,
      runtime: () => runtime!,
      testDatabase: use,
    });
  });
}
