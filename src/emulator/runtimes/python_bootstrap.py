"""The Python runtime of the pipes emulator.

Runs inside a worker process: loads the user's handler and serves invocations through the Lambda Runtime API,
as Lambda's Python runtime interface client does. Standard library only.
"""
import http.client
import importlib
import json
import logging
import os
import resource
import sys
import threading
import time
import traceback

FENCE = sys.argv[1] if len(sys.argv) > 1 else ""
_api = os.environ.get("AWS_LAMBDA_RUNTIME_API", "")
_host_port, _, _prefix = _api.partition("/")
_host, _, _port = _host_port.partition(":")
_prefix = "/" + _prefix if _prefix else ""
_connection = http.client.HTTPConnection(_host, int(_port or 80))
_request_id = None
# The worker's peak resident memory in KB, for REPORT's Max Memory Used, saves the emulator reading /proc.
MAX_RSS_HEADER = "X-Pipes-Max-Rss-Kb"


def _max_rss():
    return str(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


def _call(method, path, body=None, headers=None):
    try:
        _connection.request(method, f"{_prefix}/2018-06-01/runtime{path}", body=body, headers=headers or {})
        response = _connection.getresponse()
        return response.status, response.headers, response.read()
    except (OSError, http.client.HTTPException):
        _service_gone()


def _service_gone():
    """The emulator is gone (closed, or the CLI was killed): a sandbox without its service exits."""
    os._exit(0)


def _watch_stdin():
    # When the process that runs the emulator dies, stdin closes: leave no orphan behind, even mid-handler.
    try:
        while sys.stdin.buffer.read(65536):
            pass
    except Exception:
        pass
    os._exit(0)


class _RequestIdFilter(logging.Filter):
    def filter(self, record):
        record.aws_request_id = _request_id or ""
        return True


def _install_logging():
    """The root handler Lambda installs: `[LEVEL]\\t<time>Z\\t<request id>\\t<message>`."""
    handler = logging.StreamHandler(sys.stdout)
    formatter = logging.Formatter(
        "[%(levelname)s]\t%(asctime)s.%(msecs)03dZ\t%(aws_request_id)s\t%(message)s\n", "%Y-%m-%dT%H:%M:%S"
    )
    formatter.converter = time.gmtime
    handler.setFormatter(formatter)
    handler.addFilter(_RequestIdFilter())
    root = logging.getLogger()
    root.handlers = [handler]


class _ClientContext:
    def __init__(self, data):
        self.client = data.get("client")
        self.custom = data.get("custom")
        self.env = data.get("env")


class _CognitoIdentity:
    cognito_identity_id = None
    cognito_identity_pool_id = None


class LambdaContext:
    def __init__(self, headers):
        self.aws_request_id = headers.get("Lambda-Runtime-Aws-Request-Id")
        self.function_name = os.environ.get("AWS_LAMBDA_FUNCTION_NAME")
        self.function_version = os.environ.get("AWS_LAMBDA_FUNCTION_VERSION")
        self.invoked_function_arn = headers.get("Lambda-Runtime-Invoked-Function-Arn")
        self.memory_limit_in_mb = os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE")
        self.log_group_name = os.environ.get("AWS_LAMBDA_LOG_GROUP_NAME")
        self.log_stream_name = os.environ.get("AWS_LAMBDA_LOG_STREAM_NAME")
        self.identity = _CognitoIdentity()
        client_context = headers.get("Lambda-Runtime-Client-Context")
        self.client_context = _ClientContext(json.loads(client_context)) if client_context else None
        self.tenant_id = None
        self._deadline_ms = int(headers.get("Lambda-Runtime-Deadline-Ms") or 0)

    def get_remaining_time_in_millis(self):
        return max(0, self._deadline_ms - int(time.time() * 1000))

    def log(self, message):
        sys.stdout.write(str(message))


class _LambdaError(Exception):
    def __init__(self, error_type, message):
        super().__init__(message)
        self.error_type = error_type


def _user_frames(tb):
    """The traceback without this bootstrap's frames, as `traceback.format_list` strings."""
    frames = [f for f in traceback.extract_tb(tb) if os.path.abspath(f.filename) != os.path.abspath(__file__)]
    return traceback.format_list(frames)


def _error_payload(error):
    if isinstance(error, _LambdaError):
        return {"errorMessage": str(error), "errorType": error.error_type, "requestId": _request_id or "", "stackTrace": []}
    return {
        "errorMessage": str(error),
        "errorType": type(error).__name__,
        "requestId": _request_id or "",
        "stackTrace": _user_frames(error.__traceback__),
    }


def _fence():
    sys.stdout.write(FENCE + "\n")
    sys.stdout.flush()
    sys.stderr.write(FENCE + "\n")
    sys.stderr.flush()


def _post_error(path, error):
    payload = _error_payload(error)
    # Lambda logs an unhandled exception as `[ERROR] Type: message` followed by the traceback.
    lines = [f"[ERROR] {payload['errorType']}: {payload['errorMessage']}"]
    if payload["stackTrace"]:
        lines.append("Traceback (most recent call last):")
        lines.extend(frame.rstrip("\n") for frame in payload["stackTrace"])
    sys.stdout.write("\n".join(lines) + "\n")
    _fence()
    _call("POST", path, json.dumps(payload), {
        "Content-Type": "application/json",
        "Lambda-Runtime-Function-Error-Type": payload["errorType"],
        MAX_RSS_HEADER: _max_rss(),
    })


def _load_handler():
    handler = os.environ.get("_HANDLER", "")
    module_path, _, function_name = handler.rpartition(".")
    if not module_path or not function_name:
        raise _LambdaError("Runtime.MalformedHandlerName", f"Bad handler '{handler}': not enough values to unpack")
    module_name = module_path.replace("/", ".").lstrip(".")
    try:
        module = importlib.import_module(module_name)
    except SyntaxError as error:
        raise _LambdaError("Runtime.UserCodeSyntaxError", f"Syntax error in module '{module_name}': {error}") from None
    except ImportError as error:
        raise _LambdaError("Runtime.ImportModuleError", f"Unable to import module '{module_name}': {error}") from None
    function = getattr(module, function_name, None)
    if not callable(function):
        raise _LambdaError("Runtime.HandlerNotFound", f"Handler '{function_name}' missing on module '{module_name}'")
    return function


def _serve(handler):
    global _request_id
    while True:
        status, headers, body = _call("GET", "/invocation/next")
        if status != 200:
            _service_gone()
        _request_id = headers.get("Lambda-Runtime-Aws-Request-Id")
        try:
            event = json.loads(body or b"null")
            result = handler(event, LambdaContext(headers))
            try:
                response = json.dumps(result)
            except (TypeError, ValueError) as error:
                raise _LambdaError("Runtime.MarshalError", f"Unable to marshal response: {error}") from None
        except Exception as error:
            _post_error(f"/invocation/{_request_id}/error", error)
            continue
        _fence()
        _call("POST", f"/invocation/{_request_id}/response", response, {
            "Content-Type": "application/json",
            MAX_RSS_HEADER: _max_rss(),
        })


def _exit(code):
    """sys.exit() from a handler ends the sandbox with that status, at once. A normal interpreter shutdown would
    trip over the stdin watcher's pending read (Python aborts: `signal: sigabrt`, after a second)."""
    if code is None:
        code = 0
    elif not isinstance(code, int):
        sys.stderr.write(f"{code}\n")
        code = 1
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def main():
    threading.Thread(target=_watch_stdin, daemon=True).start()
    root = os.environ.get("LAMBDA_TASK_ROOT", os.getcwd())
    # Python put this script's folder (pipes' runtimes) first: a function imports from its own folder, then
    # from the interpreter's site-packages, as on Lambda, never from here.
    here = os.path.dirname(os.path.abspath(__file__))
    sys.path[:] = [root] + [p for p in sys.path if p and os.path.abspath(p) != here]
    _install_logging()
    try:
        try:
            handler = _load_handler()
        except Exception as error:
            _post_error("/init/error", error)
            _exit(1)
        _serve(handler)
    except SystemExit as exit_:
        _exit(exit_.code)


if __name__ == "__main__":
    main()
