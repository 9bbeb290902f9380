#!/usr/bin/env node
// Entry point: kept tiny so `pipes --version` costs little more than starting node.
import { readFileSync } from "node:fs";
import module from "node:module";
import { fileURLToPath } from "node:url";

// Node 22.1+: V8's compiled code of every module loaded from here on (commander, jiti, chalk) is kept in the OS
// temp dir (node-compile-cache; NODE_COMPILE_CACHE moves it, NODE_DISABLE_COMPILE_CACHE=1 turns it off), so later
// starts skip most parsing and compiling. Node 20 has no such cache: nothing happens there. The CLI itself and
// the AWS SDK have a code cache of their own (src/util/code-cache.ts).
module.enableCompileCache?.();

const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === "--version" || argv[0] === "-v")) {
  const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
  process.stdout.write(`${pkg.version}\n`);
} else {
  const { silenceSdkNodeVersionWarning, requireWithCodeCache } = await import("../dist/cli-bundle/boot.js");
  silenceSdkNodeVersionWarning();
  // A reader that went away (`pipes list | head`) is not an error of ours.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on("error", (error) => {
      if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
      throw error;
    });
  }
  // A cache per command: each compiles functions the others do not.
  const { main } = requireWithCodeCache(fileURLToPath(new URL("../dist/cli-bundle/main.cjs", import.meta.url)), { variant: argv[0] });
  const ctx = { cwd: process.cwd(), env: process.env, stdout: process.stdout, stderr: process.stderr, exitCode: 0 };
  process.exitCode = await main(argv, ctx);
}
