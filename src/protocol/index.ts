export * from "./asset-key.js";
export * from "./context.js";
export * from "./decode-line.js";
export * from "./messages.js";
export * from "./metadata.js";
export * from "./params.js";
export { pythonJsonDumps, stringifyJson } from "./python-json.js";
export { isPyFloat, isPyInt, parsePythonJson, PyFloat } from "./python-json-parse.js";
