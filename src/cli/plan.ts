/** `materialize --plan [--check-access]`: the run's steps, their events and contexts; nothing is invoked. */
import { randomUUID } from "node:crypto";
import type { Asset, ResolvedDefinitions } from "../defs/normalized.js";
import { ExitCode } from "../errors.js";
import { DAGSTER_PIPES_CONTEXT, decodeParam } from "../protocol/params.js";
import type { PipesContextData } from "../protocol/context.js";
import { describeTarget, invokedName } from "../report/list.js";
import { type Plan, renderPlan } from "../report/plan.js";
import type { Output } from "../report/output.js";
import { planSteps, type PlanOptions } from "../run/plan.js";
import { stepLabel } from "../run/events.js";
import { stepContext } from "../run/step-context.js";
import { displayPath } from "../util/paths.js";
import { calendarToday } from "../util/clock.js";
import { runtimeNotices } from "../defs/runtime-notices.js";
import type { CliContext } from "./context.js";

export interface PlanRequest {
  defs: ResolvedDefinitions;
  assets: Asset[];
  partitions: PlanOptions["request"];
  singleRun: boolean;
  extras: Record<string, unknown>;
  only?: Set<string>;
  done?: Set<string>;
  checkAccess: boolean;
}

export async function showPlan(request: PlanRequest, ctx: CliContext, output: Output): Promise<number> {
  const { defs, assets } = request;
  const { pipesEvent } = await import("../lambda/invoke.js");
  const steps = planSteps(assets, { request: request.partitions, singleRun: request.singleRun, only: request.only, done: request.done, now: new Date(), file: defs.file });
  const extras = { ...defs.profile.extras, ...request.extras };
  // The run id a run would make is not known yet: the plan shows one of its own.
  const runId = randomUUID();
  const plan: Plan = {
    file: defs.file,
    profile: defs.profile.name,
    target: describeTarget(defs),
    assets: assets.map((a) => a.key),
    extras,
    steps: steps.map((step) => {
      const context = stepContext(step, runId, extras);
      // An asset with its own `run` invokes what its code calls: nothing to show ahead.
      const fn = step.asset.run ? null : step.asset.function;
      const event = fn ? pipesEvent(step.asset.event, context, defs.profile.messages) : null;
      return {
        asset: step.asset.key,
        partition: step.partition,
        functionName: fn ? invokedName(defs, fn) : null,
        after: step.deps.map((d) => stepLabel(steps[d]!.asset.key, steps[d]!.partition)),
        event,
        // What the function will read: the param decoded back, not the object it was made from.
        context: event ? ((decodeParam(event[DAGSTER_PIPES_CONTEXT] as string) as { data: PipesContextData }).data) : context,
      };
    }),
    access: null,
    warnings: runtimeNotices(defs, assets, calendarToday(ctx.env)),
  };
  if (request.checkAccess) {
    const names = [...new Set(plan.steps.flatMap((s) => (s.functionName ? [s.functionName] : [])))];
    const [{ openTarget }, { checkAccess }] = await Promise.all([import("../target/index.js"), import("../lambda/access.js")]);
    const target = await openTarget(defs, { hostEnv: ctx.env, uses: [] });
    try {
      plan.access = await checkAccess(target, names);
    } finally {
      await target.close();
    }
  }
  ctx.stdout.write(renderPlan(plan, output, displayPath(defs.file, ctx.cwd)));
  return plan.access?.some((a) => !a.ok) ? ExitCode.service : ExitCode.ok;
}
