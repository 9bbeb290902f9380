/**
 * The Lambda Runtime API (`/2018-06-01/runtime/...`) that worker bootstraps call. Each worker's
 * AWS_LAMBDA_RUNTIME_API carries its id as a path prefix (`127.0.0.1:PORT/w/<id>`), so one server serves all.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { readBody, sendJson } from "./http.js";
import type { Pools } from "./pool.js";
import { MAX_RESPONSE_BYTES } from "../lambda/facts.js";


const ROUTE = /^\/w\/([^/]+)\/2018-06-01\/runtime\/(?:invocation\/(next|[^/]+\/(?:response|error))|init\/error)$/;

export async function handleRuntimeApi(req: IncomingMessage, res: ServerResponse, path: string, pools: Pools): Promise<boolean> {
  const match = ROUTE.exec(path);
  if (!match) return false;
  const worker = pools.worker(match[1]!);
  if (!worker) {
    // A worker that was stopped (timeout, update) may still call in: tell it to go away.
    sendJson(res, 410, { errorMessage: "worker was stopped", errorType: "Runtime.Stopped" });
    return true;
  }
  const action = match[2];
  if (action === "next" && req.method === "GET") {
    worker.next(res);
    return true;
  }
  const body = await readBody(req, MAX_RESPONSE_BYTES);
  const errorType = req.headers["lambda-runtime-function-error-type"] as string | undefined;
  const maxRssKb = Number(req.headers["x-pipes-max-rss-kb"]);
  if (maxRssKb > 0) worker.reportPeakMemory(maxRssKb / 1024);
  const requestId = action?.split("/")[0] ?? "";
  const errorBody = body === "too-large" ? Buffer.from('{"errorType":"Runtime.Unknown","errorMessage":"error too large"}') : body;
  let accepted = true;
  if (action === undefined) worker.initFailed(errorBody, errorType);
  else if (action.endsWith("/response")) accepted = worker.response(requestId, body);
  else accepted = worker.error(requestId, errorBody, errorType);
  if (accepted) sendJson(res, 202, { status: "OK" });
  else sendJson(res, 400, { errorMessage: "Invalid request ID", errorType: "InvalidRequestID" });
  return true;
}
