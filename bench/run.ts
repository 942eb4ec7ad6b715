// `npm run bench -- <name> [...]`: runs benchmarks; each writes bench/results/<name>.json.
import { BENCHMARKS } from "./registry";

const names = process.argv.slice(2).filter((arg) => !arg.startsWith("-"));
const selected = names.length ? names : Object.keys(BENCHMARKS);
const unknown = selected.filter((name) => !(name in BENCHMARKS));
if (unknown.length) {
  console.error(
    `Unknown benchmark: ${unknown.join(", ")}. Available: ${Object.keys(BENCHMARKS).join(", ") || "none"}`,
  );
  process.exit(2);
}
for (const name of selected) {
  console.log(`\n=== ${name} ===`);
  await BENCHMARKS[name]!();
}
