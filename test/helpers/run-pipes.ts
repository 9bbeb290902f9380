import { spawn } from "node:child_process";
import { cpSync, mkdirSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { tempDir } from "./temp.js";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const BIN = join(ROOT, "bin/pipes.js");
export const FIXTURES = join(ROOT, "fixtures");

/**
 * Tests share the fixtures' folders and run in parallel: run history (.pipes/runs beside the defs file) is off
 * unless a test turns it on (`PIPES_HISTORY: "1"`), in a folder of its own.
 */
const NO_HISTORY = { PIPES_HISTORY: "0" };

export interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Spawns the real `bin/pipes.js`, as a user's shell would, without a terminal. */
export function runPipes(args: string[], options: { cwd?: string; env?: Record<string, string>; input?: string } = {}): Promise<Result> {
  return new Promise((resolve, reject) => {
    const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: "1", ...NO_HISTORY, ...options.env };
    // A test that is itself run by GitHub Actions must not get its workflow commands, unless it asks.
    for (const name of ["PIPES_PROFILE", "GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY"]) {
      delete env[name];
      if (options.env?.[name]) env[name] = options.env[name];
    }
    const child = spawn(process.execPath, [BIN, ...args], { cwd: options.cwd ?? ROOT, env, stdio: "pipe" });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.input ?? "");
  });
}

/**
 * A fixture copied to `dest`, as a project of its own: links to the handler libraries become files (they point
 * into this repository), and the fixture's own run history (`.pipes/`, left by someone running the README's
 * example) stays behind, so a test starts from no runs.
 */
export function copyFixture(name: string, dest: string, options: { dereference?: boolean } = {}): void {
  cpSync(join(FIXTURES, name), dest, { recursive: true, dereference: options.dereference ?? true, filter: (src) => basename(src) !== ".pipes" });
}

/** A fresh folder outside the repository with the given files (paths relative to it). */
export function tempProject(files: Record<string, string>): string {
  const dir = tempDir("pipes-test-");
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

export interface Running {
  child: import("node:child_process").ChildProcessWithoutNullStreams;
  output: () => string;
  /** Resolves with the first match of `pattern` in stdout, waiting for it. */
  waitFor: (pattern: RegExp, timeoutMs?: number) => Promise<RegExpMatchArray>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts a long-running `pipes` command (emulator, dev) without a terminal. */
export function startPipes(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}): Running {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: options.cwd ?? ROOT,
    env: { ...process.env, NO_COLOR: "1", ...NO_HISTORY, ...options.env },
    stdio: "pipe",
  });
  let stdout = "";
  child.stdout.on("data", (d) => (stdout += d));
  child.stderr.on("data", (d) => (stdout += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on("exit", (code, signal) => resolve({ code, signal })),
  );
  const waitFor = (pattern: RegExp, timeoutMs = 20_000) =>
    new Promise<RegExpMatchArray>((resolve, reject) => {
      const check = () => {
        const match = stdout.match(pattern);
        if (match) {
          clearInterval(timer);
          resolve(match);
        } else if (Date.now() > deadline) {
          clearInterval(timer);
          reject(new Error(`timed out waiting for ${pattern}; output so far:\n${stdout}`));
        }
      };
      const deadline = Date.now() + timeoutMs;
      const timer = setInterval(check, 20);
      check();
    });
  return { child, output: () => stdout, waitFor, exited };
}
