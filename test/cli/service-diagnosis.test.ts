import { existsSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { join } from "node:path";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { runPipes, tempProject } from "../helpers/run-pipes.js";

/** An endpoint answering every call with one AWS error, as Lambda does (AWS itself cannot run here). */
async function answering(status: number, type: string, message: string): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    req.resume();
    req.on("end", () =>
      res.writeHead(status, { "Content-Type": "application/json", "x-amzn-ErrorType": type, "x-amzn-RequestId": "r-1" }).end(JSON.stringify({ __type: type, message, Message: message })),
    );
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  servers.push(server);
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}
const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

const project = () =>
  tempProject({
    "fn/app.mjs": "export const handler = async () => null;\n",
    "defs.ts": `export default {
  assets: { orders: { function: "orders" } },
  functions: { orders: { handler: "./fn/app.handler" } },
  profiles: { prod: { lambda: { endpoint: process.env.EP, region: "eu-west-1", credentials: { accessKeyId: "a", secretAccessKey: "b" }, functionName: (n) => "prod-" + n } } },
};
`,
  });

describe("a failure of the Lambda service is said in words, exit 3", () => {
  it("a function not found under the profile's naming names the deployed name and the mapping to check", async () => {
    const { url } = await answering(404, "ResourceNotFoundException", "Function not found: arn:aws:lambda:eu-west-1:123456789012:function:prod-orders");
    const r = await runPipes(["materialize", "orders", "--profile", "prod"], { cwd: project(), env: { EP: url, PIPES_HISTORY: "0" } });
    expect(r.code).toBe(3);
    const out = r.stdout + r.stderr;
    expect(out).toMatch(/Lambda function "prod-orders" \(function "orders" of the definitions, as the profile's lambda\.functionName maps it\) was not found on/);
    expect(out).toMatch(/functionName mapping/);
    expect(out).not.toMatch(/^\s+at /m);
  });

  it("expired credentials say so and how to renew them", async () => {
    const { url } = await answering(403, "ExpiredTokenException", "The security token included in the request is expired");
    const r = await runPipes(["materialize", "orders", "--profile", "prod"], { cwd: project(), env: { EP: url, PIPES_HISTORY: "0" } });
    expect(r.code).toBe(3);
    const out = r.stdout + r.stderr;
    expect(out).toMatch(/credentials .* were refused or could not be loaded \(ExpiredTokenException\)/);
    expect(out).toMatch(/aws sso login/);
  });
});

describe("a profile the SDK can find no region for", () => {
  it("stops before the run starts, exit 2, naming the profile and where a region goes; nothing is recorded", async () => {
    const dir = tempProject({
      "fn/app.mjs": "export const handler = async () => null;\n",
      "defs.ts": `export default {
  assets: { orders: { function: "orders" } },
  functions: { orders: { handler: "./fn/app.handler" } },
  profiles: { prod: { lambda: { credentials: { accessKeyId: "a", secretAccessKey: "b" } } } },
};
`,
    });
    const none = join(dir, "no-such-file");
    const env = { AWS_REGION: "", AWS_DEFAULT_REGION: "", AWS_PROFILE: "", AWS_CONFIG_FILE: none, AWS_SHARED_CREDENTIALS_FILE: none, PIPES_HISTORY: "1" };
    const r = await runPipes(["materialize", "orders", "--profile", "prod"], { cwd: dir, env });
    expect(r.code, r.stdout + r.stderr).toBe(2);
    expect(r.stderr).toMatch(/Profile prod has no AWS region: set lambda\.region in it, or AWS_REGION/);
    expect(r.stdout).not.toMatch(/✖ orders/); // no step failed: none started
    expect(existsSync(join(dir, ".pipes", "runs"))).toBe(false);
  });
});
