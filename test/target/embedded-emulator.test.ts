// The emulator that `pipes materialize` and `pipes dev` start for a local profile checks signatures against a key made
// for that run and known nowhere else: another local user signing with well-known dummy credentials is refused.
import { LambdaClient, ListFunctionsCommand } from "@aws-sdk/client-lambda";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadDefinitions } from "../../src/defs/load.js";
import { openTarget, startEmulatorFor } from "../../src/target/index.js";
import { FIXTURES } from "../helpers/run-pipes.js";

/** Credentials anyone can guess: the SDK docs' example key, test/test, and what an unsigned emulator's client uses. */
const WELL_KNOWN = [
  { accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" },
  { accessKeyId: "test", secretAccessKey: "test" },
  { accessKeyId: "pipes-emulator", secretAccessKey: "pipes-emulator" },
];

describe("the embedded emulator", () => {
  it("refuses requests signed with well-known credentials (403), and lets its own target in", async () => {
    const defs = await loadDefinitions({ file: join(FIXTURES, "orders/defs.ts"), cwd: join(FIXTURES, "orders"), env: {} });
    const emulator = await startEmulatorFor(defs);
    const other = await startEmulatorFor(defs);
    const target = await openTarget(defs, { emulator });
    try {
      expect(emulator.credentials).not.toBeNull();
      expect(emulator.credentials!.secretAccessKey).not.toBe(other.credentials!.secretAccessKey);
      for (const credentials of [...WELL_KNOWN, other.credentials!]) {
        const lambda = new LambdaClient({ endpoint: emulator.url, region: "us-east-1", credentials, maxAttempts: 1 });
        const refused = await lambda.send(new ListFunctionsCommand({})).then(
          () => null,
          (error: { name: string; $metadata: { httpStatusCode?: number } }) => error,
        );
        lambda.destroy();
        expect(refused, credentials.accessKeyId).not.toBeNull();
        expect(refused!.$metadata.httpStatusCode, credentials.accessKeyId).toBe(403);
        expect(refused!.name).toBe("UnrecognizedClientException");
      }
      const listed = await target.client.send(new ListFunctionsCommand({}));
      expect(listed.Functions?.map((f) => f.FunctionName)).toContain("orders_ingest");
    } finally {
      await target.close();
      await emulator.close();
      await other.close();
    }
  });
});
