/** Turns what the AWS SDK throws into a ServiceError (exit 3) that says what failed and what to do. */
import { ServiceError, UserError } from "../errors.js";

interface SdkError {
  name?: string;
  message?: string;
  code?: string;
  $metadata?: { httpStatusCode?: number };
}

const CREDENTIALS = new Set([
  "CredentialsProviderError",
  "UnrecognizedClientException",
  "InvalidSignatureException",
  "ExpiredTokenException",
  "ExpiredToken",
  "AccessDeniedException",
  "AccessDenied",
  "TokenRefreshRequired",
]);
const NETWORK = new Set(["ECONNREFUSED", "ENOTFOUND", "ECONNRESET", "ETIMEDOUT", "EHOSTUNREACH", "EAI_AGAIN", "TimeoutError"]);

/** `definedAs`: the function's name in the definitions file, when the profile maps it to another deployed name. */
export function serviceError(error: unknown, where: { functionName: string; target: string; definedAs?: string }): UserError {
  const e = (error ?? {}) as SdkError;
  const name = e.name ?? "Error";
  const message = e.message ?? String(error);
  if (name === "ResourceNotFoundException") {
    const mapped = where.definedAs && where.definedAs !== where.functionName ? ` (function "${where.definedAs}" of the definitions, as the profile's lambda.functionName maps it)` : "";
    return new ServiceError(
      `Lambda function "${where.functionName}"${mapped} was not found on ${where.target}: ${message}\n` +
        "Deploy it (pipes deploy-handler), or check the profile's lambda.functionName mapping and region.",
    );
  }
  if (CREDENTIALS.has(name)) {
    return new ServiceError(
      `The credentials for ${where.target} were refused or could not be loaded (${name}): ${message}\n` +
        "Check the profile's awsProfile / credentials (e.g. run `aws sso login`), and that it may invoke the function.",
    );
  }
  if (NETWORK.has(e.code ?? "") || NETWORK.has(name) || /ECONNREFUSED|ENOTFOUND|socket hang up/.test(message)) {
    return new ServiceError(`Cannot reach the Lambda endpoint of ${where.target} (${e.code ?? name}): ${message}`);
  }
  if (name === "TooManyRequestsException") {
    return new ServiceError(`Lambda throttled "${where.functionName}" on ${where.target} even after retries: ${message}`);
  }
  if (/Region is missing/i.test(message)) {
    return new UserError(`No AWS region for ${where.target}: set lambda.region in the profile, or AWS_REGION.`);
  }
  return new ServiceError(`Invoking "${where.functionName}" on ${where.target} failed: ${name}: ${message}`);
}
