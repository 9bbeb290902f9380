// A zip bomb: Lambda's 262,144,000-byte unzipped limit is enforced while the zip inflates, in a process whose
// peak memory stays far below what the zip claims, and nothing of it stays on disk.
import { CreateFunctionCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { strToU8, Zip, ZipDeflate } from "fflate";
import { afterEach, describe, expect, it } from "vitest";
import { invoke } from "../helpers/emulator.js";
import { FIXTURES, startPipes, type Running } from "../helpers/run-pipes.js";
import { tempDir } from "../helpers/temp.js";

/** A zip of a small handler plus `megabytes` MB of zeros, built a megabyte at a time (about 1 KB per MB). */
function zipBomb(megabytes: number): Buffer {
  const parts: Uint8Array[] = [];
  const zip = new Zip((error, chunk) => {
    if (error) throw error;
    parts.push(chunk);
  });
  const handler = new ZipDeflate("app.mjs");
  zip.add(handler);
  handler.push(strToU8("export const handler = async () => 'ran';\n"), true);
  const zeros = new ZipDeflate("data/zeros.bin", { level: 9 });
  zip.add(zeros);
  const megabyte = new Uint8Array(1024 * 1024);
  for (let i = 0; i < megabytes; i++) zeros.push(megabyte, i === megabytes - 1);
  zip.end();
  return Buffer.concat(parts);
}

/** Peak resident memory of a process so far, in MB (Linux). */
const peakRssMb = (pid: number) => Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))![1]) / 1024;

function diskUsage(dir: string): number {
  let bytes = 0;
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) bytes += statSync(join(entry.parentPath, entry.name)).size;
  }
  return bytes;
}

let running: Running | undefined;
afterEach(() => {
  running?.child.kill("SIGKILL");
  running = undefined;
});

describe("uploaded zips", () => {
  it("a 300 KB zip that inflates to 300 MB is refused with 400 while streaming, in bounded memory, leaving nothing on disk", async () => {
    const bomb = zipBomb(300);
    expect(bomb.length).toBeLessThan(400 * 1024);
    const tmp = tempDir("pipes-zip-");
    running = startPipes(["emulator", "--port", "0"], { cwd: FIXTURES, env: { TMPDIR: tmp } });
    const [, url] = await running.waitFor(/Ready on (http:\/\/127\.0\.0\.1:\d+)/);
    const lambda = new LambdaClient({ endpoint: url, region: "us-east-1", credentials: { accessKeyId: "a", secretAccessKey: "b" }, maxAttempts: 1 });
    const create = (FunctionName: string, ZipFile: Uint8Array) =>
      lambda.send(new CreateFunctionCommand({ FunctionName, Role: "arn:aws:iam::123456789012:role/x", Runtime: "nodejs24.x", Handler: "app.handler", Code: { ZipFile } }));

    const refused = await create("bomb", bomb).then(() => null, (e: { name: string; message: string; $metadata: { httpStatusCode: number } }) => e);
    expect(refused).toMatchObject({ name: "InvalidParameterValueException", $metadata: { httpStatusCode: 400 } });
    expect(refused!.message).toBe("Unzipped size must be smaller than 262144000 bytes");
    expect(peakRssMb(running.child.pid!)).toBeLessThan(220);
    expect(diskUsage(tmp)).toBeLessThan(1024 * 1024);

    // Below the limit, the same kind of zip deploys and runs.
    await create("big", zipBomb(20));
    expect((await invoke(lambda, "big")).payload).toBe("ran");
    lambda.destroy();
  }, 60_000);
});
