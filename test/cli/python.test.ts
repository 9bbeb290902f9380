// Which Python runs a function: the user's, as close to the runtime's version as they have, said when it differs.
import { execFileSync } from "node:child_process";
import { chmodSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runPipes, tempProject } from "../helpers/run-pipes.js";

const SYSTEM_PYTHON = "/usr/bin/python3";
const systemVersion = execFileSync(SYSTEM_PYTHON, ["-c", "import sys; print('%d.%d' % sys.version_info[:2])"], { encoding: "utf8" }).trim();
const otherRuntime = systemVersion === "3.12" ? "python3.13" : "python3.12";

const project = () =>
  tempProject({
    "defs.ts": `
      import { defineDefinitions } from "pipes";
      export default defineDefinitions({
        assets: { first: { function: "which" }, second: { function: "which", deps: ["first"] } },
        functions: { which: { handler: "./py/which.handler", runtime: "${otherRuntime}" } },
      });`,
    "py/which.py": `import sys\n\ndef handler(event, context):\n    print("executable:", sys.executable)\n    return {}\n`,
  });

describe("the Python that runs a function", () => {
  it("is python3 from the user's PATH when the runtime's version is missing, with one warning naming both versions", async () => {
    const dir = project();
    const bin = join(dir, "bin");
    mkdirSync(bin);
    symlinkSync(SYSTEM_PYTHON, join(bin, "python3")); // no python3.12 on this PATH
    const r = await runPipes(["materialize", "first", "second"], { cwd: dir, env: { PATH: `${bin}:/bin` } });
    const out = r.stdout + r.stderr;
    expect(r.code, out).toBe(0);
    expect(out.match(/functions run on Python/g)).toHaveLength(1);
    expect(out).toContain(`${otherRuntime} functions run on Python ${systemVersion}`);
    expect(out).toContain(`not ${otherRuntime.slice(6)} as on Lambda`);
    expect(out).toMatch(/executable: \S*python3/);
  });

  it("is the interpreter PIPES_PYTHON names (here a venv's)", async () => {
    const dir = project();
    const venv = join(dir, "venv");
    execFileSync(SYSTEM_PYTHON, ["-m", "venv", "--without-pip", venv]);
    const r = await runPipes(["materialize", "first"], { cwd: dir, env: { PIPES_PYTHON: join(venv, "bin/python3") } });
    const out = r.stdout + r.stderr;
    expect(r.code, out).toBe(0);
    expect(out).toContain(`executable: ${join(venv, "bin/python3")}`);
    expect(out).toContain(`(PIPES_PYTHON=${join(venv, "bin/python3")})`);
  });

  it("is asked once: a first invocation waits for the start's probe of a slow interpreter (a pyenv shim) instead of asking again", async () => {
    const dir = project();
    const bin = join(dir, "bin");
    mkdirSync(bin);
    // A shim as slow as pyenv's, which notes every time it is asked for its version.
    writeFileSync(
      join(bin, "python3"),
      `#!/bin/sh\ncase "$*" in *version_info*) echo probe >> ${join(dir, "probes.log")}; sleep 0.4;; esac\nexec ${SYSTEM_PYTHON} "$@"\n`,
    );
    chmodSync(join(bin, "python3"), 0o755);
    const r = await runPipes(["materialize", "first"], { cwd: dir, env: { PATH: `${bin}:/bin` } });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(readFileSync(join(dir, "probes.log"), "utf8").trim().split("\n")).toEqual(["probe"]);
  });
});
