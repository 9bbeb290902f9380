/**
 * The AWS SDK packages pipes' own clients use, loaded on first use: commands that need no AWS client never load
 * them. `npm run build` bundles them into one file, dist/cli-bundle/aws-sdk.cjs (scripts/build-cli.mjs), which
 * loads with a code cache (util/code-cache.ts) instead of Node resolving and compiling ~150 files of @aws-sdk and
 * @smithy apart at each start. Before a build (tests running src/), the installed packages load with require()
 * (util/cjs.ts).
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { requireCjs } from "../util/cjs.js";
import { requireWithCodeCache } from "../util/code-cache.js";

/** Two folders below the package root, as src/lambda/ and dist/cli-bundle/ both are. */
const BUNDLE = fileURLToPath(new URL("../../dist/cli-bundle/aws-sdk.cjs", import.meta.url));

/** The package names the bundle holds, each a getter that runs that package's code on first access. */
type Bundle = Record<string, unknown>;
let bundle: Bundle | null | undefined;

function load<T>(name: string): T {
  bundle ??= existsSync(BUNDLE) ? (requireWithCodeCache(BUNDLE) as Bundle) : null;
  return (bundle?.[name] ?? requireCjs(name)) as T;
}

/** Kept once loaded: a backfill asks once per invocation. */
function once<T>(name: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= load<T>(name));
}

export const lambdaSdk = once<typeof import("@aws-sdk/client-lambda")>("@aws-sdk/client-lambda");
export const logsSdk = once<typeof import("@aws-sdk/client-cloudwatch-logs")>("@aws-sdk/client-cloudwatch-logs");
export const credentialProviders = once<typeof import("@aws-sdk/credential-providers")>("@aws-sdk/credential-providers");
export const nodeHttpHandler = once<typeof import("@smithy/node-http-handler")>("@smithy/node-http-handler");
