/**
 * A function's `layers` in a definitions file: folders laid out as Lambda's /opt, or layer version ARNs (AWS's
 * quotas: at most 5 per function). Folders must exist (checked at load, relative to the definitions file).
 */
import { statSync } from "node:fs";
import { resolve } from "node:path";
import { LAYER_VERSION_ARN, MAX_LAYERS_PER_FUNCTION } from "../facts/lambda.js";
import { kindOf } from "../util/values.js";

/** The layers as written, or [] when absent or invalid (reported). */
export function validateLayers(raw: unknown, where: string, report: (where: string, message: string) => void): string[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw) || !raw.every((l) => typeof l === "string" && l.trim() !== "")) {
    report(where, `layers must be a list of folders or layer version ARNs, e.g. ["./layers/shared"], got ${kindOf(raw)}`);
    return [];
  }
  if (raw.length > MAX_LAYERS_PER_FUNCTION) {
    report(where, `layers: ${raw.length} given, Lambda allows at most ${MAX_LAYERS_PER_FUNCTION} per function`);
    return [];
  }
  for (const layer of raw as string[]) {
    if (layer.startsWith("arn:") && !LAYER_VERSION_ARN.test(layer)) {
      report(where, `layer ${JSON.stringify(layer)} is not a layer version ARN (arn:aws:lambda:<region>:<account>:layer:<name>:<version>)`);
    }
  }
  return raw as string[];
}

export const isLayerArn = (layer: string) => layer.startsWith("arn:");

/** A layer folder's absolute path. */
export const layerFolder = (layer: string, defsDir: string) => resolve(defsDir, layer);

/** Layer folders that do not exist or are not folders, as problems (`root`: the definitions file's folder). */
export function missingLayerFolders(functions: Iterable<{ name: string; layers: string[] }>, root: string): { where: string; message: string }[] {
  const problems: { where: string; message: string }[] = [];
  for (const fn of functions) {
    for (const layer of fn.layers.filter((l) => !isLayerArn(l))) {
      const path = layerFolder(layer, root);
      let isDir = false;
      let exists = true;
      try {
        isDir = statSync(path).isDirectory();
      } catch {
        exists = false;
      }
      if (!isDir) problems.push({ where: `function "${fn.name}"`, message: `layer "${layer}" ${exists ? "is not a folder" : "does not exist"} (${path})` });
    }
  }
  return problems;
}
