#!/usr/bin/env node
// Entry point: kept tiny so `pipes --version` costs little more than starting node.
import { readFileSync } from "node:fs";
import module from "node:module";

// Node 22.1+: V8's compiled code of every module loaded from here on (ours, commander, jiti, the AWS SDK) is kept
// in the OS temp dir (node-compile-cache; NODE_COMPILE_CACHE moves it, NODE_DISABLE_COMPILE_CACHE=1 turns it
// off), so later starts skip most parsing and compiling. Node 20 has no such cache: nothing happens there.
module.enableCompileCache?.();

const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === "--version" || argv[0] === "-v")) {
  const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
  process.stdout.write(`${pkg.version}\n`);
} else {
  const { silenceSdkNodeVersionWarning } = await import("../dist/cli-bundle/quiet-warnings.js");
  silenceSdkNodeVersionWarning();
  // A reader that went away (`pipes list | head`) is not an error of ours.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on("error", (error) => {
      if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
      throw error;
    });
  }
  const { main } = await import("../dist/cli-bundle/main.js");
  const ctx = { cwd: process.cwd(), env: process.env, stdout: process.stdout, stderr: process.stderr, exitCode: 0 };
  process.exitCode = await main(argv, ctx);
}
