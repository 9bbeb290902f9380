import { describe, expect, it } from "vitest";
import { parseMemory } from "../../src/defs/memory.js";
import { chooseProfile } from "../../src/defs/profile.js";
import { checkProfile, validateDefinitions } from "../../src/defs/validate.js";

const fn = (extra: Record<string, unknown> = {}) => ({ handler: "./h.handler", ...extra });
const problemsOf = (raw: unknown) => validateDefinitions(raw).problems.map((p) => `${p.where}: ${p.message}`);

describe("validateDefinitions", () => {
  it("accepts a valid file and orders assets dependencies first", () => {
    const { definitions, problems } = validateDefinitions({
      assets: { c: { deps: ["b"], function: "f" }, b: { deps: ["a"], function: "f" }, a: { function: "f" }, z: { function: "f" } },
      functions: { f: fn({ memory: "2GB", timeout: 900 }) },
    });
    expect(problems).toEqual([]);
    expect(definitions.assets.map((a) => a.key)).toEqual(["a", "b", "c", "z"]);
    expect(definitions.functions.get("f")).toMatchObject({ memoryMb: 2048, timeoutSeconds: 900, runtime: "nodejs24.x" });
    expect([...definitions.profiles.keys()]).toEqual(["local"]);
  });

  it("collects every problem of a file at once", () => {
    const problems = problemsOf({
      assets: {
        a: { deps: ["missing", "b"], function: "f" },
        b: { deps: ["a"], function: "f" },
        lonely: { description: "no function" },
        typo: { functon: "f" },
      },
      functions: {
        f: fn({ memory: 64, timeout: 901 }),
        g: fn({ memory: "20GB", runtime: "ruby3.2" }),
        h: fn({ memory: "lots", timeout: 2.5 }),
      },
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        'asset "a": depends on "missing", which is not an asset',
        'asset "a": dependency cycle: a → b → a',
        'asset "lonely": has no function: set `function: "<name>"` or write `run({ context, lambda })`',
        'asset "typo": unknown field "functon" (did you mean "function"?)',
        "function \"f\": memory 64 MB is outside Lambda's 128–10240 MB",
        'function "f": timeout 901 must be a whole number of seconds from 1 to 900',
        "function \"g\": memory 20480 MB is outside Lambda's 128–10240 MB",
        expect.stringMatching(/^function "g": unknown runtime "ruby3.2"; known: nodejs18.x, .*python3.14$/),
        'function "h": memory "lots" is not a size: write 512, "512MB" or "2GB"',
        'function "h": timeout 2.5 must be a whole number of seconds from 1 to 900',
      ]),
    );
  });

  it("reports a longer cycle once, with its path", () => {
    const problems = problemsOf({
      assets: { a: { deps: ["c"], function: "f" }, b: { deps: ["a"], function: "f" }, c: { deps: ["b"], function: "f" } },
    });
    expect(problems.filter((p) => p.includes("cycle"))).toEqual(['asset "a": dependency cycle: a → c → b → a']);
  });

  it("finds duplicate asset keys in the array form, path keys included", () => {
    const problems = problemsOf({
      assets: [
        { key: ["orders", "raw"], function: "f" },
        { key: "orders/raw", function: "g" },
        { function: "h" },
      ],
    });
    expect(problems).toEqual([
      "assets[2]: needs a key: a string (\"a/b\") or an array ([\"a\", \"b\"])",
      'asset "orders/raw": duplicate asset key "orders/raw": each asset key may be defined once',
    ]);
  });

  it("rejects exports that are not definitions", () => {
    expect(problemsOf(undefined)[0]).toMatch(/default export must be an object/);
    expect(problemsOf({ asets: {} })).toEqual([
      ': unknown top-level key "asets" (did you mean "assets"?)',
      ': no assets: add `assets: { my_asset: { function: "my_function" } }`',
    ]);
    expect(problemsOf({ assets: "a" })).toEqual(["assets: must be an object of assets by key, or an array, got string"]);
  });

  it("validates profiles and maps function names", () => {
    const { definitions, problems } = validateDefinitions({
      assets: { a: { function: "f" } },
      profiles: {
        prod: { lambda: { region: "eu-west-1", functionName: (n: string) => `prod-${n}` } },
        staging: { lambda: { functionName: { f: "stage-f" }, endpoint: "http://127.0.0.1:9001" } },
        broken: { lambda: { region: 5, endpoint: "localhost", credentials: "secret" } },
      },
    });
    const prod = definitions.profiles.get("prod")!.lambda;
    const staging = definitions.profiles.get("staging")!.lambda;
    expect(prod.kind === "aws" && prod.functionName("f")).toBe("prod-f");
    expect(staging.kind === "aws" && staging.functionName("f")).toBe("stage-f");
    expect(problems.map((p) => p.message)).toEqual([
      "lambda.region must be a string",
      'lambda.endpoint "localhost" must be a URL like http://127.0.0.1:9001',
      "lambda.credentials must be a provider (e.g. fromIni()) or { accessKeyId, secretAccessKey }",
    ]);
    expect(definitions.profiles.get("local")?.lambda).toEqual({ kind: "emulator" });
  });
});

