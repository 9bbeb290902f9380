/**
 * `pipes deploy-handler` and a function's layers: each local layer folder (laid out as /opt) is zipped as it is
 * and published (PublishLayerVersion) as `<function>-<folder name>`, unless the layer's newest version holds the
 * same bytes already; ARNs are attached as written. The function's configuration then names them, in order.
 */
import type { LambdaClient } from "@aws-sdk/client-lambda";
import { createHash } from "node:crypto";
import { lstatSync, readdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import type * as Fflate from "fflate";
import { isLayerArn, layerFolder } from "../defs/layers.js";
import { lambdaSdk } from "../lambda/sdk.js";
import { requireCjs } from "../util/cjs.js";
import { serviceError } from "../lambda/service-errors.js";

export interface AttachedLayer {
  /** As the definitions file names it: a folder or an ARN. */
  source: string;
  arn: string;
  /** A new version was published for it (false: an ARN, or the newest version had these bytes). */
  published: boolean;
}

const FIXED_TIME = new Date(1980, 0, 1, 0, 0, 0);

/** A folder's files, zipped with fixed times so the same files give the same bytes (and CodeSha256). */
export function zipLayerFolder(folder: string): Uint8Array {
  // Loaded here, not with this module: the emulator imports layerPackages, and fflate builds its Huffman tables
  // as it loads (~5 ms of every cold materialize's main thread, where no layer is zipped).
  const { zipSync } = requireCjs("fflate") as typeof Fflate;
  const files: Fflate.Zippable = {};
  const walk = (dir: string, prefix: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      const stat = lstatSync(path);
      if (stat.isDirectory()) walk(path, `${prefix}${name}/`);
      else if (stat.isFile()) {
        const mode = stat.mode & 0o111 ? 0o100755 : 0o100644; // bin/ tools stay executable
        files[`${prefix}${name}`] = [readFileSync(path), { mtime: FIXED_TIME, attrs: mode << 16, os: 3, level: 6 }];
      }
    }
  };
  walk(folder, "");
  return zipSync(files);
}

/** The layer name a folder is published as: `<function>-<folder>`, in Lambda's layer name characters. */
export const layerNameFor = (functionName: string, folder: string) => `${functionName}-${basename(folder)}`.replace(/[^a-zA-Z0-9_-]/g, "-").slice(0, 140);

export async function publishLayers(client: LambdaClient, layers: readonly string[], defsDir: string, functionName: string, runtime: string, target: string): Promise<AttachedLayer[]> {
  try {
    return await publishEach(client, layers, defsDir, functionName, runtime);
  } catch (error) {
    throw serviceError(error, { functionName, target });
  }
}

async function publishEach(client: LambdaClient, layers: readonly string[], defsDir: string, functionName: string, runtime: string): Promise<AttachedLayer[]> {
  const sdk = lambdaSdk();
  const attached: AttachedLayer[] = [];
  for (const source of layers) {
    if (isLayerArn(source)) {
      attached.push({ source, arn: source, published: false });
      continue;
    }
    const folder = layerFolder(source, defsDir);
    const zip = zipLayerFolder(folder);
    const sha = createHash("sha256").update(zip).digest("base64");
    const name = layerNameFor(functionName, folder);
    const newest = (await client.send(new sdk.ListLayerVersionsCommand({ LayerName: name, MaxItems: 1 }))).LayerVersions?.[0];
    if (newest?.Version !== undefined) {
      const known = await client.send(new sdk.GetLayerVersionCommand({ LayerName: name, VersionNumber: newest.Version }));
      if (known.Content?.CodeSha256 === sha && known.LayerVersionArn) {
        attached.push({ source, arn: known.LayerVersionArn, published: false });
        continue;
      }
    }
    const published = await client.send(new sdk.PublishLayerVersionCommand({ LayerName: name, Content: { ZipFile: zip }, CompatibleRuntimes: [runtime as never] }));
    attached.push({ source, arn: published.LayerVersionArn!, published: true });
  }
  return attached;
}

/**
 * The packages a Node.js function's layer folders provide (nodejs/node_modules and nodejs/nodeN/node_modules):
 * a bundle leaves them out, to be loaded from the layer at run time, as on Lambda.
 */
export function layerPackages(folders: readonly string[], runtime: string): string[] {
  const major = /^nodejs(\d+)/.exec(runtime)?.[1];
  const names = new Set<string>();
  for (const folder of folders) {
    for (const dir of [join(folder, "nodejs", "node_modules"), ...(major ? [join(folder, "nodejs", `node${major}`, "node_modules")] : [])]) {
      let entries: string[];
      try {
        entries = readdirSync(dir);
      } catch {
        continue;
      }
      for (const entry of entries) {
        if (entry.startsWith(".")) continue;
        if (entry.startsWith("@")) names.add(`${entry}/*`);
        else names.add(entry);
      }
    }
  }
  return [...names].flatMap((n) => (n.endsWith("/*") ? [n] : [n, `${n}/*`]));
}
