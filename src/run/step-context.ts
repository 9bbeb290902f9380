/** The pipes context of a step, as a run sends it and as `--plan` shows it. Pure. */
import { buildContext, type PipesContextData } from "../protocol/context.js";
import type { Step } from "./plan.js";

export function stepContext(step: Step, runId: string, extras: Record<string, unknown>): PipesContextData {
  const { asset } = step;
  return buildContext({
    runId,
    assetKeys: [asset.key],
    jobName: "__ASSET_JOB",
    partitionKey: step.partitionKey,
    partitionKeyRange: step.range,
    partitionTimeWindow: step.window,
    extras,
    ...(asset.codeVersion ? { codeVersions: { [asset.key]: asset.codeVersion } } : {}),
  });
}