describe("checkProfile", () => {
  const { definitions } = validateDefinitions({
    assets: { a: { function: "f" }, b: { function: "deployed_only" } },
    functions: { f: { runtime: "nodejs24.x" } },
    profiles: { local: { lambda: { emulator: true } }, prod: { lambda: { region: "us-east-1" } } },
  });

  it("on the emulator, needs a handler for every function an asset uses", () => {
    expect(checkProfile(definitions, "local", "default").map((p) => `${p.where}: ${p.message}`)).toEqual([
      'asset "b": function "deployed_only" is not in `functions`, so the local emulator (profile "local") cannot run it',
      'function "f": has no handler, which the local emulator (profile "local") needs: add handler: "./path/file.export"',
    ]);
  });

  it("on AWS, functions need no local entry", () => {
    expect(checkProfile(definitions, "prod", "--profile")).toEqual([]);
  });

  it("names the known profiles when asked for an unknown one", () => {
    expect(checkProfile(definitions, "prd", "--profile")).toEqual([
      { where: "--profile prd", message: 'unknown profile "prd" (did you mean "prod"?); known profiles: "local" and "prod"' },
    ]);
  });
});

describe("profile precedence and memory sizes", () => {
  it("flag > PIPES_PROFILE > file default > local", () => {
    expect(chooseProfile({ flag: "a", env: "b", fileDefault: "c" })).toEqual({ name: "a", source: "--profile" });
    expect(chooseProfile({ env: "b", fileDefault: "c" })).toEqual({ name: "b", source: "PIPES_PROFILE" });
    expect(chooseProfile({ fileDefault: "c" })).toEqual({ name: "c", source: "defaultProfile" });
    expect(chooseProfile({})).toEqual({ name: "local", source: "default" });
  });

  it("parses memory as MB numbers or sizes", () => {
    expect([512, "512", "512MB", "512 mb", "2GB", "1.5GB", "10g"].map((m) => parseMemory(m))).toEqual([512, 512, 512, 512, 2048, 1536, 10240]);
    expect([512.5, "big", "1.0001GB", "-5MB", ""].map((m) => parseMemory(m))).toEqual([undefined, undefined, undefined, undefined, undefined]);
  });

  it("takes asset checks as names or { name, description, blocking }, and says what is wrong with one", () => {
    const { definitions, problems } = validateDefinitions({
      assets: { a: { function: "f", checks: ["fresh", { name: "not_empty", blocking: true, description: "rows" }] } },
      functions: { f: fn() },
    });
    expect(problems).toEqual([]);
    expect(definitions.assets[0]!.checks).toEqual([
      { name: "fresh", description: null, blocking: false },
      { name: "not_empty", description: "rows", blocking: true },
    ]);
    expect(
      problemsOf({
        assets: {
          a: { function: "f", checks: "fresh" },
          b: { function: "f", checks: ["ok", "ok", { name: "has space" }, { name: "x", blocking: "yes", severity: "WARN" }, 3] },
        },
        functions: { f: fn() },
      }),
    ).toEqual([
      'asset "a": checks must be an array of check names or { name, description, blocking }, got string',
      'asset "b": check ok is declared twice',
      'asset "b": checks[2]: name must be letters, digits and underscores, got "has space"',
      'asset "b": checks[3]: unknown field "severity"',
      'asset "b": check x: blocking must be true or false',
      'asset "b": checks[4] must be a check name or { name, description, blocking }, got number',
    ]);
  });

  it("takes a function's architecture, x86_64 by default, and refuses another", () => {
    const { definitions } = validateDefinitions({ assets: { a: { function: "f" } }, functions: { f: fn({ architecture: "arm64" }), g: fn() } });
    expect(definitions.functions.get("f")!.architecture).toBe("arm64");
    expect(definitions.functions.get("g")!.architecture).toBe("x86_64");
    expect(problemsOf({ assets: { a: { function: "f" } }, functions: { f: fn({ architecture: "aarch64" }) } })).toEqual(['function "f": architecture "aarch64" must be "x86_64" or "arm64"']);
  });
});
