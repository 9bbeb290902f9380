/**
 * The emulator's functions: their configuration as Lambda reports it (FunctionConfiguration) and the folder
 * their code runs from (LAMBDA_TASK_ROOT).
 */
import { createHash, randomUUID } from "node:crypto";
import { lstatSync, readdirSync } from "node:fs";
import { join } from "node:path";
import type { Architecture } from "../facts/pricing.js";
import type { LoggingSettings } from "../facts/lambda.js";
import { loggingConfigOf } from "./logging-config.js";

export const REGION = "us-east-1";
export const ACCOUNT = "123456789012";
export const LATEST = "$LATEST";

export interface FunctionSpec {
  name: string;
  /** Lambda handler string relative to `codeRoot`, e.g. `handlers/ingest.handler`. */
  handler: string;
  runtime: string;
  codeRoot: string;
  memoryMb: number;
  timeoutSeconds: number;
  environment: Record<string, string>;
  /** Invocations that may run at once; beyond it RequestResponse calls get TooManyRequestsException. */
  concurrency: number;
  /** `concurrency` is reserved concurrency set for this function (GetFunction shows it); else the default. */
  reservedConcurrency?: boolean;
  description?: string;
  role?: string;
  /** LoggingConfig; absent: Text format to the default log group. */
  logging?: LoggingSettings;
  /**
   * Python, from a definitions file: the folder's requirements.txt is built for this architecture before the first
   * invocation and put on sys.path after the folder (dependencies.ts). A deployed zip carries its own: unset.
   */
  requirements?: { architecture: Architecture };
  /**
   * Node.js, from a definitions file: a TypeScript handler, which runs as `pipes deploy-handler` ships it, bundled
   * with esbuild (builds.ts) before its workers start; `codeRoot` stays its source folder.
   */
  bundle?: { handlerFile: string };
  /** Its layers' folders (absolute, in order), each laid out as Lambda's /opt (layers.ts). */
  layers?: string[];
  /** Layers attached by ARN through the API (GetFunction's `Layers`), in the order of `layers`. */
  layerVersions?: { arn: string; codeSize: number; unzippedBytes: number }[];
}

export interface RegisteredFunction extends FunctionSpec {
  arn: string;
  codeSha256: string;
  codeSize: number;
  lastModified: string;
  revisionId: string;
  /** Bumped on every code or configuration change, so warm workers of an older generation are replaced. */
  generation: number;
  /** A published version's number (versions.ts); absent for `$LATEST`. */
  version?: string;
}

export function functionArn(name: string, region = REGION): string {
  return `arn:aws:lambda:${region}:${ACCOUNT}:function:${name}`;
}

/**
 * Accepts what the Invoke path may carry: `name`, `name:qualifier`, `ACCT:function:name[:q]`,
 * `arn:aws:lambda:REGION:ACCT:function:name[:q]`.
 */
export function parseFunctionName(raw: string): { name: string; qualifier: string | undefined } {
  const parts = raw.split(":");
  if (parts[0] === "arn" && parts.length >= 7) return { name: parts[6]!, qualifier: parts[7] };
  if (parts.length >= 3 && parts[1] === "function") return { name: parts[2]!, qualifier: parts[3] };
  return { name: parts[0]!, qualifier: parts[1] };
}

/** Lambda's function names: letters, digits, `-` and `_`, at most 64 characters. */
const FUNCTION_NAME = /^[a-zA-Z0-9_-]{1,64}$/;
/** Qualifiers: `$LATEST`, a version number or an alias name. */
const QUALIFIER = /^(\$LATEST|[a-zA-Z0-9_-]{1,128})$/;

/** AWS's words when a name or qualifier breaks its pattern; null when it is valid. */
export function invalidFunctionName(name: string, qualifier?: string): string | null {
  if (!FUNCTION_NAME.test(name)) {
    return `1 validation error detected: Value '${name.slice(0, 140)}' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9-_]+ and have length less than or equal to 64`;
  }
  if (qualifier !== undefined && !QUALIFIER.test(qualifier)) {
    return `1 validation error detected: Value '${qualifier.slice(0, 140)}' at 'qualifier' failed to satisfy constraint: Member must satisfy regular expression pattern: (|[a-zA-Z0-9$_-]+)`;
  }
  return null;
}

