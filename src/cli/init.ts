/**
 * `pipes init [dir]`: a project to start from: a `defs.ts` with two assets (a Node.js function and a Python one
 * that depends on it, each reporting a materialization and a check), the handler libraries vendored beside them,
 * and `.pipes/` in `.gitignore`. `--ts`: the Node.js function in TypeScript, with the library's types and a
 * tsconfig.json that checks them. Never replaces a file without `--force`.
 */
import type { Command } from "commander";
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { UserError } from "../errors.js";
import { listsPipesFolder } from "../util/git-ignored.js";
import { displayPath } from "../util/paths.js";
import { outputFor, type CliContext } from "./context.js";
import { PACKAGE_ROOT, packageVersion } from "./version.js";

const DEFS = `// The pipeline: assets, the Lambda function behind each, and where they run (profiles).
// \`npx pipes list\` shows it; \`npx pipes materialize --all\` runs it on the local emulator.
import { defineDefinitions } from "lambda-pipes";

export default defineDefinitions({
  assets: {
    users: {
      function: "load_users",
      description: "Load the users",
      checks: [{ name: "not_empty", blocking: true, description: "at least one user" }],
    },
    user_report: {
      deps: ["users"],
      function: "report",
      description: "Count the users, in Python",
    },
  },
  functions: {
    load_users: { handler: "./handlers/users.handler", runtime: "nodejs24.x" },
    report: { handler: "./report/report.handler", runtime: "python3.13" },
  },
  profiles: {
    local: { description: "the local emulator", lambda: { emulator: true } },
    // prod: { lambda: { region: "eu-west-1", awsProfile: "prod" } },
  },
});
`;

const NODE_HANDLER = `// Reads the pipes context from its event and reports back through Dagster Pipes (./pipes-lambda.cjs).
import { withPipes } from "./pipes-lambda.cjs";

export const handler = withPipes(async (event, pipes) => {
  const users = [{ id: 1, name: "Ada" }, { id: 2, name: "Grace" }];
  pipes.log.info(\`loaded \${users.length} users\`);
  pipes.reportAssetMaterialization({ metadata: { user_count: users.length } });
  pipes.reportAssetCheck({ checkName: "not_empty", passed: users.length > 0 });
  return { users: users.length };
});
`;

const TS_HANDLER = `// Reads the pipes context from its event and reports back through Dagster Pipes (./pipes-lambda.cjs, typed by
// ./pipes-lambda.d.cts). pipes bundles it with esbuild to run it; \`npx tsc -p handlers\` checks its types.
import { withPipes } from "./pipes-lambda.cjs";

interface User {
  id: number;
  name: string;
}

export const handler = withPipes(async (_event: Record<string, unknown>, pipes) => {
  const users: User[] = [{ id: 1, name: "Ada" }, { id: 2, name: "Grace" }];
  pipes.log.info(\`loaded \${users.length} users\`);
  pipes.reportAssetMaterialization({ metadata: { user_count: users.length } });
  pipes.reportAssetCheck({ checkName: "not_empty", passed: users.length > 0 });
  return { users: users.length };
});
`;

/** Type-checks the TypeScript handlers (esbuild, which runs them, strips types without checking them). */
const TS_CONFIG = `${JSON.stringify(
  {
    compilerOptions: { strict: true, noEmit: true, module: "nodenext", moduleResolution: "nodenext", target: "es2022", types: [] },
    include: ["*.ts"],
  },
  null,
  2,
)}
`;

const PYTHON_HANDLER = `"""Reports back through Dagster Pipes with pipes_lambda.py (dagster_pipes works the same way)."""
from pipes_lambda import with_pipes


@with_pipes
def handler(event, pipes, context):
    pipes.log.info(f"writing the report for run {pipes.run_id}")
    pipes.report_asset_materialization(metadata={"pages": 1})
    return {"pages": 1}
`;

