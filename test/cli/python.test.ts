// Which Python runs a function: the user's, as close to the runtime's version as they have, said when it differs.
import { execFileSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runPipes, tempProject } from "../helpers/run-pipes.js";

const SYSTEM_PYTHON = "/usr/bin/python3";
const systemVersion = execFileSync(SYSTEM_PYTHON, ["-c", "import sys; print('%d.%d' % sys.version_info[:2])"], { encoding: "utf8" }).trim();
const otherRuntime = systemVersion === "3.12" ? "python3.13" : "python3.12";
/** pyenv's and uv's install folders, pointed at nothing: only PATH is searched. */
const NO_INSTALLS = (dir: string) => ({ PYENV_ROOT: join(dir, "no-pyenv"), UV_PYTHON_INSTALL_DIR: join(dir, "no-uv") });

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
  it("is python3 from the user's PATH when the runtime's version is missing, with one note naming both versions", async () => {
    const dir = project();
    const bin = join(dir, "bin");
    mkdirSync(bin);
    symlinkSync(SYSTEM_PYTHON, join(bin, "python3")); // no python3.12 on this PATH, nor in pyenv's or uv's installs
    const r = await runPipes(["materialize", "first", "second"], { cwd: dir, env: { PATH: `${bin}:/bin`, ...NO_INSTALLS(dir), GITHUB_ACTIONS: "true" } });
    const out = r.stdout + r.stderr;
    expect(r.code, out).toBe(0);
    expect(out.match(/functions run on Python/g)).toHaveLength(1);
    // A note, not a warning: the function runs, and CI gets no warning annotation for it.
    expect(out).toMatch(/ℹ .*functions run on Python/);
    expect(out).not.toMatch(/::warning.*functions run on Python/);
    expect(out).toContain(`${otherRuntime} functions run on Python ${systemVersion}`);
    expect(out).toContain(`not ${otherRuntime.slice(6)} as on Lambda`);
    expect(out).toMatch(/executable: \S*python3/);
  });

  it("is the runtime's version from pyenv's or uv's installs when PATH has only another python3", async () => {
    for (const layout of ["pyenv", "uv"] as const) {
      const dir = tempProject({
        "defs.ts": `export default { assets: { a: { function: "which" } }, functions: { which: { handler: "./py/which.handler", runtime: "python${systemVersion}" } } };`,
        "py/which.py": `import sys\n\ndef handler(event, context):\n    print("executable:", sys.executable)\n    return {}\n`,
      });
      const bin = join(dir, "bin");
      mkdirSync(bin);
      writeFileSync(join(bin, "python3"), "#!/bin/sh\nexit 1\n"); // a python3 that is not the runtime's
      chmodSync(join(bin, "python3"), 0o755);
      const root = join(dir, layout);
      const installed = layout === "pyenv" ? join(root, "versions", `${systemVersion}.99`) : join(root, `cpython-${systemVersion}.99-linux-x86_64-gnu`);
      mkdirSync(join(installed, "bin"), { recursive: true });
      symlinkSync(SYSTEM_PYTHON, join(installed, "bin", `python${systemVersion}`));
      const env = { PATH: bin, ...NO_INSTALLS(dir), ...(layout === "pyenv" ? { PYENV_ROOT: root } : { UV_PYTHON_INSTALL_DIR: root }) };
      const r = await runPipes(["materialize", "a"], { cwd: dir, env });
      const out = r.stdout + r.stderr;
      expect(r.code, out).toBe(0);
      expect(out).toContain(`executable: ${join(installed, "bin", `python${systemVersion}`)}`);
      expect(out).not.toContain("functions run on Python");
    }
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

  it("a run whose Python function has no interpreter (PIPES_PYTHON naming nothing, or none installed) stops before it starts, exit 2", async () => {
    const dir = project();
    const missing = join(dir, "venv/bin/python3");
    const named = await runPipes(["materialize", "first"], { cwd: dir, env: { PIPES_PYTHON: missing, PIPES_HISTORY: "1" } });
    expect(named.code, named.stdout + named.stderr).toBe(2);
    expect(named.stderr).toContain(`function which (${otherRuntime}) cannot run on the emulator: PIPES_PYTHON=${missing} is not an executable file`);
    expect(named.stdout).not.toMatch(/→ which/); // nothing was invoked
    expect(existsSync(join(dir, ".pipes", "runs"))).toBe(false); // nor recorded as a run
    const none = await runPipes(["materialize", "first"], { cwd: dir, env: { PATH: join(dir, "empty"), ...NO_INSTALLS(dir) } });
    expect(none.code, none.stdout + none.stderr).toBe(2);
    expect(none.stderr).toMatch(/cannot run on the emulator: no Python interpreter found/);
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
    const r = await runPipes(["materialize", "first"], { cwd: dir, env: { PATH: `${bin}:/bin`, ...NO_INSTALLS(dir) } });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(readFileSync(join(dir, "probes.log"), "utf8").trim().split("\n")).toEqual(["probe"]);
  });

  it("is not asked at all by a run that invokes no Python function, though the definitions hold one", async () => {
    const dir = tempProject({
      "defs.ts": `export default {
        assets: { js: { function: "node" }, py: { function: "which" } },
        functions: { node: { handler: "./app.handler", runtime: "nodejs22.x" }, which: { handler: "./py/which.handler", runtime: "${otherRuntime}" } },
      };`,
      "app.mjs": "export const handler = async () => ({});\n",
      "py/which.py": `def handler(event, context):\n    return {}\n`,
    });
    const bin = join(dir, "bin");
    mkdirSync(bin);
    // Every interpreter the run could ask notes it; pyenv's and uv's installs point at nothing.
    for (const name of ["python3", `python${otherRuntime.slice(6)}`]) {
      writeFileSync(join(bin, name), `#!/bin/sh\necho asked >> ${join(dir, "probes.log")}\nexec ${SYSTEM_PYTHON} "$@"\n`);
      chmodSync(join(bin, name), 0o755);
    }
    const env = { PATH: `${bin}:/bin:/usr/bin`, ...NO_INSTALLS(dir) };
    const node = await runPipes(["materialize", "js"], { cwd: dir, env });
    expect(node.code, node.stdout + node.stderr).toBe(0);
    expect(existsSync(join(dir, "probes.log"))).toBe(false);
    // The same definitions, the Python asset selected: asked, and it runs.
    const python = await runPipes(["materialize", "py"], { cwd: dir, env });
    expect(python.code, python.stdout + python.stderr).toBe(0);
    expect(existsSync(join(dir, "probes.log"))).toBe(true);
  });
});
