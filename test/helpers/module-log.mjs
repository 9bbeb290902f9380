// `node --import` this file with PIPES_TEST_MODULE_LOG=<file>: every module the process loads, ES modules and
// CommonJS files (the AWS SDK, commander) alike, is appended to that file, one URL or path a line.
import { appendFileSync } from "node:fs";
import Module, { register } from "node:module";

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
