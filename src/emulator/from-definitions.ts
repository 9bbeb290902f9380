import { dirname } from "node:path";
import type { ValidDefinitions } from "../defs/normalized.js";
import type { FunctionSpec } from "./registry.js";

/** The `functions` of a definitions file as the emulator registers them: code runs from the defs file's folder. */
export function functionSpecs(definitions: Pick<ValidDefinitions, "functions">, file: string): FunctionSpec[] {
  return [...definitions.functions.values()]
    .filter((fn) => fn.handler)
    .map((fn) => ({
      name: fn.name,
      handler: fn.handler.replace(/^\.\//, ""),
      runtime: fn.runtime,
      codeRoot: dirname(file),
      memoryMb: fn.memoryMb,
      timeoutSeconds: fn.timeoutSeconds,
      environment: fn.environment,
      concurrency: fn.concurrency,
      ...(fn.description ? { description: fn.description } : {}),
    }));
}
