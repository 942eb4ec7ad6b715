import { ingestBenchmark } from "./ingest";
import { segmentSyncBenchmark } from "./segment-sync";

/** Every benchmark `npm run bench` knows, by name. */
export const BENCHMARKS: Record<string, () => Promise<void>> = {
  ingest: ingestBenchmark,
  "segment-sync": segmentSyncBenchmark,
  offer: () => import("./offer").then((m) => m.offerBenchmark()),
  recipes: () => import("./recipes").then((m) => m.recipesBenchmark()),
  import: () => import("./import").then((m) => m.importBenchmark()),
  fairness: () => import("./fairness").then((m) => m.fairnessBenchmark()),
  "closed-loop": () => import("./closed-loop").then((m) => m.closedLoopBenchmark()),
  "gap-report": () => import("./gap-report").then((m) => m.gapReportBenchmark()),
};
