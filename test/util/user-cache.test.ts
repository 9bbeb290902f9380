import { homedir } from "node:os";
import { describe, expect, it } from "vitest";
import { pipFailure } from "../../src/deploy/python-deps.js";
import { userCacheDir } from "../../src/util/user-cache.js";

describe("userCacheDir", () => {
  it("is $XDG_CACHE_HOME/pipes, else ~/.cache/pipes; a relative XDG_CACHE_HOME is ignored, as the XDG spec asks", () => {
    expect(userCacheDir({ XDG_CACHE_HOME: "/var/cache/me", HOME: "/home/me" })).toBe("/var/cache/me/pipes");
    expect(userCacheDir({ HOME: "/home/me" })).toBe("/home/me/.cache/pipes");
    expect(userCacheDir({ XDG_CACHE_HOME: "cache", HOME: "/home/me" })).toBe("/home/me/.cache/pipes");
    expect(userCacheDir({})).toBe(`${homedir()}/.cache/pipes`);
  });
});

describe("pipFailure: what a user is told when pip fails", () => {
  const build = { file: "/p/fn/requirements.txt", shownAs: "fn/requirements.txt", runtime: "python3.13", architecture: "arm64" as const, python: "/usr/bin/python3" };

  it("an interpreter without pip: how to get one", () => {
    expect(pipFailure(build, "/usr/bin/python3: No module named pip\n")).toBe(
      "/usr/bin/python3 has no pip, so fn/requirements.txt cannot be built: install pip for it (/usr/bin/python3 -m ensurepip), or set PIPES_PYTHON to an interpreter that has it.",
    );
  });

  it("a pinned version that is not there: the versions pip found, not 'no wheel'", () => {
    const output =
      "ERROR: Could not find a version that satisfies the requirement six==1.16.0 (from versions: 1.17.0)\nERROR: No matching distribution found for six==1.16.0\n";
    const said = pipFailure(build, output);
    // Before: "no wheel of six for Lambda's python3.13 …: Pin a version of six that publishes a … wheel".
    expect(said).toMatch(/^fn\/requirements\.txt: six==1\.16\.0 is not among the versions of six pip's index has for Lambda's python3\.13 on arm64 \(manylinux2014_aarch64\): 1\.17\.0\. Require one of those/);
    expect(said).not.toContain("no wheel of");
    expect(said).toContain("  ERROR: No matching distribution found for six==1.16.0");
  });

  it("no version at all: the name and the index to check first, then the wheel", () => {
    const output =
      "ERROR: Could not find a version that satisfies the requirement charset_normalizer (from versions: none)\nERROR: No matching distribution found for charset_normalizer\n";
    const said = pipFailure(build, output);
    expect(said).toMatch(/^fn\/requirements\.txt: pip found no version of charset_normalizer that installs on Lambda's python3\.13 on arm64/);
    expect(said).toContain("or pip's index does not have it (check the name, and that the index is reachable from here");
  });

  it("any other failure: pip's ERROR lines, with the platform it built for", () => {
    const output = "Looking in indexes: https://example.invalid/simple\nWARNING: Retrying...\nERROR: Could not install packages due to an OSError: proxy refused\n";
    expect(pipFailure(build, output)).toBe(
      "pip could not install fn/requirements.txt for Lambda's python3.13 on arm64 (manylinux2014_aarch64):\n  ERROR: Could not install packages due to an OSError: proxy refused",
    );
  });
});
