#!/usr/bin/env node
// Entry point: kept tiny so `pipes --version` costs little more than starting node.
import { readFileSync } from "node:fs";

const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === "--version" || argv[0] === "-v")) {
  const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
  process.stdout.write(`${pkg.version}\n`);
} else {
  // The AWS SDK warns on every run under Node 20 that its 2027 releases will need Node 22; users cannot
  // act on it each run, so drop that one warning and let every other warning through.
  const emitWarning = process.emitWarning.bind(process);
  process.emitWarning = (warning, ...rest) => {
    const text = typeof warning === "string" ? warning : warning?.message ?? "";
    if (/^NodeVersionSupportWarning\b/.test(text) || warning?.name === "NodeVersionSupportWarning") return;
    return emitWarning(warning, ...rest);
  };
  const { main } = await import("../dist/cli/main.js");
  const ctx = { cwd: process.cwd(), env: process.env, stdout: process.stdout, stderr: process.stderr, exitCode: 0 };
  process.exitCode = await main(argv, ctx);
}
