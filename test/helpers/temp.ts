import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** The temp folders this test file made, removed after it (test/setup.ts): a test run leaves nothing in the temp dir. */
const made: string[] = [];

/** A fresh folder in the temp dir, removed once the test file is done. */
export function tempDir(prefix = "pipes-test-"): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
}
