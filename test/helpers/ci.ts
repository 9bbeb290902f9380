/**
 * Whether the tests run on CI (`CI` set, as CI services and .ci/run set it). A test that needs a tool from outside
 * the repository (Chromium, the AWS CLI, boto3) is skipped on a developer's machine without it, but on CI, where
 * .ci/run installs it, a missing tool is a failure: a skip there would hide that the test never ran.
 */
export const onCi = Boolean(process.env.CI) && process.env.CI !== "false" && process.env.CI !== "0";

/** Throws on CI when `found` is false, naming what is missing and how to get it. */
export function requiredOnCi(found: boolean, what: string): void {
  if (!found && onCi) throw new Error(`${what}: CI runs this test, so it must be there (.ci/run installs it)`);
}
