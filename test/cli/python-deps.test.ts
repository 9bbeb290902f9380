// A Python function's requirements.txt, built for Lambda as `sam build` builds it: into the zip by
// `pipes deploy-handler`, and onto the function's sys.path by the emulator, from the same cache folder. Offline:
// the test builds its own wheelhouse with the machine's pip and hands it to pip through pip's own variables
// (PIP_FIND_LINKS, PIP_NO_INDEX), which proves the user's pip configuration applies.
import { CreateFunctionCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { unzipSync } from "fflate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { invoke } from "../helpers/emulator.js";
import { ROOT, runPipes, startPipes, tempProject, type Running } from "../helpers/run-pipes.js";

/** A PEP 517 backend of its own (no setuptools, no download): writes the wheel `wheel.json` describes. */
const BACKEND = `
import base64, hashlib, json, os, zipfile

def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    spec = json.load(open("wheel.json"))
    name, version, tag = spec["name"], spec["version"], spec["tag"]
    dist = f"{name}-{version}.dist-info"
    files = {f"{name}/__init__.py": spec["code"].encode()}
    files[f"{dist}/METADATA"] = f"Metadata-Version: 2.1\\nName: {name}\\nVersion: {version}\\n".encode()
    files[f"{dist}/WHEEL"] = f"Wheel-Version: 1.0\\nGenerator: test\\nRoot-Is-Purelib: true\\nTag: {tag}\\n".encode()
    digest = lambda b: base64.urlsafe_b64encode(hashlib.sha256(b).digest()).rstrip(b"=").decode()
    record = [f"{p},sha256={digest(b)},{len(b)}" for p, b in files.items()] + [f"{dist}/RECORD,,"]
    files[f"{dist}/RECORD"] = ("\\n".join(record) + "\\n").encode()
    wheel = f"{name}-{version}-{tag}.whl"
    with zipfile.ZipFile(os.path.join(wheel_directory, wheel), "w") as z:
        for path, data in files.items():
            z.writestr(path, data)
    return wheel
`;

/** A wheel of one module made with the machine's pip (`pip wheel`), into the wheelhouse. */
function buildWheel(work: string, wheelhouse: string, spec: { name: string; version: string; tag: string; code: string }): void {
  const source = join(work, "src", spec.name);
  mkdirSync(source, { recursive: true });
  writeFileSync(join(source, "pyproject.toml"), '[build-system]\nrequires = []\nbuild-backend = "backend"\nbackend-path = ["."]\n');
  writeFileSync(join(source, "backend.py"), BACKEND);
  writeFileSync(join(source, "wheel.json"), JSON.stringify(spec));
  execFileSync("python3", ["-m", "pip", "wheel", "--no-deps", "--no-index", "--wheel-dir", wheelhouse, source], {
    env: { ...process.env, PIP_NO_INDEX: "1" },
    stdio: "pipe",
    timeout: 120_000,
  });
}

const ROLE = "arn:aws:iam::123456789012:role/lambda-exec";
const GREETING = "hello from tinydep";
let work: string;
let project: string;
let cache: string;
let wheelhouse: string;
let emptyWheelhouse: string;
let emulator: Running;
let lambda: LambdaClient;

/** The user's pip configuration, through pip's own variables: the test's wheelhouse, no index. */
const pipEnv = (links = wheelhouse) => ({ XDG_CACHE_HOME: cache, PIP_FIND_LINKS: links, PIP_NO_INDEX: "1" });
const pipes = (args: string[], env: Record<string, string> = pipEnv()) => runPipes(args, { cwd: project, env });
const builtFolders = () => (existsSync(join(cache, "pipes", "python-deps")) ? readdirSync(join(cache, "pipes", "python-deps")).sort() : []);

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "pipes-pydeps-"));
  cache = join(work, "cache");
  wheelhouse = join(work, "wheelhouse");
  emptyWheelhouse = join(work, "empty-wheelhouse");
  mkdirSync(emptyWheelhouse);
  buildWheel(work, wheelhouse, { name: "tinydep", version: "1.0", tag: "py3-none-any", code: `GREETING = ${JSON.stringify(GREETING)}\n` });
  // Tagged as a CPython 3.12 extension for x86_64 only: no wheel for arm64, nor for another Python version.
  buildWheel(work, wheelhouse, { name: "nativedep", version: "2.0", tag: "cp312-cp312-manylinux2014_x86_64", code: "ARCH = 'x86_64'\n" });
  project = tempProject({
    "defs.ts": `
      import { defineDefinitions } from "pipes";
      export default defineDefinitions({
        assets: {
          greeted: { function: "withpipes" },
          broken: { function: "nowheel" },
        },
        functions: {
          usesdep: { handler: "./fn/main.handler", runtime: "python3.12" },
          withpipes: { handler: "./fn/asset.handler", runtime: "python3.12" },
          nowheel: { handler: "./nowheel/main.handler", runtime: "python3.12" },
          native: { handler: "./native/main.handler", runtime: "python3.12" },
          nativearm: { handler: "./native/main.handler", runtime: "python3.12", architecture: "arm64" },
          vendored: { handler: "./vendored/main.handler", runtime: "python3.12" },
        },
      });`,
    "fn/requirements.txt": "# what the handler imports\ntinydep==1.0\n",
    "fn/main.py": "import tinydep\n\ndef handler(event, context):\n    return {'greeting': tinydep.GREETING, 'module': tinydep.__file__}\n",
    "fn/asset.py": [
      "import sys",
      "import tinydep",
      "from pipes_lambda import with_pipes",
      "",
      "@with_pipes",
      "def handler(event, pipes, context):",
      "    pipes.report_asset_materialization(metadata={'greeting': tinydep.GREETING, 'second_on_path': sys.path[1]})",
      "    return {'greeting': tinydep.GREETING}",
      "",
    ].join("\n"),
    "nowheel/requirements.txt": "tinydep==1.0\nabsentpkg==2.0\n",
    "nowheel/main.py": "import absentpkg\n\ndef handler(event, context):\n    return 1\n",
    "native/requirements.txt": "nativedep==2.0\n",
    "native/main.py": "import nativedep\n\ndef handler(event, context):\n    return nativedep.ARCH\n",
    "vendored/requirements.txt": "tinydep==1.0\n",
    "vendored/main.py": "def handler(event, context):\n    return 1\n",
  });
  symlinkSync(join(ROOT, "src/handler/pipes_lambda.py"), join(project, "fn/pipes_lambda.py"));
  // The emulator that runs the zip has no wheelhouse and a cache of its own: the zip must carry its packages.
  const emulatorCache = join(work, "emulator-cache");
  emulator = startPipes(["emulator", "--port", "0"], { cwd: tmpdir(), env: { XDG_CACHE_HOME: emulatorCache, PIP_NO_INDEX: "1", PIP_FIND_LINKS: emptyWheelhouse } });
  const [, url] = (await emulator.waitFor(/Ready on (http:\/\/127\.0\.0\.1:\d+)/)) as unknown as [string, string];
  lambda = new LambdaClient({ endpoint: url, region: "us-east-1", credentials: { accessKeyId: "a", secretAccessKey: "b" }, maxAttempts: 1 });
}, 180_000);

