import { API_KEY, API_SECRET_KEY, APP_URL } from "@shopify/shopify-api/test-helpers";

// The app reads these through app/env.server.ts; they match Shopify's test-helper constants
// so tokens and HMACs made with those helpers verify.
process.env.NODE_ENV = "test";
process.env.SHOPIFY_API_KEY = API_KEY;
process.env.SHOPIFY_API_SECRET = API_SECRET_KEY;
process.env.SHOPIFY_APP_URL = APP_URL;
process.env.PGLITE_DATA_DIR = "memory://";
process.env.LOG_LEVEL ??= "warn";
delete process.env.DATABASE_URL;
