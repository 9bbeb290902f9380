// A real headless Chromium (Debian's chromium, which .ci/run installs when it is missing) driven by
// playwright-core. Where there is none, the browser tests are skipped, except on CI, where that is a failure.
import { existsSync } from "node:fs";
import { type Browser, chromium } from "playwright-core";
import { requiredOnCi } from "../helpers/ci.js";

const CANDIDATES = [process.env.PIPES_CHROMIUM, "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];
export const chromiumPath = CANDIDATES.find((path): path is string => Boolean(path) && existsSync(path!));
requiredOnCi(chromiumPath !== undefined, "no Chromium found (set PIPES_CHROMIUM, or apt-get install chromium)");

export function launch(): Promise<Browser> {
  // --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start.
  return chromium.launch({ executablePath: chromiumPath!, args: ["--no-sandbox", "--disable-dev-shm-usage"] });
}