afterAll(async () => {
  lambda?.destroy();
  if (emulator) {
    emulator.child.kill("SIGINT");
    await emulator.exited;
  }
  if (project) rmSync(project, { recursive: true, force: true });
  if (work) rmSync(work, { recursive: true, force: true });
});

describe("pipes deploy-handler builds requirements.txt for Lambda", () => {
  let first: { codeSha256: string; dir: string };

  it("--dry-run --out x.zip holds the packages, and the zip's dependency imports on pipes emulator", async () => {
    const r = await pipes(["deploy-handler", "--function", "usesdep", "--dry-run", "--out", "x.zip", "--json"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain("Building fn/requirements.txt for Lambda with pip (python3.12, manylinux2014_x86_64)");
    const record = JSON.parse(r.stdout);
    expect(record.dependencies).toMatchObject({ requirements: "fn/requirements.txt", platform: "manylinux2014_x86_64", packages: ["tinydep 1.0"], cached: false });
    expect(record.dependencies.dir.startsWith(join(cache, "pipes", "python-deps", "python3.12-x86_64-"))).toBe(true);
    const zip = readFileSync(join(project, "x.zip"));
    expect(Object.keys(unzipSync(zip))).toEqual(expect.arrayContaining(["main.py", "pipes_lambda.py", "tinydep/__init__.py", "tinydep-1.0.dist-info/METADATA"]));
    // Built in the user's cache, never in the project.
    expect(readdirSync(join(project, "fn")).sort()).toEqual(["asset.py", "main.py", "pipes_lambda.py", "requirements.txt"]);
    first = { codeSha256: record.zip.codeSha256, dir: record.dependencies.dir };

    await lambda.send(new CreateFunctionCommand({ FunctionName: "usesdep", Runtime: "python3.12", Handler: "main.handler", Role: ROLE, Code: { ZipFile: zip } }));
    const invoked = await invoke(lambda, "usesdep");
    expect(invoked.functionError, invoked.log.join("\n")).toBeUndefined();
    expect(invoked.payload.greeting).toBe(GREETING);
    // Imported from the unpacked zip, not from a cache.
    expect(invoked.payload.module).toMatch(/\/tinydep\/__init__\.py$/);
    expect(invoked.payload.module).not.toContain(cache);
  }, 120_000);

  it("a second build takes the cache: pip does not run (no wheelhouse, no interpreter), the zip is the same", async () => {
    const r = await pipes(["deploy-handler", "--function", "usesdep", "--dry-run", "--out", "y.zip", "--json"], {
      ...pipEnv(emptyWheelhouse),
      PIPES_PYTHON: join(work, "no-such-python"),
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toContain("Building");
    const record = JSON.parse(r.stdout);
    expect(record.dependencies).toMatchObject({ cached: true, packages: ["tinydep 1.0"], dir: first.dir });
    expect(record.zip.codeSha256).toBe(first.codeSha256);
    const text = await pipes(["deploy-handler", "--function", "usesdep", "--dry-run", "--out", "y.zip"], pipEnv(emptyWheelhouse));
    expect(text.stdout).toContain("and 1 package of fn/requirements.txt (manylinux2014_x86_64, from the cache)");
  }, 60_000);

  it("a package with no wheel for the platform is refused by name, with what to do, and nothing is cached", async () => {
    const before = builtFolders();
    const r = await pipes(["deploy-handler", "--function", "nowheel", "--dry-run", "--out", "n.zip"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("nowheel/requirements.txt: pip found no version of absentpkg that installs on Lambda's python3.12 on x86_64 (manylinux2014_x86_64)");
    expect(r.stderr).toContain("Pin a version of absentpkg");
    expect(r.stderr).toContain("--no-deps-build");
    expect(r.stderr).toContain("No matching distribution found for absentpkg==2.0"); // pip's own words
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(existsSync(join(project, "n.zip"))).toBe(false);
    expect(builtFolders()).toEqual(before); // no half-built entry
  }, 60_000);

  it("the function's architecture and runtime choose the wheels: x86_64 takes a cp312 x86_64 wheel, arm64 is refused", async () => {
    const [x86, arm] = await Promise.all([
      pipes(["deploy-handler", "--function", "native", "--dry-run", "--out", "a.zip", "--json"]),
      pipes(["deploy-handler", "--function", "nativearm", "--dry-run", "--out", "b.zip"]),
    ]);
    expect(x86.code, x86.stderr).toBe(0);
    expect(JSON.parse(x86.stdout).dependencies).toMatchObject({ platform: "manylinux2014_x86_64", packages: ["nativedep 2.0"] });
    expect(arm.code).toBe(2);
    expect(arm.stderr).toContain("pip found no version of nativedep that installs on Lambda's python3.12 on arm64 (manylinux2014_aarch64)");
  }, 60_000);

  it("--no-deps-build keeps the old rule: the folder must hold its packages, else the pip command to vendor them", async () => {
    const r = await pipes(["deploy-handler", "--function", "vendored", "--dry-run", "--out", "v.zip", "--no-deps-build"], pipEnv(emptyWheelhouse));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("vendored/requirements.txt lists tinydep, not in vendored/");
    expect(r.stderr).toContain("pip install -r vendored/requirements.txt -t vendored");
  }, 60_000);
});

describe("the emulator runs a definitions-file function on the same built packages", () => {
  it("pipes materialize imports the dependency, from the folder deploy-handler zips, right after the function's folder", async () => {
    const r = await pipes(["materialize", "greeted", "--json"]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const materialization = r.stdout
      .split("\n")
      .filter(Boolean)
      .map((line) => JSON.parse(line))
      .find((event) => event.type === "materialization");
    expect(materialization?.metadata.greeting.value).toBe(GREETING);
    const second: string = materialization?.metadata.second_on_path.value;
    expect(second).toMatch(new RegExp(`^${join(cache, "pipes", "python-deps", "python3.12-x86_64-")}`));
    expect(builtFolders()).toContain(second.split("/").pop());
    // Python's own bytecode aside, nothing was written into the project.
    expect(readdirSync(join(project, "fn")).filter((f) => f !== "__pycache__").sort()).toEqual(["asset.py", "main.py", "pipes_lambda.py", "requirements.txt"]);
  }, 120_000);

  it("a requirements.txt pip cannot build is the function's init error, naming it and pip's message", async () => {
    const r = await pipes(["materialize", "broken"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("Runtime.ImportModuleError");
    expect(r.stdout).toMatch(/nowheel\/requirements\.txt: pip found no version of absentpkg/);
    expect(r.stdout).toContain("No matching distribution found for absentpkg==2.0");
  }, 120_000);
});
