// Layers through the real @aws-sdk/client-lambda: published to the emulator, attached by ARN, their packages
// importable as on Lambda (Node.js by require and by import, Python by import), AWS's limits with AWS's words.
import {
  CreateFunctionCommand,
  DeleteLayerVersionCommand,
  GetFunctionCommand,
  GetLayerVersionByArnCommand,
  GetLayerVersionCommand,
  ListLayersCommand,
  ListLayerVersionsCommand,
  PublishLayerVersionCommand,
  UpdateFunctionConfigurationCommand,
  type LambdaClient,
} from "@aws-sdk/client-lambda";
import { strToU8, zipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { invoke, withEmulator } from "../helpers/emulator.js";

const ROLE = "arn:aws:iam::123456789012:role/x";
const zip = (files: Record<string, string>) => zipSync(Object.fromEntries(Object.entries(files).map(([k, v]) => [k, strToU8(v)])));
const greetLayer = (says: string) =>
  zip({
    "nodejs/node_modules/greet/package.json": '{ "name": "greet", "main": "index.js" }',
    "nodejs/node_modules/greet/index.js": `exports.greet = () => ${JSON.stringify(says)};`,
    "python/shout.py": `def shout():\n    return ${JSON.stringify(says)}\n`,
  });

type Failure = { name: string; message: string; $metadata: { httpStatusCode: number } };
const failure = (e: Failure) => e;

const publish = (lambda: LambdaClient, says: string) =>
  lambda.send(new PublishLayerVersionCommand({ LayerName: "shared", Content: { ZipFile: greetLayer(says) }, CompatibleRuntimes: ["nodejs24.x", "python3.12"] }));

describe("layers published to the emulator", () => {
  it("are versioned, listed, got and deleted; a function attaches them by ARN and imports from them (require, import, Python)", async () => {
    await withEmulator([], async (_emulator, lambda) => {
      const one = await publish(lambda, "v1");
      const two = await publish(lambda, "v2");
      expect(one.Version).toBe(1);
      expect(two.Version).toBe(2);
      expect(two.LayerVersionArn).toBe("arn:aws:lambda:us-east-1:123456789012:layer:shared:2");
      expect(two.Content?.CodeSize).toBeGreaterThan(0);
      expect((await lambda.send(new GetLayerVersionCommand({ LayerName: "shared", VersionNumber: 1 }))).LayerVersionArn).toBe(one.LayerVersionArn);
      expect((await lambda.send(new GetLayerVersionByArnCommand({ Arn: two.LayerVersionArn }))).Version).toBe(2);
      expect((await lambda.send(new ListLayerVersionsCommand({ LayerName: "shared" }))).LayerVersions?.map((v) => v.Version)).toEqual([2, 1]);
      const listed = await lambda.send(new ListLayersCommand({}));
      expect(listed.Layers).toMatchObject([{ LayerName: "shared", LatestMatchingVersion: { Version: 2 } }]);

      const create = (name: string, runtime: string, handler: string, code: Record<string, string>, layers: string[]) =>
        lambda.send(new CreateFunctionCommand({ FunctionName: name, Role: ROLE, Runtime: runtime, Handler: handler, Code: { ZipFile: zip(code) }, Layers: layers }));
      await create("esm", "nodejs24.x", "app.handler", { "app.mjs": 'import { greet } from "greet";\nexport const handler = async () => greet();\n' }, [two.LayerVersionArn!]);
      await create("cjs", "nodejs24.x", "app.handler", { "app.js": 'const { greet } = require("greet");\nexports.handler = async () => greet();\n' }, [two.LayerVersionArn!, one.LayerVersionArn!]);
      await create("py", "python3.12", "app.handler", { "app.py": "import shout\n\ndef handler(event, context):\n    return shout.shout()\n" }, [one.LayerVersionArn!]);
      expect((await invoke(lambda, "esm")).payload).toBe("v2");
      expect((await invoke(lambda, "cjs")).payload).toBe("v1"); // the later layer wins
      expect((await invoke(lambda, "py")).payload).toBe("v1");
      const got = await lambda.send(new GetFunctionCommand({ FunctionName: "cjs" }));
      expect(got.Configuration?.Layers?.map((l) => l.Arn)).toEqual([two.LayerVersionArn, one.LayerVersionArn]);

      await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: "py", Layers: [two.LayerVersionArn!] }));
      expect((await invoke(lambda, "py")).payload).toBe("v2");

      await lambda.send(new DeleteLayerVersionCommand({ LayerName: "shared", VersionNumber: 1 }));
      expect((await lambda.send(new ListLayerVersionsCommand({ LayerName: "shared" }))).LayerVersions?.map((v) => v.Version)).toEqual([2]);
      const gone = await lambda.send(new GetLayerVersionCommand({ LayerName: "shared", VersionNumber: 1 })).then(() => null, failure);
      expect(gone).toMatchObject({ name: "ResourceNotFoundException", $metadata: { httpStatusCode: 404 } });
      // A function keeps a deleted version it uses, as on AWS.
      expect((await invoke(lambda, "cjs")).payload).toBe("v1");
      expect((await publish(lambda, "v3")).Version).toBe(3); // numbers are never reused
    });
  });

  it("refuses an unknown layer and more than 5, with AWS's words", async () => {
    await withEmulator([], async (_emulator, lambda) => {
      const one = await publish(lambda, "v1");
      const create = (layers: string[]) =>
        lambda
          .send(new CreateFunctionCommand({ FunctionName: "f", Role: ROLE, Runtime: "nodejs24.x", Handler: "app.handler", Code: { ZipFile: zip({ "app.js": "" }) }, Layers: layers }))
          .then(() => null, failure);
      const unknown = await create(["arn:aws:lambda:us-east-1:123456789012:layer:shared:9"]);
      expect(unknown).toMatchObject({ name: "InvalidParameterValueException", $metadata: { httpStatusCode: 400 } });
      expect(unknown!.message).toBe("Layer version arn:aws:lambda:us-east-1:123456789012:layer:shared:9 does not exist.");
      const six = await create(Array(6).fill(one.LayerVersionArn!));
      expect(six!.message).toBe("Cannot reference more than 5 layers.");
    });
  });
});
