// Bundles the web page of `pipes ui` (src/ui/page) into dist/ui/page with esbuild: one script, one stylesheet
// (uPlot's and ours), the HTML shell. No CDN: the page works offline.
import { build } from "esbuild";
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const out = new URL("../dist/ui/page/", import.meta.url);
mkdirSync(out, { recursive: true });
await build({
  entryPoints: [new URL("../src/ui/page/main.ts", import.meta.url).pathname],
  bundle: true,
  format: "esm",
  target: "es2020",
  minify: true,
  legalComments: "none",
  outfile: new URL("app.js", out).pathname,
  logLevel: "warning",
});
const css = [readFileSync(require.resolve("uplot/dist/uPlot.min.css"), "utf8"), readFileSync(new URL("../src/ui/page/style.css", import.meta.url), "utf8")].join("\n");
writeFileSync(new URL("app.css", out), css);
copyFileSync(new URL("../src/ui/page/index.html", import.meta.url), new URL("index.html", out));
