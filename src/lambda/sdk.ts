/**
 * The AWS SDK packages, loaded with require() on first use. They are CommonJS: import() of CommonJS from an ES
 * module first has Node parse every file the package re-exports for its export names (cjs-module-lexer), about
 * half of their load time on Node 20 (client-lambda ~110 → ~55 ms, with client-cloudwatch-logs ~130 → ~65 ms).
 * Commands that need no AWS client never load them. Their types come from `import type`.
 */
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);

/** Kept once loaded: require() resolves its path again on every call, and a backfill asks once per invocation. */
function once<T>(load: () => T): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= load());
}

export const lambdaSdk = once((): typeof import("@aws-sdk/client-lambda") => require("@aws-sdk/client-lambda"));
export const logsSdk = once((): typeof import("@aws-sdk/client-cloudwatch-logs") => require("@aws-sdk/client-cloudwatch-logs"));
export const credentialProviders = once((): typeof import("@aws-sdk/credential-providers") => require("@aws-sdk/credential-providers"));
