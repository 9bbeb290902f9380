import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { copyFixture, runPipes } from "../helpers/run-pipes.js";
import { tempDir } from "../helpers/temp.js";

describe("the first run's note on .pipes/", () => {
  it("says .pipes/ can be git-ignored only when git does not ignore it already", async () => {
    const noted = tempDir("pipes-note-");
    copyFixture("noop", noted);
    const first = await runPipes(["materialize", "--all"], { cwd: noted, env: { PIPES_HISTORY: "1" } });
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toMatch(/runs are recorded in \.pipes\/runs.*\.pipes\/ can be git-ignored/);

    const ignored = tempDir("pipes-note-");
    copyFixture("noop", ignored);
    execFileSync("git", ["init", "-q"], { cwd: ignored });
    writeFileSync(join(ignored, ".gitignore"), "node_modules/\n.pipes/\n");
    const quiet = await runPipes(["materialize", "--all"], { cwd: ignored, env: { PIPES_HISTORY: "1" } });
    expect(quiet.code, quiet.stderr).toBe(0);
    expect(quiet.stderr).toMatch(/runs are recorded in \.pipes\/runs/);
    expect(quiet.stderr).not.toMatch(/git-ignored/);

    // Not a repository yet, but its .gitignore lists .pipes/ (pipes init writes it): nothing to suggest either.
    // Before: git could not answer outside a repository, and the note said .pipes/ can be git-ignored.
    const listed = tempDir("pipes-note-");
    copyFixture("noop", listed);
    writeFileSync(join(listed, ".gitignore"), "# pipes' run history\n.pipes/\n");
    const ready = await runPipes(["materialize", "--all"], { cwd: listed, env: { PIPES_HISTORY: "1" } });
    expect(ready.code, ready.stderr).toBe(0);
    expect(ready.stderr).toMatch(/runs are recorded in \.pipes\/runs/);
    expect(ready.stderr).not.toMatch(/git-ignored/);
  });
});
