/**
 * The layers published to the emulator (PublishLayerVersion): each version's zip unpacked in a folder of its own
 * under the emulator's folder, as it will be under /opt on Lambda, and what a function's `Layers` resolve to.
 * Version numbers count up per layer name and are never reused, as on AWS. A deleted version is no longer listed
 * or attachable, but a function that uses it keeps it (its folder stays until the emulator stops), as on AWS.
 */
import { createHash } from "node:crypto";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { LAYER_VERSION_ARN, MAX_LAYERS_PER_FUNCTION, UNZIPPED_CODE_LIMIT } from "../facts/lambda.js";
import { ACCOUNT, folderBytes, REGION } from "./registry.js";
import type { ApiError } from "./settings.js";
import { unpackZip } from "./unzip.js";

export interface LayerVersion {
  name: string;
  version: number;
  layerArn: string;
  arn: string;
  folder: string;
  codeSha256: string;
  codeSize: number;
  /** The unpacked files' bytes, counted against the function's 250 MB with its code. */
  unzippedBytes: number;
  description: string;
  createdDate: string;
  compatibleRuntimes: string[];
  compatibleArchitectures: string[];
  licenseInfo: string | undefined;
}

/** What a function keeps of its layers: their folders for the sandbox, their ARNs and sizes for GetFunction. */
export interface AttachedLayers {
  layers: string[];
  layerVersions: { arn: string; codeSize: number; unzippedBytes: number }[];
}

export const layerArn = (name: string) => `arn:aws:lambda:${REGION}:${ACCOUNT}:layer:${name}`;

/** A layer name as the API's path may carry it: the name, or the layer's ARN. */
export function layerNameOf(raw: string): string | null {
  const fromArn = /^arn:[a-zA-Z0-9-]+:lambda:[a-zA-Z0-9-]+:\d{12}:layer:([a-zA-Z0-9_-]+)$/.exec(raw)?.[1];
  const name = fromArn ?? raw;
  return /^[a-zA-Z0-9_-]{1,140}$/.test(name) ? name : null;
}

export class LayerStore {
  private readonly layers = new Map<string, LayerVersion[]>();
  private readonly lastVersion = new Map<string, number>();
  /** Versions being published, so two at once get distinct numbers. */
  private uploads = 0;

  constructor(private readonly dir: string) {}

  async publish(name: string, zip: Buffer, settings: Record<string, unknown>): Promise<LayerVersion | ApiError> {
    const folder = join(this.dir, `${name}-${++this.uploads}`);
    const problem = await unpackZip(zip, folder);
    if (problem) {
      rmSync(folder, { recursive: true, force: true });
      return { errorType: "InvalidParameterValueException", message: problem };
    }
    const version = (this.lastVersion.get(name) ?? 0) + 1;
    this.lastVersion.set(name, version);
    const strings = (value: unknown) => (Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : []);
    const published: LayerVersion = {
      name,
      version,
      layerArn: layerArn(name),
      arn: `${layerArn(name)}:${version}`,
      folder,
      codeSha256: createHash("sha256").update(zip).digest("base64"),
      codeSize: zip.byteLength,
      unzippedBytes: folderBytes(folder),
      description: typeof settings.Description === "string" ? settings.Description : "",
      createdDate: new Date().toISOString().replace("Z", "+0000"),
      compatibleRuntimes: strings(settings.CompatibleRuntimes),
      compatibleArchitectures: strings(settings.CompatibleArchitectures),
      licenseInfo: typeof settings.LicenseInfo === "string" ? settings.LicenseInfo : undefined,
    };
    this.layers.set(name, [...(this.layers.get(name) ?? []), published]);
    return published;
  }

  /** Versions of a layer, newest first. */
  versions(name: string): LayerVersion[] {
    return [...(this.layers.get(name) ?? [])].reverse();
  }

  get(name: string, version: number): LayerVersion | undefined {
    return this.layers.get(name)?.find((v) => v.version === version);
  }

  /** Every layer's newest version, by name. */
  latest(): LayerVersion[] {
    return [...this.layers.keys()].sort().flatMap((name) => this.versions(name).slice(0, 1));
  }

  delete(name: string, version: number): void {
    const left = (this.layers.get(name) ?? []).filter((v) => v.version !== version);
    if (left.length > 0) this.layers.set(name, left);
    else this.layers.delete(name);
  }

  /**
   * A function's `Layers` (CreateFunction, UpdateFunctionConfiguration) as AWS checks them: at most 5, each the
   * ARN of a published version. Undefined when the settings do not name Layers (the function keeps its own).
   */
  attach(raw: unknown): AttachedLayers | ApiError | undefined {
    if (raw === undefined) return undefined;
    if (!Array.isArray(raw) || !raw.every((arn) => typeof arn === "string")) {
      return { errorType: "InvalidParameterValueException", message: "Layers must be a list of layer version ARNs" };
    }
    if (raw.length > MAX_LAYERS_PER_FUNCTION) return { errorType: "InvalidParameterValueException", message: `Cannot reference more than ${MAX_LAYERS_PER_FUNCTION} layers.` };
    const found: LayerVersion[] = [];
    for (const arn of raw as string[]) {
      if (!LAYER_VERSION_ARN.test(arn)) {
        return {
          errorType: "ValidationException",
          message: `1 validation error detected: Value '[${(raw as string[]).join(", ").slice(0, 500)}]' at 'layers' failed to satisfy constraint: Member must satisfy constraint: [Member must have length less than or equal to 140, Member must have length greater than or equal to 1, Member must satisfy regular expression pattern: arn:[a-zA-Z0-9-]+:lambda:[a-zA-Z0-9-]+:\\d{12}:layer:[a-zA-Z0-9-_]+:[0-9]+]`,
        };
      }
      const [, name, version] = /:layer:([^:]+):(\d+)$/.exec(arn)!;
      const layer = arn.startsWith(`${layerArn(name!)}:`) ? this.get(name!, Number(version)) : undefined;
      if (!layer) return { errorType: "InvalidParameterValueException", message: `Layer version ${arn} does not exist.` };
      found.push(layer);
    }
    return {
      layers: found.map((l) => l.folder),
      layerVersions: found.map((l) => ({ arn: l.arn, codeSize: l.codeSize, unzippedBytes: l.unzippedBytes })),
    };
  }
}

/** AWS's refusal when a function's code and its layers unzip to more than 250 MB; null when they fit. */
export function combinedSizeProblem(codeRoot: string, attached: AttachedLayers["layerVersions"] | undefined): ApiError | null {
  if (!attached || attached.length === 0) return null;
  const total = folderBytes(codeRoot) + attached.reduce((sum, l) => sum + l.unzippedBytes, 0);
  return total > UNZIPPED_CODE_LIMIT
    ? { errorType: "InvalidParameterValueException", message: `Function code combined with layers exceeds the maximum allowed size of ${UNZIPPED_CODE_LIMIT} bytes. The actual size is ${total} bytes.` }
    : null;
}
