/**
 * A `closed` message's exception as an error event's type and message. Python's libraries (pipes_lambda.py, and
 * Dagster's dagster_pipes) write its message as `traceback.format_exception_only` does, which names a class from
 * outside the builtins with its module (`pipes_lambda.PipesError: this is not a partitioned run`), and
 * dagster_pipes names it so on Python 3.13+ too; Lambda's report of the same error, rethrown, says `PipesError` and
 * the text alone. Said one way, the headline reads once and the rethrow is seen to be the same error. Pure.
 */
export function closedException(exception: { name: string | null; message: string }): { errorType: string; message: string } {
  const errorType = exception.name?.split(".").at(-1) || "Exception";
  const message = exception.message.trimEnd();
  const escaped = errorType.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return { errorType, message: message.replace(new RegExp(`^(?:[A-Za-z_]\\w*\\.)+(?=${escaped}(?::|$))`), "") };
}
