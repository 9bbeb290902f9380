/**
 * Uploads a function's zip through the profile's Lambda client: UpdateFunctionCode (or CreateFunction), then
 * its settings with UpdateFunctionConfiguration when they differ, waiting with the SDK's waiter each time.
 */
import type { FunctionConfiguration, LambdaClient } from "@aws-sdk/client-lambda";
import { ServiceError, UserError } from "../errors.js";
import { serviceError } from "../lambda/service-errors.js";
import { lambdaSdk } from "../lambda/sdk.js";
import type { LoggingSettings } from "../facts/lambda.js";
import { loggingConfigInput } from "../defs/logging.js";

export interface FunctionSettings {
  runtime: string;
  handler: string;
  memoryMb: number;
  timeoutSeconds: number;
  environment: Record<string, string>;
  description: string | null;
  /** LoggingConfig to set; null leaves the function's as it is. */
  logging: LoggingSettings | null;
  /** Layer version ARNs to attach, in order; null leaves the function's as they are. */
  layers?: string[] | null;
}

export interface UploadResult {
  configuration: FunctionConfiguration;
  created: boolean;
  /** Human lines for the settings that changed, e.g. "memory 128 → 512 MB". */
  changed: string[];
}

const MAX_WAIT_SECONDS = 300;

export async function upload(options: {
  client: LambdaClient;
  functionName: string;
  zip: Uint8Array;
  settings: FunctionSettings;
  create: { role: string } | null;
  target: string;
}): Promise<UploadResult> {
  const sdk = lambdaSdk();
  const { client, functionName, settings, target } = options;
  const fail = (error: unknown): UserError => {
    const name = (error as { name?: string }).name;
    if (name === "ResourceConflictException" && options.create) {
      return new ServiceError(`Function ${functionName} already exists on ${target}: deploy without --create to update its code.`);
    }
    if (name === "ResourceNotFoundException" && !options.create) {
      return new ServiceError(`Function ${functionName} does not exist on ${target}. Create it with --create --role <execution role ARN>.`);
    }
    if (error instanceof UserError) return error;
    return serviceError(error, { functionName, target });
  };
  const wait = async () => {
    try {
      await sdk.waitUntilFunctionUpdatedV2({ client, maxWaitTime: MAX_WAIT_SECONDS }, { FunctionName: functionName });
    } catch (error) {
      throw new ServiceError(`Lambda did not finish updating ${functionName} on ${target}: ${(error as Error).message}`);
    }
  };
  try {
    if (options.create) {
      const configuration = await client.send(
        new sdk.CreateFunctionCommand({
          FunctionName: functionName,
          Role: options.create.role,
          Code: { ZipFile: options.zip },
          Runtime: settings.runtime as never,
          Handler: settings.handler,
          MemorySize: settings.memoryMb,
          Timeout: settings.timeoutSeconds,
          Environment: { Variables: settings.environment },
          ...(settings.description ? { Description: settings.description } : {}),
          ...(settings.logging ? { LoggingConfig: loggingConfigInput(settings.logging) as never } : {}),
          ...(settings.layers ? { Layers: settings.layers } : {}),
        }),
      );
      await sdk.waitUntilFunctionActiveV2({ client, maxWaitTime: MAX_WAIT_SECONDS }, { FunctionName: functionName });
      return { configuration, created: true, changed: [] };
    }
    await client.send(new sdk.UpdateFunctionCodeCommand({ FunctionName: functionName, ZipFile: options.zip }));
    await wait();
    const current = await client.send(new sdk.GetFunctionConfigurationCommand({ FunctionName: functionName }));
    const changed = differences(current, settings);
    if (changed.length === 0) return { configuration: current, created: false, changed };
    await client.send(
      new sdk.UpdateFunctionConfigurationCommand({
        FunctionName: functionName,
        Runtime: settings.runtime as never,
        Handler: settings.handler,
        MemorySize: settings.memoryMb,
        Timeout: settings.timeoutSeconds,
        Environment: { Variables: settings.environment },
        ...(settings.logging ? { LoggingConfig: loggingConfigInput(settings.logging) as never } : {}),
        ...(settings.layers ? { Layers: settings.layers } : {}),
      }),
    );
    await wait();
    const configuration = await client.send(new sdk.GetFunctionConfigurationCommand({ FunctionName: functionName }));
    return { configuration, created: false, changed };
  } catch (error) {
    throw fail(error);
  }
}

function differences(current: FunctionConfiguration, wanted: FunctionSettings): string[] {
  const changes: string[] = [];
  if (current.Runtime !== wanted.runtime) changes.push(`runtime ${current.Runtime} → ${wanted.runtime}`);
  if (current.Handler !== wanted.handler) changes.push(`handler ${current.Handler} → ${wanted.handler}`);
  if (current.MemorySize !== wanted.memoryMb) changes.push(`memory ${current.MemorySize} → ${wanted.memoryMb} MB`);
  if (current.Timeout !== wanted.timeoutSeconds) changes.push(`timeout ${current.Timeout} → ${wanted.timeoutSeconds} s`);
  const env = current.Environment?.Variables ?? {};
  const sameEnv =
    Object.keys(env).length === Object.keys(wanted.environment).length &&
    Object.entries(wanted.environment).every(([k, v]) => env[k] === v);
  if (!sameEnv) changes.push(`environment: ${Object.keys(wanted.environment).join(", ") || "(none)"}`);
  if (wanted.logging) {
    const want = loggingConfigInput(wanted.logging);
    const have = current.LoggingConfig ?? {};
    const differs = Object.entries(want).some(([k, v]) => (have as Record<string, unknown>)[k] !== v);
    if (differs) changes.push(`logging ${describeLoggingConfig(have)} → ${describeLoggingConfig(want)}`);
  }
  if (wanted.layers) {
    const have = (current.Layers ?? []).map((l) => l.Arn ?? "");
    if (have.join(",") !== wanted.layers.join(",")) changes.push(`layers ${have.length ? have.join(", ") : "(none)"} → ${wanted.layers.length ? wanted.layers.join(", ") : "(none)"}`);
  }
  return changes;
}

const describeLoggingConfig = (c: { LogFormat?: string; ApplicationLogLevel?: string; SystemLogLevel?: string }) =>
  c.LogFormat === "JSON" ? `JSON (application ${c.ApplicationLogLevel ?? "INFO"}, system ${c.SystemLogLevel ?? "INFO"})` : (c.LogFormat ?? "Text");
