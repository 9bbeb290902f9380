import { existsSync } from "node:fs";
import { basename, dirname, resolve } from "node:path";
import { handlerFileCandidates, splitHandler } from "../defs/handler-path.js";
import { isLayerArn, layerFolder } from "../defs/layers.js";
import { isTypeScript } from "../deploy/bundle.js";
import type { ValidDefinitions } from "../defs/normalized.js";
import type { Runtime } from "../defs/types.js";
import type { FunctionSpec } from "./registry.js";
import { isPythonRuntime, type LoggingSettings } from "../facts/lambda.js";

/**
 * The `functions` of a definitions file as the emulator registers them. A function's code runs from the folder
 * of its handler file, as it will on Lambda once `pipes deploy-handler` zipped that folder: Python imports and
 * the files a handler can see are the same in both places.
 */
export function functionSpecs(definitions: Pick<ValidDefinitions, "functions"> & { profile?: { logging: LoggingSettings | null } }, file: string): FunctionSpec[] {
  return [...definitions.functions.values()]
    .filter((fn) => fn.handler)
    .map((fn) => ({
      // Its own logging controls, else its profile's (defs/logging.ts).
      ...((fn.logging ?? definitions.profile?.logging) ? { logging: (fn.logging ?? definitions.profile?.logging)! } : {}),
      name: fn.name,
      ...functionFolder(fn.handler, dirname(file)),
      runtime: fn.runtime,
      memoryMb: fn.memoryMb,
      timeoutSeconds: fn.timeoutSeconds,
      environment: fn.environment,
      concurrency: fn.concurrency,
      ...(fn.concurrencyReserved ? { reservedConcurrency: true } : {}),
      ...(fn.description ? { description: fn.description } : {}),
      ...(isPythonRuntime(fn.runtime) ? { requirements: { architecture: fn.architecture } } : {}),
      ...typeScriptBundle(fn.handler, fn.runtime, dirname(file)),
      // Folders only: the embedded emulator has no published layers (an ARN is refused at load, defs/load.ts).
      ...(fn.layers.length ? { layers: fn.layers.filter((l) => !isLayerArn(l)).map((l) => layerFolder(l, dirname(file))) } : {}),
    }));
}

/** A handler that is a `.ts` / `.mts` / `.cts` file (and no JavaScript one of its name, which Lambda would load first). */
function typeScriptBundle(handler: string, runtime: Runtime, defsDir: string): { bundle?: { handlerFile: string } } {
  const found = handlerFileCandidates(defsDir, handler, runtime).find((p) => existsSync(p));
  return found && isTypeScript(found) ? { bundle: { handlerFile: found } } : {};
}

/** `./handlers/ingest.handler` → code root `<defs dir>/handlers`, Lambda handler `ingest.handler`. */
export function functionFolder(handler: string, defsDir: string): { codeRoot: string; handler: string } {
  const { module, exportPath } = splitHandler(handler);
  return { codeRoot: resolve(defsDir, dirname(module)), handler: `${basename(module)}.${exportPath}` };
}
