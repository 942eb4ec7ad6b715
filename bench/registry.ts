/** Every benchmark `npm run bench` knows, by name. */
export const BENCHMARKS: Record<string, () => Promise<void>> = {};
