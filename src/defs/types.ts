/**
 * The definitions file as a user writes it (`defs.ts`). Everything here is plain data except the optional
 * `run` functions, credentials providers and function-name mappings, which the CLI calls.
 */
import type { LogLevel, Runtime } from "../facts/lambda.js";
import type { PartitionsInput } from "../partitions/definition.js";
import type { ChecksInput } from "./checks.js";
import type { PipesContextData } from "../protocol/context.js";

export type { PartitionsInput } from "../partitions/definition.js";
export type { AssetCheckInput, ChecksInput } from "./checks.js";
export { NODE_RUNTIMES, PYTHON_RUNTIMES, RUNTIMES, type Runtime } from "../facts/lambda.js";

/** What the local emulator runs for a function name. */
export interface FunctionDefinition {
  /** `<path relative to the defs file>.<export>`, e.g. `./handlers/orders.handler`. */
  handler: string;
  /** Defaults to `nodejs24.x`, the newest Node.js runtime (src/facts/runtimes.ts). */
  runtime?: Runtime;
  /** MB, as a number (`512`) or a string (`"512MB"`, `"2GB"`); Lambda allows 128–10240. Default 128. */
  memory?: number | string;
  /** Seconds, 1–900. Default 3, as on Lambda. */
  timeout?: number;
  environment?: Record<string, string>;
  /** How many invocations may run at once on the emulator. Default 10. */
  concurrency?: number;
  description?: string;
  /** What `pipes deploy-handler` zips from the folder, gitignore-style patterns: only what these match... */
  include?: string[];
  /** ...and not what these match (on top of secrets, node_modules and the folder's `.pipesignore`). */
  exclude?: string[];
  /** The processor it runs on in AWS: what its invocations cost. Default `x86_64`. */
  architecture?: "x86_64" | "arm64";
  /** Lambda's logging controls (LoggingConfig); default: the profile's `logging`, else Text. */
  logging?: LoggingDefinition;
  /**
   * Up to 5 layers, in order (a later one wins where two hold the same path): folders laid out as Lambda's /opt
   * (`nodejs/node_modules`, `python`, `bin`, `lib`), relative to this file, which `pipes deploy-handler` publishes;
   * or layer version ARNs.
   */
  layers?: string[];
}

/**
 * Lambda's advanced logging controls. `format: "JSON"` makes the runtimes write JSON records and filters them by
 * `applicationLevel` (default INFO) and the platform's records by `systemLevel` (DEBUG, INFO, WARN; default INFO).
 */
export interface LoggingDefinition {
  format?: "Text" | "JSON";
  applicationLevel?: LogLevel;
  systemLevel?: "DEBUG" | "INFO" | "WARN";
  /** Default `/aws/lambda/<function name>`. */
  logGroup?: string;
}

/** Credentials as the AWS SDK takes them: static values or a provider such as `fromIni({ profile })`. */
export type CredentialsInput =
  | { accessKeyId: string; secretAccessKey: string; sessionToken?: string }
  | (() => Promise<{ accessKeyId: string; secretAccessKey: string; sessionToken?: string }>);

/** The Lambda resource of a profile: the local emulator, or AWS (or any Lambda-compatible endpoint). */
export type LambdaResourceDefinition =
  | { emulator: true }
  | {
      emulator?: false;
      region?: string;
      /** Named profile in ~/.aws/config, shorthand for `credentials: fromIni({ profile })`. */
      awsProfile?: string;
      credentials?: CredentialsInput;
      /** Endpoint override, e.g. a `pipes emulator` on another port. */
      endpoint?: string;
      /** CloudWatch Logs endpoint override; default: `endpoint` (a `pipes emulator` serves both). */
      logsEndpoint?: string;
      /** Maps a function name of this file to the deployed name: a function or a table. */
      functionName?: ((name: string) => string) | Record<string, string>;
    };

export interface ProfileDefinition {
  description?: string;
  lambda?: LambdaResourceDefinition;
  /** Extras added to every asset's pipes context under this profile. */
  extras?: Record<string, unknown>;
  /**
   * How functions write their messages. `"stdio"` (the default): each as it happens, so they show while the
   * function runs and survive a timeout or crash. `"buffered_stdio"`: all at the end, Dagster's exact event.
   */
  messages?: "stdio" | "buffered_stdio";
  /** Logging controls for every function of this profile without its own `logging`. */
  logging?: LoggingDefinition;
}

/** What an asset's own `run` receives. */
export interface AssetRunArgs {
  context: PipesContextData;
  lambda: {
    /** Invokes a function with the pipes context injected, as Dagster's `PipesLambdaClient.run` does. */
    run(options: { functionName: string; event?: Record<string, unknown> }): Promise<unknown>;
  };
}

export interface AssetDefinition {
  /** Only in the array form of `assets`: the key, as `"a/b"` (escaped) or `["a", "b"]`. */
  key?: string | string[];
  /** The Lambda function that computes the asset (a name in `functions`, or a deployed name). */
  function?: string;
  /** The event sent to the function; the pipes context is added to it. */
  event?: Record<string, unknown>;
  /** Keys of the assets this one depends on. */
  deps?: string[];
  description?: string;
  codeVersion?: string;
  /**
   * Keys the asset is computed for, one invocation each: a list (`["eu", "us"]`) or time windows as Dagster
   * defines them (`{ type: "daily", start: "2024-01-01" }`; also hourly, weekly, monthly; `end`, `timezone`).
   */
  partitions?: PartitionsInput;
  /** Labels for selections (`tag:team=growth`, or `tag:pii` for any value). */
  tags?: Record<string, string>;
  /** A group for selections (`group:finance`). */
  group?: string;
  /**
   * The asset checks its function reports (Dagster's AssetCheckSpec): names, or `{ name, description, blocking }`.
   * `pipes list` shows them; one never reported is reported; a failed blocking check skips the dependents.
   */
  checks?: ChecksInput;
  /** Instead of `function`: compute the asset yourself, calling the Lambda client. */
  run?: (args: AssetRunArgs) => unknown;
}

export interface Definitions {
  assets: Record<string, AssetDefinition> | AssetDefinition[];
  functions?: Record<string, FunctionDefinition>;
  profiles?: Record<string, ProfileDefinition>;
  /** The profile used when neither `--profile` nor `PIPES_PROFILE` names one. Default `local`. */
  defaultProfile?: string;
}

/** Typed identity, for editor completion in `defs.ts` (as vite's `defineConfig`). */
export function defineDefinitions<const T extends Definitions>(definitions: T): T {
  return definitions;
}
