// `npm run deploy` runs this before `shopify app deploy --config production`: it refuses to push
// an app config that still holds a placeholder or a local URL, which would point a live app's
// install and webhooks at nothing.
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

/** Problems with a production app config's text; none means it can be deployed. */
export function productionConfigProblems(toml) {
  const problems = [];
  const value = (key) => toml.match(new RegExp(`^${key}\\s*=\\s*"([^"]*)"`, "m"))?.[1];
  const clientId = value("client_id");
  if (!clientId || /REPLACE|local/i.test(clientId)) {
    problems.push("client_id: set it to the production app's client ID (Partner Dashboard)");
  }
  const appUrl = value("application_url");
  if (!appUrl || /REPLACE|localhost|127\.0\.0\.1/.test(appUrl) || !appUrl.startsWith("https://")) {
    problems.push("application_url: set it to the app's public https URL");
  }
  const redirects = toml.match(/^redirect_urls\s*=\s*\[([^\]]*)\]/m)?.[1] ?? "";
  if (!redirects.trim() || /REPLACE|localhost|127\.0\.0\.1|http:\/\//.test(redirects)) {
    problems.push("redirect_urls: set them to https://<app host>/auth/callback");
  }
  if (/^include_config_on_deploy\b/m.test(toml)) {
    problems.push("[build] include_config_on_deploy: removed in Shopify CLI 4.8; delete the line");
  }
  return problems;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const file = process.argv[2] ?? "shopify.app.production.toml";
  const problems = productionConfigProblems(readFileSync(file, "utf8"));
  if (problems.length > 0) {
    console.error(`${file} is not ready to deploy:\n- ${problems.join("\n- ")}`);
    process.exit(1);
  }
}
