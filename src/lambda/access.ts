/**
 * `--plan --check-access`: Lambda's DryRun invocation of each function, which runs nothing and says whether the
 * function exists and the caller may invoke it (lambda:InvokeFunction).
 */
import type { LambdaTarget } from "./target.js";
import { serviceError } from "./service-errors.js";
import { lambdaSdk } from "./sdk.js";

export interface Access {
  functionName: string;
  ok: boolean;
  /** What is wrong: the function is missing, the credentials may not invoke it, or the call failed. */
  problem: string | null;
}

export async function checkAccess(target: LambdaTarget, functionNames: string[]): Promise<Access[]> {
  const { InvokeCommand } = lambdaSdk();
  return Promise.all(
    functionNames.map(async (functionName): Promise<Access> => {
      try {
        await target.client.send(new InvokeCommand({ FunctionName: functionName, InvocationType: "DryRun" }));
        return { functionName, ok: true, problem: null };
      } catch (error) {
        const name = (error as { name?: string }).name ?? "Error";
        if (name === "ResourceNotFoundException") return { functionName, ok: false, problem: `does not exist on ${target.description}` };
        if (name === "AccessDeniedException" || name === "AccessDenied") {
          return { functionName, ok: false, problem: `these credentials may not invoke it (lambda:InvokeFunction): ${(error as Error).message}` };
        }
        return { functionName, ok: false, problem: serviceError(error, { functionName, target: target.description }).message };
      }
    }),
  );
}
