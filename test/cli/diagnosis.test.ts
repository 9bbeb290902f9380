import { writeFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runPipes } from "../helpers/run-pipes.js";
import { tempDir } from "../helpers/temp.js";

function write(dir: string, files: Record<string, string>) {
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, ".."), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
}

describe("a failed invocation is diagnosed in words: the cause and the setting or code to change", () => {
  it("timeout, out of memory, response too large, handler not found (with the exports), syntax error (file:line:column)", async () => {
    const dir = tempDir("pipes-diagnosis-");
    write(dir, {
      "nf/app.mjs": "export const handle = async () => 1;\nexport const other = 2;\n",
      "tmo/app.mjs": 'export const handler = async () => { console.log("waiting on the API"); await new Promise((r) => setTimeout(r, 10_000)); };\n',
      "oom/app.mjs": "export const handler = async () => { const a = []; for (;;) a.push(Buffer.alloc(1 << 20, 1)); };\n",
      "syn/app.mjs": "export const handler = async () => {\n  const x = ;\n};\n",
      "big/app.mjs": 'export const handler = async () => "x".repeat(7 * 1024 * 1024);\n',
      "defs.ts": `export default {
  assets: { notfound: { function: "nf" }, timeout: { function: "tmo" }, oom: { function: "oom" }, syntax: { function: "syn" }, big: { function: "big" } },
  functions: {
    nf: { handler: "./nf/app.handler", timeout: 60 }, tmo: { handler: "./tmo/app.handler", timeout: 1 },
    oom: { handler: "./oom/app.handler", memory: 128, timeout: 60 }, syn: { handler: "./syn/app.handler", timeout: 60 }, big: { handler: "./big/app.handler", timeout: 60 },
  },
  profiles: { local: { lambda: { emulator: true } } },
};
`,
    });
    const r = await runPipes(["materialize", "--all", "--json"], { cwd: dir, env: { PIPES_HISTORY: "0" } });
    expect(r.code, r.stderr).toBe(1);
    const notes = Object.fromEntries(
      r.stdout
        .split("\n")
        .filter(Boolean)
        .map((l) => JSON.parse(l) as { type: string; asset: string; message?: string })
        .filter((e) => e.type === "note" && e.asset)
        .map((e) => [e.asset, e.message]),
    );
    // (Timeouts are generous but for tmo's: a loaded machine starts workers slowly.)
    expect(notes.timeout, r.stdout).toMatch(/function "tmo" ran for its whole timeout \(1 s\).*raise timeout of function "tmo" in defs\.ts \(Lambda allows up to 900 s\)/);
    expect(notes.oom, r.stdout).toMatch(/function "oom" used \d+ MB of its 128 MB and was stopped\. Raise memory of function "oom" in defs\.ts/);
    expect(notes.big, r.stdout).toMatch(/function "big" returned more than the 6 MB Lambda returns.*write large results to storage/);
    expect(notes.notfound, r.stdout).toMatch(/handler "\.\/nf\/app\.handler" names the export "handler", which its file does not have; its file exports "handle", "other"/);
    expect(notes.syntax, r.stdout).toMatch(/^syn\/app\.mjs:2:13: Unexpected ";"\n {4} {2}const x = ;\n {4} {12}\^$/);
  });
});
