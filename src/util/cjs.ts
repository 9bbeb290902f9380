/**
 * require() for the CommonJS packages pipes loads (the AWS SDK, jiti, commander). import() of CommonJS from an
 * ES module first has Node parse the file, and every file it re-exports, for its export names
 * (cjs-module-lexer): on Node 20 about half the load time of the SDK, and ~20 ms of jiti's at every start.
 * Their types come from `import type`.
 */
import { createRequire } from "node:module";

export const requireCjs = createRequire(import.meta.url);
