// Module hooks (they run on the loader's thread): every ES module loaded is appended to PIPES_TEST_MODULE_LOG.
import { appendFileSync } from "node:fs";

export async function load(url, context, next) {
  appendFileSync(process.env.PIPES_TEST_MODULE_LOG, `${url}\n`);
  return next(url, context);
}
