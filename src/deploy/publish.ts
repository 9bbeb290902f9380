/**
 * `deploy-handler --publish [--alias NAME]`: after the upload, PublishVersion (with the uploaded code's CodeSha256,
 * so a concurrent upload is not published by mistake), then points the alias at the new version (CreateAlias, or
 * UpdateAlias when it exists).
 */
import type { LambdaClient } from "@aws-sdk/client-lambda";
import { lambdaSdk } from "../lambda/sdk.js";
import { serviceError } from "../lambda/service-errors.js";

export interface Published {
  version: string;
  arn: string;
  alias: { name: string; arn: string; created: boolean; previousVersion: string | null } | null;
}

export async function publishVersion(options: {
  client: LambdaClient;
  functionName: string;
  codeSha256: string | undefined;
  alias: string | null;
  target: string;
}): Promise<Published> {
  const sdk = lambdaSdk();
  const { client, functionName, alias, target } = options;
  try {
    const version = await client.send(
      new sdk.PublishVersionCommand({ FunctionName: functionName, ...(options.codeSha256 ? { CodeSha256: options.codeSha256 } : {}) }),
    );
    const number = version.Version!;
    if (!alias) return { version: number, arn: version.FunctionArn ?? "", alias: null };
    const existing = await client.send(new sdk.GetAliasCommand({ FunctionName: functionName, Name: alias })).catch((error: unknown) => {
      if ((error as { name?: string }).name === "ResourceNotFoundException") return null;
      throw error;
    });
    const pointed = existing
      ? await client.send(new sdk.UpdateAliasCommand({ FunctionName: functionName, Name: alias, FunctionVersion: number }))
      : await client.send(new sdk.CreateAliasCommand({ FunctionName: functionName, Name: alias, FunctionVersion: number }));
    return {
      version: number,
      arn: version.FunctionArn ?? "",
      alias: { name: alias, arn: pointed.AliasArn ?? "", created: !existing, previousVersion: existing?.FunctionVersion ?? null },
    };
  } catch (error) {
    throw serviceError(error, { functionName, target });
  }
}