/** The log group Lambda writes a function's logs to by default. */
export const logGroupName = (functionName: string) => `/aws/lambda/${functionName}`;

/** Lambda's LastModified format: `2024-05-01T12:00:00.000+0000`. */
function lambdaTimestamp(date = new Date()): string {
  return date.toISOString().replace("Z", "+0000");
}

export function describeCode(zip: Uint8Array | undefined, fallback: string, folder?: string): { codeSha256: string; codeSize: number } {
  const bytes = zip ?? Buffer.from(fallback);
  return { codeSha256: createHash("sha256").update(bytes).digest("base64"), codeSize: zip?.byteLength ?? (folder ? folderBytes(folder) : 0) };
}

/**
 * A folder's size, for the CodeSize of a function that runs from a folder (no zip): the bytes of its files, as a
 * zip would hold them before compression. Bounded, so a huge tree cannot stall a registration.
 */
export function folderBytes(root: string, budget = { entries: 20_000 }): number {
  let bytes = 0;
  let names: string[];
  try {
    names = readdirSync(root);
  } catch {
    return 0;
  }
  for (const name of names) {
    if (--budget.entries < 0) break;
    const path = join(root, name);
    try {
      const stat = lstatSync(path);
      if (stat.isDirectory()) bytes += folderBytes(path, budget);
      else if (stat.isFile()) bytes += stat.size;
    } catch {
      // gone meanwhile
    }
  }
  return bytes;
}

export class Registry {
  private readonly functions = new Map<string, RegisteredFunction>();

  get(name: string): RegisteredFunction | undefined {
    return this.functions.get(name);
  }

  list(): RegisteredFunction[] {
    return [...this.functions.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  has(name: string): boolean {
    return this.functions.has(name);
  }

  /** Adds or replaces a function; `code` describes the uploaded zip when there is one. */
  put(spec: FunctionSpec, code?: { codeSha256: string; codeSize: number }): RegisteredFunction {
    const previous = this.functions.get(spec.name);
    const registered: RegisteredFunction = {
      ...spec,
      arn: functionArn(spec.name),
      ...(code ?? describeCode(undefined, `${spec.codeRoot}\0${spec.handler}`, spec.codeRoot)),
      lastModified: lambdaTimestamp(),
      revisionId: randomUUID(),
      generation: (previous?.generation ?? 0) + 1,
    };
    this.functions.set(spec.name, registered);
    return registered;
  }

  delete(name: string): boolean {
    return this.functions.delete(name);
  }
}

/** The FunctionConfiguration shape the SDK parses; State and LastUpdateStatus let waiters finish at once. */
export function functionConfiguration(fn: RegisteredFunction): Record<string, unknown> {
  return {
    FunctionName: fn.name,
    FunctionArn: fn.arn,
    Runtime: fn.runtime,
    Role: fn.role ?? `arn:aws:iam::${ACCOUNT}:role/pipes-emulator`,
    Handler: fn.handler,
    CodeSize: fn.codeSize,
    Description: fn.description ?? "",
    Timeout: fn.timeoutSeconds,
    MemorySize: fn.memoryMb,
    LastModified: fn.lastModified,
    CodeSha256: fn.codeSha256,
    Version: fn.version ?? LATEST,
    Environment: { Variables: fn.environment },
    RevisionId: fn.revisionId,
    State: "Active",
    LastUpdateStatus: "Successful",
    PackageType: "Zip",
    Architectures: ["x86_64"],
    EphemeralStorage: { Size: 512 },
    LoggingConfig: loggingConfigOf(fn.logging, logGroupName(fn.name)),
    ...(fn.layerVersions?.length ? { Layers: fn.layerVersions.map((l) => ({ Arn: l.arn, CodeSize: l.codeSize })) } : {}),
  };
}
