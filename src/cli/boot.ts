/**
 * What bin/pipes.js needs before the CLI itself: the SDK's Node.js-version warning silenced, and the loader that
 * runs the bundled CLI (dist/cli-bundle/main.cjs) from a code cache. Kept apart so it stays a few KB to load.
 */
export { silenceSdkNodeVersionWarning } from "../util/quiet-warnings.js";
export { requireWithCodeCache } from "../util/code-cache.js";
