/** How a worker process is started: the runtime's bootstrap, and the clean environment of a Lambda sandbox. */
import { layerEnvironment } from "./layers.js";
import { fileURLToPath } from "node:url";
import { logGroupName, REGION, type RegisteredFunction } from "./registry.js";
import { isPythonRuntime } from "../facts/lambda.js";
import type { DebuggerPorts } from "./debugger.js";
import type { NodeResolver } from "./node.js";
import type { PythonResolver } from "./python.js";
import type { DependencyLayout, FunctionDependencies } from "./dependencies.js";
import type { TaskRoots } from "./task-root.js";

const RUNTIMES_DIR = fileURLToPath(new URL("../../src/emulator/runtimes/", import.meta.url));

/**
 * The command that runs a function's bootstrap on `interpreter` (the runtime's Python or Node.js binary); `fence`
 * marks the end of each invocation's output, and a Node worker gets the function's own folder last, for the hints
 * of a failed import. A Python worker gets its built requirements (dependencies.ts), or why they could not be
 * built, to fail its init with.
 */
export function bootstrapCommand(fn: RegisteredFunction, fence: string, interpreter: string, dependencies: DependencyLayout | null = null): { command: string; args: string[] } {
  if (isPythonRuntime(fn.runtime)) {
    const layout = !dependencies ? [] : "dir" in dependencies ? ["--dependencies", dependencies.dir] : "error" in dependencies ? ["--init-error", dependencies.error] : [];
    return { command: interpreter, args: ["-u", `${RUNTIMES_DIR}python_bootstrap.py`, fence, ...layout] };
  }
  // --preserve-symlinks: imports resolve from the task root's links (see task-root.ts), not from the project.
  // A bundle (builds.ts) has a source map: its stacks name the user's .ts files and lines.
  const built = dependencies !== null && "codeRoot" in dependencies;
  const initError = dependencies !== null && "error" in dependencies ? ["--init-error", JSON.stringify(dependencies)] : [];
  return {
    command: interpreter,
    args: [`--max-old-space-size=${fn.memoryMb}`, "--preserve-symlinks", ...(built ? ["--enable-source-maps"] : []), `${RUNTIMES_DIR}node-bootstrap.mjs`, fence, fn.codeRoot, ...initError],
  };
}

/**
 * The sandbox's variables: the function's own and Lambda's, nothing from the embedding process. PATH starts with
 * the folder of the runtime's Node.js (Lambda's /var/lang/bin), so a handler that runs `node` gets the same one.
 */
export function sandboxEnvironment(fn: RegisteredFunction, runtimeApi: string, logStream: string, taskRoot: string, nodeBinDir: string): Record<string, string> {
  const env: Record<string, string> = {
    ...fn.environment,
    PATH: `${nodeBinDir}:/usr/local/bin:/usr/bin:/bin`,
    LANG: "en_US.UTF-8",
    TZ: ":UTC",
    _HANDLER: fn.handler,
    LAMBDA_TASK_ROOT: taskRoot,
    LAMBDA_RUNTIME_DIR: RUNTIMES_DIR,
    AWS_REGION: REGION,
    AWS_DEFAULT_REGION: REGION,
    AWS_EXECUTION_ENV: `AWS_Lambda_${fn.runtime}`,
    AWS_LAMBDA_FUNCTION_NAME: fn.name,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memoryMb),
    AWS_LAMBDA_FUNCTION_VERSION: fn.version ?? "$LATEST",
    AWS_LAMBDA_INITIALIZATION_TYPE: "on-demand",
    AWS_LAMBDA_LOG_GROUP_NAME: fn.logging?.logGroup ?? logGroupName(fn.name),
    AWS_LAMBDA_LOG_STREAM_NAME: logStream,
    AWS_LAMBDA_RUNTIME_API: runtimeApi,
    // With the JSON format the runtimes format and filter their own logging by these (LAMBDA_API.md, LoggingConfig).
    ...(fn.logging?.format === "JSON" ? { AWS_LAMBDA_LOG_FORMAT: "JSON", AWS_LAMBDA_LOG_LEVEL: fn.logging.applicationLevel ?? "INFO" } : {}),
  };
  return { ...env, ...layerEnvironment(fn.layers, fn.runtime, env) };
}

/** What every worker of an emulator shares. */
export interface SandboxSupport {
  /** Where Node.js workers run their function from. */
  taskRoots: TaskRoots;
  /** Which interpreter runs Python functions. */
  python: PythonResolver;
  /** Which Node.js runs Node.js functions: their runtime's major. */
  node: NodeResolver;
  /** The built requirements.txt of definitions-file Python functions. */
  dependencies: FunctionDependencies;
  /** Something the user should know (e.g. a Python version other than the runtime's), said once. */
  warn(message: string): void;
  note(message: string): void;
  /** `pipes dev --inspect`: each worker gets a debugger port; null when not debugging. */
  inspect: DebuggerPorts | null;
}
