/**
 * The AWS SDK packages, loaded with require() on first use (see util/cjs.ts: client-lambda ~110 → ~55 ms on
 * Node 20). Commands that need no AWS client never load them.
 */
import { requireCjs } from "../util/cjs.js";

/** Kept once loaded: require() resolves its path again on every call, and a backfill asks once per invocation. */
function once<T>(load: () => T): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= load());
}

export const lambdaSdk = once((): typeof import("@aws-sdk/client-lambda") => requireCjs("@aws-sdk/client-lambda"));
export const logsSdk = once((): typeof import("@aws-sdk/client-cloudwatch-logs") => requireCjs("@aws-sdk/client-cloudwatch-logs"));
export const credentialProviders = once((): typeof import("@aws-sdk/credential-providers") => requireCjs("@aws-sdk/credential-providers"));
