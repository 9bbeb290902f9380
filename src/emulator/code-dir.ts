/**
 * The folder where an emulator unpacks uploaded code: one per emulator, in the temp dir, removed on close. A
 * killed run cannot remove its own, so each folder names its owner (`owner.pid`) and a start removes the
 * folders whose owner is gone.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const PREFIX = "pipes-emulator-";
const OWNER = "owner.pid";
/** A folder without an owner file (an older pipes) is left alone for a day, in case it is still in use. */
const UNOWNED_GRACE_MS = 24 * 60 * 60 * 1000;

export function createCodeDir(): string {
  removeAbandoned();
  const dir = mkdtempSync(join(tmpdir(), PREFIX));
  writeFileSync(join(dir, OWNER), String(process.pid));
  return dir;
}

function removeAbandoned(): void {
  let names: string[];
  try {
    names = readdirSync(tmpdir()).filter((n) => n.startsWith(PREFIX));
  } catch {
    return;
  }
  for (const name of names) {
    const dir = join(tmpdir(), name);
    try {
      const owner = Number(readOwner(dir));
      const abandoned = Number.isInteger(owner) && owner > 0 ? !alive(owner) : Date.now() - statSync(dir).mtimeMs > UNOWNED_GRACE_MS;
      if (abandoned) rmSync(dir, { recursive: true, force: true });
    } catch {
      // Another user's folder, or one removed meanwhile: not ours to clean.
    }
  }
}

function readOwner(dir: string): string | null {
  try {
    return readFileSync(join(dir, OWNER), "utf8").trim();
  } catch {
    return null;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, owned by someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
