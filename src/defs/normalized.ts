import type { Partitions } from "../partitions/definition.js";
import type { AssetCheck } from "./checks.js";
import type { Architecture } from "../facts/pricing.js";
import type { AssetRunArgs, CredentialsInput, Runtime } from "./types.js";
import type { LoggingSettings } from "../facts/lambda.js";

/** A validated asset; `key` is the escaped key string, `deps` too. */
export interface Asset {
  key: string;
  deps: string[];
  description: string | null;
  function: string | null;
  event: Record<string, unknown>;
  codeVersion: string | null;
  partitions: Partitions | null;
  tags: Record<string, string>;
  group: string | null;
  /** Declared asset checks (checks.ts). */
  checks: AssetCheck[];
  run: ((args: AssetRunArgs) => unknown) | null;
}

/** A validated function, with Lambda's defaults filled in. */
export interface LambdaFunction {
  name: string;
  handler: string;
  runtime: Runtime;
  memoryMb: number;
  timeoutSeconds: number;
  environment: Record<string, string>;
  concurrency: number;
  /** The definitions set `concurrency` (Lambda's reserved concurrency), rather than taking the default. */
  concurrencyReserved: boolean;
  description: string | null;
  /** gitignore-style patterns for the deployment zip (empty: everything but what is left out by default). */
  include: string[];
  exclude: string[];
  /** Its processor: what its invocations cost (pricing.ts). */
  architecture: Architecture;
  /** Its own logging controls; null: the profile's (logging.ts effectiveLogging). */
  logging: LoggingSettings | null;
  /** The version or alias to invoke (`live`); absent: its profile's, else unqualified (qualifier.ts). */
  qualifier?: string;
  /** Its layers, in order: folders (as written, relative to the definitions file) or layer version ARNs. */
  layers: string[];
}

export type LambdaResource =
  | { kind: "emulator" }
  | {
      kind: "aws";
      region: string | null;
      awsProfile: string | null;
      credentials: CredentialsInput | null;
      endpoint: string | null;
      /** CloudWatch Logs' endpoint, when it is not `endpoint`. */
      logsEndpoint: string | null;
      functionName: (name: string) => string;
    };

/** How functions are asked to write their messages: as they happen (`stdio`), or Dagster's `buffered_stdio`. */
export type MessagesMode = "stdio" | "buffered_stdio";

export interface Profile {
  name: string;
  description: string | null;
  lambda: LambdaResource;
  extras: Record<string, unknown>;
  messages: MessagesMode;
  /** The logging controls of its functions that have none of their own. */
  logging: LoggingSettings | null;
  /** The version or alias its functions are invoked with when they name none (qualifier.ts). */
  qualifier?: string;
}

/** The whole file after validation: assets in dependency order, every profile. */
export interface ValidDefinitions {
  assets: Asset[];
  functions: Map<string, LambdaFunction>;
  profiles: Map<string, Profile>;
  defaultProfile: string | null;
}

/** The file with one profile chosen: what commands work with. */
export interface ResolvedDefinitions extends ValidDefinitions {
  file: string;
  profile: Profile;
  /** How the profile was chosen, for messages: "--profile", "PIPES_PROFILE", "defaultProfile", "default". */
  profileSource: ProfileSource;
}

export type ProfileSource = "--profile" | "PIPES_PROFILE" | "defaultProfile" | "default";
