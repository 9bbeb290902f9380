/**
 * Which configuration a Lambda API call on `name[:qualifier]` acts on, and the ARN the caller used (a sandbox sees
 * it as `invokedFunctionArn`). Management calls that change code or configuration act on `$LATEST` only.
 */
import type { EmulatorCore } from "./core.js";
import { functionArn, functionConfiguration, LATEST, type RegisteredFunction } from "./registry.js";
import type { QualifierError } from "./versions.js";

export interface QualifiedTarget {
  fn: RegisteredFunction;
  /** The ARN the call named: qualified when it was (`...:function:name:live`), as Lambda passes it to the handler. */
  invokedArn: string;
  /** FunctionConfiguration as GetFunction(Configuration) answers for this qualifier. */
  configuration: Record<string, unknown>;
}

export function qualifiedTarget(
  core: EmulatorCore,
  latest: RegisteredFunction,
  qualifier: string | undefined,
  inName: string | undefined,
  route: string,
): QualifiedTarget | QualifierError {
  if (inName !== undefined && qualifier !== inName) {
    return { status: 400, errorType: "InvalidParameterValueException", message: "The derived qualifier from the function name does not match the specified qualifier." };
  }
  if (qualifier !== undefined && qualifier !== LATEST && route.startsWith("PUT ")) {
    return { status: 400, errorType: "InvalidParameterValueException", message: `Only $LATEST can be updated; ${qualifier} is a published version or an alias (publish again, or UpdateAlias)` };
  }
  const resolved = core.versions.resolve(latest, qualifier);
  if ("status" in resolved) return resolved;
  const invokedArn = qualifier === undefined ? functionArn(latest.name) : `${functionArn(latest.name)}:${qualifier}`;
  return { fn: resolved.fn, invokedArn, configuration: { ...functionConfiguration(resolved.fn), FunctionArn: invokedArn } };
}
