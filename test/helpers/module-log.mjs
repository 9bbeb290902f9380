// `node --import` this file with PIPES_TEST_MODULE_LOG=<file>: every module the process loads, ES modules and
// CommonJS files (commander, jiti) alike, is appended to that file, one URL or path a line; so is a file compiled
// with node:vm (the bundled AWS SDK, which pipes loads with a code cache of its own: src/util/code-cache.ts).
import { appendFileSync } from "node:fs";
import Module, { register, syncBuiltinESMExports } from "node:module";
import vm from "node:vm";

register("./module-log-hooks.mjs", import.meta.url);
const load = Module._load;
Module._load = function logged(request, parent, isMain, ...rest) {
  let file = request;
  try {
    file = Module._resolveFilename(request, parent, isMain);
  } catch {
    // a request Node cannot resolve is logged as written; Node's own load reports the error
  }
  appendFileSync(process.env.PIPES_TEST_MODULE_LOG, `${file}\n`);
  return load.call(this, request, parent, isMain, ...rest);
};

const Script = vm.Script;
vm.Script = class LoggedScript extends Script {
  constructor(code, options) {
    super(code, options);
    if (options?.filename) appendFileSync(process.env.PIPES_TEST_MODULE_LOG, `${options.filename}\n`);
  }
};
syncBuiltinESMExports(); // `import { Script } from "node:vm"` sees it too
