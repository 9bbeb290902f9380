import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, runPipes } from "../helpers/run-pipes.js";
import { tempDir } from "../helpers/temp.js";

describe("pipes init", () => {
  it("writes a project that materializes at once, git-ignores .pipes/ once, and never replaces a file without --force", async () => {
    const dir = tempDir("pipes-init-");
    writeFileSync(join(dir, ".gitignore"), "node_modules/");
    const init = await runPipes(["init"], { cwd: dir });
    expect(init.code, init.stderr).toBe(0);
    expect(init.stdout).toMatch(/wrote defs\.ts\n.*wrote handlers\/users\.mjs\n.*wrote handlers\/pipes-lambda\.cjs/);
    // lambda-pipes is not installed in that folder: `npx pipes` there would fetch npm's unrelated `pipes`, so the
    // hint runs this one by its path, and says how to install it (before: "npx pipes materialize --all").
    expect(init.stdout).toContain(`Next: node ${join(ROOT, "bin/pipes.js")} materialize --all`);
    expect(init.stdout).toContain(`lambda-pipes is not installed there: npm i -D ${ROOT.replace(/\/$/, "")}`);

    // Today's newest runtimes, not a deprecated one (nodejs20.x was the scaffold's until AWS deprecated it).
    expect(readFileSync(join(dir, "defs.ts"), "utf8")).toMatch(/runtime: "nodejs24\.x"[\s\S]*runtime: "python3\.13"/);
    const run = await runPipes(["materialize", "--all"], { cwd: dir });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout + run.stderr).not.toContain("deprecated");
    expect(run.stdout).toMatch(/✔ 2 materialized · checks 1 passed/);
    expect(run.stdout).toMatch(/INFO +writing the report for run/); // the Python function, with the vendored library

    const again = await runPipes(["init"], { cwd: dir });
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/defs\.ts, .* already exist: pick another folder, or pass --force/);
    writeFileSync(join(dir, "defs.ts"), "// mine\n");
    expect(readFileSync(join(dir, "defs.ts"), "utf8")).toBe("// mine\n");
    const forced = await runPipes(["init", "--force"], { cwd: dir });
    expect(forced.code).toBe(0);
    expect(readFileSync(join(dir, "defs.ts"), "utf8")).toMatch(/defineDefinitions/);
    expect(readFileSync(join(dir, ".gitignore"), "utf8")).toBe("node_modules/\n# pipes' run history\n.pipes/\n");
  });

  it("where lambda-pipes is installed, says npx pipes", async () => {
    const dir = tempDir("pipes-init-");
    mkdirSync(join(dir, "node_modules"));
    symlinkSync(ROOT, join(dir, "node_modules", "lambda-pipes"));
    const init = await runPipes(["init"], { cwd: dir });
    expect(init.code, init.stderr).toBe(0);
    expect(init.stdout).toMatch(/Next: npx pipes materialize --all/);
    expect(init.stdout).not.toContain("is not installed");
  });
});

describe("pipes init --ts", () => {
  it("writes the Node.js function in TypeScript: it materializes, and its tsconfig.json type-checks it", async () => {
    const dir = tempDir("pipes-init-ts-");
    const init = await runPipes(["init", "--ts"], { cwd: dir });
    expect(init.code, init.stderr).toBe(0);
    expect(init.stdout).toMatch(/wrote handlers\/users\.ts\n.*wrote handlers\/pipes-lambda\.d\.cts\n.*wrote handlers\/tsconfig\.json/);
    expect(init.stdout).toContain("Types: npx tsc -p handlers");
    const run = await runPipes(["materialize", "users"], { cwd: dir });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toMatch(/INFO +loaded 2 users/);
    const tsc = join(ROOT, "node_modules/typescript/bin/tsc");
    const checked = spawnSync(process.execPath, [tsc, "-p", "handlers"], { cwd: dir, encoding: "utf8" });
    expect(checked.status, checked.stdout).toBe(0);
    // A type error is tsc's to find (the run does not check types).
    const file = join(dir, "handlers/users.ts");
    writeFileSync(file, readFileSync(file, "utf8").replace("passed: users.length > 0", 'passed: "yes"'));
    const broken = spawnSync(process.execPath, [tsc, "-p", "handlers"], { cwd: dir, encoding: "utf8" });
    expect(broken.status).not.toBe(0);
    expect(broken.stdout).toContain("users.ts");
  });

  it("each function ships only its own files: the Python zip holds no TypeScript", async () => {
    const dir = tempDir("pipes-init-ts-");
    expect((await runPipes(["init", "--ts"], { cwd: dir })).code).toBe(0);
    const zipped = await runPipes(["deploy-handler", "--function", "report", "--dry-run", "--json"], { cwd: dir });
    expect(zipped.code, zipped.stderr).toBe(0);
    const entries = (JSON.parse(zipped.stdout) as { zip: { entries: string[] } }).zip.entries;
    // Before: both functions shared handlers/, and report's zip held users.ts, tsconfig.json and pipes-lambda.cjs.
    expect(entries.sort()).toEqual(["pipes_lambda.py", "report.py"]);
  });
});
