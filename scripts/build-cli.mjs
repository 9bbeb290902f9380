// Bundles the CLI (src/cli/main.ts and everything it imports) with esbuild into one CommonJS file,
// dist/cli-bundle/main.cjs, which bin/pipes.js runs from a V8 code cache (src/util/code-cache.ts): one file read
// and a cache to deserialize instead of the ~30–70 modules, each resolved, read and compiled apart, that a
// command loaded from an ES-module bundle split per command (issue 29 §1: `pipes list` ~0.92×, a cold
// materialize ~0.87× of the time). Laziness stays: a module reached by `import()` is kept in a function of its own
// (esbuild's __esm) that runs on first import, so `pipes list` still runs none of the emulator's or the SDK's code.
// npm packages stay outside (jiti, luxon, … load with require()/import() as before), but for commander and chalk
// (below), and for the AWS SDK clients pipes uses: those go into one CommonJS file of their own,
// dist/cli-bundle/aws-sdk.cjs (src/lambda/aws-sdk-bundle.cjs), which src/lambda/sdk.ts loads on first use.
// dist/cli-bundle/boot.js is what bin/pipes.js loads first (src/cli/boot.ts). The bundle sits two folders below
// the package root as dist/<folder>/<file>.js do, so `new URL("../../src/…", import.meta.url)` means the same in
// both. dist/cli-bundle/sources.json maps each output file to its source modules (test/cli/lazy-loading.test.ts).
import { build } from "esbuild";
import { readFileSync, rmSync, writeFileSync } from "node:fs";

const root = new URL("../", import.meta.url);
const out = new URL("dist/cli-bundle/", root).pathname;
rmSync(out, { recursive: true, force: true }); // no file of an older build left behind
const common = { absWorkingDir: root.pathname, bundle: true, platform: "node", target: "node20", metafile: true, logLevel: "warning" };
// Bundled into main.cjs rather than loaded from node_modules: commander (~6 files, needed by every command) and
// chalk, an ES module that a CommonJS file could only require() on Node 20.19+ and 22.12+.
const inMain = new Set(["commander", "chalk"]);
const pkg = JSON.parse(readFileSync(new URL("package.json", root), "utf8"));
const outsideMain = Object.keys({ ...pkg.dependencies, ...pkg.devDependencies }).filter((name) => !inMain.has(name));
const builds = await Promise.all([
  build({ ...common, entryPoints: { boot: "src/cli/boot.ts" }, format: "esm", packages: "external", outdir: out }),
  build({
    ...common,
    entryPoints: { main: "src/cli/main.ts" },
    format: "cjs",
    external: outsideMain.flatMap((name) => [name, `${name}/*`]),
    outExtension: { ".js": ".cjs" },
    outdir: out,
    sourcemap: "linked",
    // CommonJS has no import.meta: the file's own URL stands in, as each module's did in the ES-module bundle.
    define: { "import.meta.url": "__pipesBundleUrl" },
    banner: { js: 'const __pipesBundleUrl = require("node:url").pathToFileURL(__filename).href;' },
  }),
  build({ ...common, entryPoints: { "aws-sdk": "src/lambda/aws-sdk-bundle.cjs" }, format: "cjs", outExtension: { ".js": ".cjs" }, outdir: out }),
]);
// The two CommonJS bundles run from a code cache (src/util/code-cache.ts), which hands them `__imp_` for import():
// each import( becomes __imp_( (as long, so the source maps still hold). jiti.import( and the like are left alone.
for (const name of ["main.cjs", "aws-sdk.cjs"]) {
  const file = `${out}${name}`;
  const code = readFileSync(file, "utf8").replace(/(?<![\w$.])import\(/g, "__imp_(");
  // A method named import (jiti's `async import(id) {`) is no call: the build stops rather than rename it.
  const method = /(?:async\s+|[{,]\s*)__imp_\([^)]*\)\s*\{/.exec(code);
  if (method) throw new Error(`${name}: a method named import, not an import() call: ${method[0]}`);
  writeFileSync(file, code);
}
const sources = Object.fromEntries(
  builds
    .flatMap((result) => Object.entries(result.metafile.outputs))
    .filter(([file]) => /\.c?js$/.test(file))
    .map(([file, output]) => [file.slice(file.lastIndexOf("/") + 1), Object.keys(output.inputs).sort()]),
);
writeFileSync(`${out}sources.json`, `${JSON.stringify(sources, null, 1)}\n`);
