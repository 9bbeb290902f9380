// Bundles the CLI (src/cli/main.ts and what it imports) into dist/cli-bundle with esbuild: a command then loads a
// handful of files instead of 50–190 modules, each of which Node resolves, reads and compiles apart (issue 29 §1).
// Each lazy `import()` stays lazy: code splitting makes it a chunk of its own, loaded on use. npm packages stay
// outside (jiti, commander load with require() as before), but for the AWS SDK clients pipes uses: those go into
// one CommonJS file of their own, dist/cli-bundle/aws-sdk.cjs (src/lambda/aws-sdk-bundle.cjs), which
// src/lambda/sdk.ts loads with a code cache. The bundle sits two folders below the
// package root as dist/<folder>/<file>.js do, so `new URL("../../src/…", import.meta.url)` means the same in both.
// dist/cli-bundle/sources.json maps each output file to its source modules (test/cli/lazy-loading.test.ts).
import { build } from "esbuild";
import { rmSync, writeFileSync } from "node:fs";

const root = new URL("../", import.meta.url);
const out = new URL("dist/cli-bundle/", root).pathname;
rmSync(out, { recursive: true, force: true }); // no chunk of an older build left behind
const result = await build({
  absWorkingDir: root.pathname,
  entryPoints: { main: "src/cli/main.ts", "quiet-warnings": "src/util/quiet-warnings.ts" },
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  packages: "external",
  outdir: out,
  chunkNames: "[name]-[hash]",
  sourcemap: "linked",
  metafile: true,
  logLevel: "warning",
});
const sdk = await build({
  absWorkingDir: root.pathname,
  entryPoints: ["src/lambda/aws-sdk-bundle.cjs"],
  bundle: true,
  format: "cjs",
  platform: "node",
  target: "node20",
  outfile: `${out}aws-sdk.cjs`,
  metafile: true,
  logLevel: "warning",
});
const sources = Object.fromEntries(
  [...Object.entries(result.metafile.outputs), ...Object.entries(sdk.metafile.outputs)]
    .filter(([file]) => /\.c?js$/.test(file))
    .map(([file, output]) => [file.slice(file.lastIndexOf("/") + 1), Object.keys(output.inputs).sort()]),
);
writeFileSync(`${out}sources.json`, `${JSON.stringify(sources, null, 1)}\n`);
