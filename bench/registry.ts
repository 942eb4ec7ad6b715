import { ingestBenchmark } from "./ingest";

/** Every benchmark `npm run bench` knows, by name. */
export const BENCHMARKS: Record<string, () => Promise<void>> = {
  ingest: ingestBenchmark,
};