export function registerInit(program: Command, ctx: CliContext): void {
  program
    .command("init")
    .description("start a project: a defs.ts, a Node.js and a Python function with the handler libraries, .pipes/ git-ignored")
    .argument("[dir]", "the project folder", ".")
    .option("--force", "replace files of the same names")
    .option("--ts", "write the Node.js function in TypeScript, with its types and a tsconfig.json that checks them")
    .action(async (dirArg: string, options: { force?: boolean; ts?: boolean }) => {
      const { vendoredText, vendoredTypes } = await import("../deploy/vendor.js");
      const dir = resolve(ctx.cwd, dirArg);
      const version = packageVersion();
      const files: Record<string, string> = {
        "defs.ts": DEFS,
        ...(options.ts
          ? { "handlers/users.ts": TS_HANDLER, "handlers/pipes-lambda.d.cts": vendoredTypes(version), "handlers/tsconfig.json": TS_CONFIG }
          : { "handlers/users.mjs": NODE_HANDLER }),
        "handlers/pipes-lambda.cjs": vendoredText("node", version),
        // A folder of its own: a function's zip is its folder, and the Python one must not ship the Node.js files.
        "report/report.py": PYTHON_HANDLER,
        "report/pipes_lambda.py": vendoredText("python", version),
      };
      const taken = Object.keys(files).filter((f) => existsSync(join(dir, f)));
      if (taken.length && !options.force) {
        throw new UserError(`${taken.map((f) => displayPath(join(dir, f), ctx.cwd)).join(", ")} already exist${taken.length === 1 ? "s" : ""}: pick another folder, or pass --force to replace ${taken.length === 1 ? "it" : "them"}.`);
      }
      const c = outputFor(ctx, {}).color;
      for (const [name, text] of Object.entries(files)) {
        const path = join(dir, name);
        mkdirSync(dirname(path), { recursive: true });
        writeFileSync(path, text);
        ctx.stdout.write(`${c.green("✔")} wrote ${displayPath(path, ctx.cwd)}\n`);
      }
      const gitignore = join(dir, ".gitignore");
      const ignored = existsSync(gitignore) ? readFileSync(gitignore, "utf8") : "";
      if (!listsPipesFolder(ignored)) {
        appendFileSync(gitignore, `${ignored && !ignored.endsWith("\n") ? "\n" : ""}# pipes' run history\n.pipes/\n`);
        ctx.stdout.write(`${c.green("✔")} added .pipes/ to ${displayPath(gitignore, ctx.cwd)}\n`);
      }
      const cd = dir === ctx.cwd ? "" : `cd ${displayPath(dir, ctx.cwd)} && `;
      // `npx pipes` in a folder where lambda-pipes is not installed asks npm for its unrelated package `pipes`: say
      // how to run this one there instead (the same pipes, by its path), and how to install it.
      const run = installedIn(dir) ? "npx pipes" : `node ${displayPath(resolve(PACKAGE_ROOT, "bin/pipes.js"), dir)}`;
      ctx.stdout.write(`\nNext: ${c.bold(`${cd}${run} materialize --all`)} (on the local emulator; Python functions need python3)\n`);
      if (!installedIn(dir)) {
        ctx.stdout.write(`lambda-pipes is not installed there: ${c.bold(`npm i -D ${displayPath(PACKAGE_ROOT, dir)}`)} (or a tarball of it, see its README) makes it ${c.bold("npx pipes")}\n`);
      }
      if (options.ts) ctx.stdout.write(`Types: ${c.bold("npx tsc -p handlers")} (npm install --save-dev typescript): pipes runs TypeScript without checking it\n`);
    });
}

/** Whether `lambda-pipes` resolves from `dir`, as `npx pipes` there would find it. */
function installedIn(dir: string): boolean {
  try {
    createRequire(join(dir, "package.json")).resolve("lambda-pipes/package.json");
    return true;
  } catch {
    return false;
  }
}
