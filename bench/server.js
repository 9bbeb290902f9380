// What the emulator benchmarks share: a server process started and awaited, and an SDK client for it.
import { LambdaClient } from "@aws-sdk/client-lambda";
import { spawn } from "node:child_process";
import { closeSync, mkdtempSync, openSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { silenceSdkNodeVersionWarning } from "../dist/util/quiet-warnings.js";

silenceSdkNodeVersionWarning();
export const root = fileURLToPath(new URL("../", import.meta.url));

/**
 * Starts a server process (`env` added to this one's) and resolves with its URL once it prints `Ready on <url>`.
 * Its output goes to a file, not a pipe: reading `pipes emulator`'s line per invocation would cost this (client)
 * process CPU that the stub's run does not pay.
 */
export function server(args, { env = {} } = {}) {
  const logFile = join(mkdtempSync(join(tmpdir(), "pipes-bench-")), "out.log");
  const fd = openSync(logFile, "w");
  const child = spawn(process.execPath, args, { cwd: root, stdio: ["ignore", fd, "inherit"], env: { ...process.env, NO_COLOR: "1", ...env } });
  closeSync(fd);
  // A benchmark that fails leaves no server behind (it would hold the caller's stderr open).
  const killOnExit = () => child.kill("SIGKILL");
  process.on("exit", killOnExit);
  child.on("exit", () => process.off("exit", killOnExit));
  const output = () => readFileSync(logFile, "utf8");
  return new Promise((resolve, reject) => {
    const timer = setInterval(() => {
      const url = /Ready on (http:\/\/\S+)/.exec(output())?.[1];
      if (url) {
        clearInterval(timer);
        resolve({ url, pid: child.pid, child, stop: () => child.kill("SIGTERM"), output });
      }
    }, 5);
    child.on("exit", (code) => {
      clearInterval(timer);
      reject(new Error(`${args.join(" ")} exited ${code}: ${output()}`));
    });
  });
}

export const sdk = (url, credentials = { accessKeyId: "a", secretAccessKey: "b" }) =>
  new LambdaClient({ endpoint: url, region: "us-east-1", credentials, maxAttempts: 1 });
