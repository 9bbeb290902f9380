// Versions and aliases through the real SDK: a version freezes code and configuration, an alias names one, and the
// sandbox sees the version and the ARN the caller used.
import {
  CreateAliasCommand,
  CreateFunctionCommand,
  DeleteAliasCommand,
  DeleteFunctionCommand,
  GetAliasCommand,
  GetFunctionConfigurationCommand,
  ListAliasesCommand,
  ListVersionsByFunctionCommand,
  PublishVersionCommand,
  UpdateAliasCommand,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
} from "@aws-sdk/client-lambda";
import { strToU8, zipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { invoke, withEmulator } from "../helpers/emulator.js";

const ARN = "arn:aws:lambda:us-east-1:123456789012:function:fn";

const zip = (release: string) =>
  zipSync({
    "index.mjs": strToU8(
      `export const handler = async (_e, context) => ({ release: ${JSON.stringify(release)}, version: process.env.AWS_LAMBDA_FUNCTION_VERSION, ` +
        `contextVersion: context.functionVersion, arn: context.invokedFunctionArn, colour: process.env.COLOUR, pid: process.pid });\n`,
    ),
  });

describe("versions and aliases", () => {
  it("PublishVersion + CreateAlias live + Invoke Qualifier=live runs the published version under the alias ARN", () =>
    withEmulator([], async (_emulator, lambda) => {
      await lambda.send(
        new CreateFunctionCommand({
          FunctionName: "fn", Role: "r", Runtime: "nodejs24.x", Handler: "index.handler", Code: { ZipFile: zip("one") },
          Environment: { Variables: { COLOUR: "red" } },
        }),
      );
      const v1 = await lambda.send(new PublishVersionCommand({ FunctionName: "fn", Description: "first" }));
      expect(v1).toMatchObject({ Version: "1", FunctionArn: `${ARN}:1`, Description: "first" });
      // Nothing changed since: publishing again is the same version, as on AWS.
      expect((await lambda.send(new PublishVersionCommand({ FunctionName: "fn" }))).Version).toBe("1");
      const alias = await lambda.send(new CreateAliasCommand({ FunctionName: "fn", Name: "live", FunctionVersion: "1" }));
      expect(alias).toMatchObject({ AliasArn: `${ARN}:live`, FunctionVersion: "1", Name: "live" });

      const live = await invoke(lambda, "fn", {}, { Qualifier: "live" });
      expect(live.payload).toMatchObject({ release: "one", version: "1", contextVersion: "1", arn: `${ARN}:live`, colour: "red" });
      expect(live.executedVersion).toBe("1");
      expect(live.log[0]).toMatch(/^START RequestId: \S+ Version: 1$/);
      // The qualified-ARN form and `name:qualifier` name the same thing.
      expect((await invoke(lambda, `${ARN}:live`)).payload.arn).toBe(`${ARN}:live`);
      expect((await invoke(lambda, "fn:1")).payload).toMatchObject({ arn: `${ARN}:1`, version: "1" });

      // Later changes to $LATEST do not change what the version (and so `live`) runs.
      const updated = await lambda.send(new UpdateFunctionCodeCommand({ FunctionName: "fn", ZipFile: zip("two") }));
      await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: "fn", Environment: { Variables: { COLOUR: "blue" } } }));
      expect((await invoke(lambda, "fn", {}, { Qualifier: "live" })).payload).toMatchObject({ release: "one", version: "1", colour: "red" });
      const latest = await invoke(lambda, "fn");
      expect(latest.payload).toMatchObject({ release: "two", version: "$LATEST", colour: "blue", arn: ARN });
      expect(latest.executedVersion).toBe("$LATEST");

      // Publish 2, move the alias: `live` now runs the new code.
      const v2 = await lambda.send(new PublishVersionCommand({ FunctionName: "fn", CodeSha256: updated.CodeSha256 }));
      expect(v2.Version).toBe("2");
      await lambda.send(new UpdateAliasCommand({ FunctionName: "fn", Name: "live", FunctionVersion: "2", RoutingConfig: { AdditionalVersionWeights: { "1": 0.1 } } }));
      expect((await invoke(lambda, "fn", {}, { Qualifier: "live" })).payload).toMatchObject({ release: "two", version: "2" });
      expect(await lambda.send(new GetAliasCommand({ FunctionName: "fn", Name: "live" }))).toMatchObject({
        FunctionVersion: "2",
        RoutingConfig: { AdditionalVersionWeights: { "1": 0.1 } },
      });

      const versions = await lambda.send(new ListVersionsByFunctionCommand({ FunctionName: "fn" }));
      expect(versions.Versions!.map((v) => v.Version)).toEqual(["$LATEST", "1", "2"]);
      const config = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: "fn", Qualifier: "1" }));
      expect(config).toMatchObject({ Version: "1", FunctionArn: `${ARN}:1`, Environment: { Variables: { COLOUR: "red" } } });
      expect((await lambda.send(new ListAliasesCommand({ FunctionName: "fn" }))).Aliases!.map((a) => a.Name)).toEqual(["live"]);
    }));

  it("each version keeps its own warm sandboxes", () =>
    withEmulator([], async (_emulator, lambda) => {
      await lambda.send(new CreateFunctionCommand({ FunctionName: "fn", Role: "r", Runtime: "nodejs24.x", Handler: "index.handler", Code: { ZipFile: zip("one") } }));
      await lambda.send(new PublishVersionCommand({ FunctionName: "fn" }));
      const a = await invoke(lambda, "fn:1");
      const b = await invoke(lambda, "fn");
      const c = await invoke(lambda, "fn:1");
      expect(a.payload.pid).not.toBe(b.payload.pid);
      expect(c.payload.pid).toBe(a.payload.pid);
    }));

  it("unknown versions and aliases, and conflicts, answer as AWS does", () =>
    withEmulator([], async (_emulator, lambda) => {
      await lambda.send(new CreateFunctionCommand({ FunctionName: "fn", Role: "r", Runtime: "nodejs24.x", Handler: "index.handler", Code: { ZipFile: zip("one") } }));
      const missing = await invoke(lambda, "fn", {}, { Qualifier: "live" }).catch((e) => e);
      expect(missing).toMatchObject({ name: "ResourceNotFoundException", message: `Function not found: ${ARN}:live` });
      const noVersion = await lambda.send(new CreateAliasCommand({ FunctionName: "fn", Name: "live", FunctionVersion: "3" })).catch((e) => e);
      expect(noVersion).toMatchObject({ name: "ResourceNotFoundException", message: `Function not found: ${ARN}:3` });
      const badSha = await lambda.send(new PublishVersionCommand({ FunctionName: "fn", CodeSha256: "nope" })).catch((e) => e);
      expect(badSha.name).toBe("InvalidParameterValueException");
      expect(badSha.message).toContain("CodeSHA256 (nope) is different from current CodeSHA256");
      await lambda.send(new PublishVersionCommand({ FunctionName: "fn" }));
      await lambda.send(new CreateAliasCommand({ FunctionName: "fn", Name: "live", FunctionVersion: "1" }));
      const twice = await lambda.send(new CreateAliasCommand({ FunctionName: "fn", Name: "live", FunctionVersion: "1" })).catch((e) => e);
      expect(twice).toMatchObject({ name: "ResourceConflictException", message: `Alias already exists: ${ARN}:live` });
      const numeric = await lambda.send(new CreateAliasCommand({ FunctionName: "fn", Name: "12", FunctionVersion: "1" })).catch((e) => e);
      expect(numeric.name).toBe("ValidationException");
      const referenced = await lambda.send(new DeleteFunctionCommand({ FunctionName: "fn", Qualifier: "1" })).catch((e) => e);
      expect(referenced.name).toBe("ResourceConflictException");
      await lambda.send(new DeleteAliasCommand({ FunctionName: "fn", Name: "live" }));
      const gone = await lambda.send(new GetAliasCommand({ FunctionName: "fn", Name: "live" })).catch((e) => e);
      expect(gone).toMatchObject({ name: "ResourceNotFoundException", message: `Alias not found: ${ARN}:live` });
      await lambda.send(new DeleteFunctionCommand({ FunctionName: "fn", Qualifier: "1" }));
      expect((await invoke(lambda, "fn:1").catch((e) => e)).name).toBe("ResourceNotFoundException");
      expect((await invoke(lambda, "fn")).payload.release).toBe("one");
    }));

  it("a Python handler sees the version and the alias ARN too", () =>
    withEmulator([], async (_emulator, lambda) => {
      const py = zipSync({
        "app.py": strToU8(
          "import os\n\ndef handler(event, context):\n    return {'version': os.environ['AWS_LAMBDA_FUNCTION_VERSION'], 'contextVersion': context.function_version, 'arn': context.invoked_function_arn}\n",
        ),
      });
      await lambda.send(new CreateFunctionCommand({ FunctionName: "fn", Role: "r", Runtime: "python3.12", Handler: "app.handler", Code: { ZipFile: py } }));
      await lambda.send(new PublishVersionCommand({ FunctionName: "fn" }));
      await lambda.send(new CreateAliasCommand({ FunctionName: "fn", Name: "live", FunctionVersion: "1" }));
      expect((await invoke(lambda, "fn", {}, { Qualifier: "live" })).payload).toEqual({ version: "1", contextVersion: "1", arn: `${ARN}:live` });
    }));

  it("an invocation with a qualifier passes the qualified ARN to the handler, $LATEST too", () =>
    withEmulator([], async (_emulator, lambda) => {
      await lambda.send(new CreateFunctionCommand({ FunctionName: "fn", Role: "r", Runtime: "nodejs24.x", Handler: "index.handler", Code: { ZipFile: zip("one") } }));
      expect((await invoke(lambda, "fn", {}, { Qualifier: "$LATEST" })).payload.arn).toBe(`${ARN}:$LATEST`);
      expect((await invoke(lambda, "fn")).payload.arn).toBe(ARN);
    }));
});
