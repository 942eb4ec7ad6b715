// Shared by server.js and worker.js: what a failed start says, in one clear line per problem
// and without a stack trace. The useful part of a database failure is usually the innermost
// cause (Drizzle wraps it as "Failed query: CREATE SCHEMA …").

const DATABASE_HINT = "Check DATABASE_URL.";

/** The chain error → cause → cause…, with the members of an AggregateError (IPv4 + IPv6 tries). */
function causes(error) {
  const chain = [];
  for (let current = error; current && chain.length < 8; current = current.cause) {
    chain.push(current);
    if (Array.isArray(current.errors)) chain.push(...current.errors);
  }
  return chain;
}

export function bootErrorMessage(error) {
  if (!(error instanceof Error)) return String(error);
  // Invalid configuration already names every problem (app/env.server.ts).
  if (error.name === "EnvError") return error.message;
  const chain = causes(error);
  const network = chain.find((e) => typeof e.code === "string" && /^E[A-Z]+$/.test(e.code));
  if (network) {
    const where = network.address
      ? ` at ${network.address}${network.port ? `:${network.port}` : ""}`
      : "";
    const what =
      {
        ECONNREFUSED: "connection refused",
        ENOTFOUND: "host not found",
        ETIMEDOUT: "timed out",
        ECONNRESET: "connection reset",
      }[network.code] ?? network.message;
    return `Cannot reach the database${where}: ${what} (${network.code}). Is it running? ${DATABASE_HINT}`;
  }
  // PostgreSQL's own refusals carry a SQLSTATE: unknown role (28000), bad password (28P01), no such database (3D000)…
  // Wrapped (Drizzle's "Failed query"), or bare from a connection of our own (the migration lock's).
  const refusal = chain.find(
    (e) =>
      typeof e.code === "string" &&
      /^[0-9A-Z]{5}$/.test(e.code) &&
      (e !== error || typeof e.severity === "string"),
  );
  if (refusal)
    return `The database refused: ${refusal.message} (SQLSTATE ${refusal.code}). ${DATABASE_HINT}`;
  const innermost = chain.at(-1);
  return innermost === error
    ? error.message
    : `${error.message.split("\n")[0]}: ${innermost.message}`;
}
