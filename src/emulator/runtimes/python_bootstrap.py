"""The Python runtime of the pipes emulator.

Runs inside a worker process: loads the user's handler and serves invocations through the Lambda Runtime API,
as Lambda's Python runtime interface client does. Standard library only.
"""
import array
import fcntl
import importlib
import json
import logging
import os
import resource
import socket
import stat
import struct
import sys
import termios
import threading
import time
import traceback

FENCE = sys.argv[1] if len(sys.argv) > 1 else ""
_request_id = None

# The Runtime API, over the private channel the emulator gives every worker as fd 3 (src/emulator/channel.ts):
# frames of `u32 header length, u32 body length` (little-endian), a JSON header, the body. One write each way
# per invocation, where HTTP would take four messages.
_channel = socket.socket(fileno=3)
_channel.set_inheritable(False)  # a handler's subprocesses get no way into it
_received = bytearray()  # grows in place: a 6 MB event arrives in many reads
_PREFIX = struct.Struct("<II")


def _max_rss():
    """The worker's peak resident memory in KB, for REPORT's Max Memory Used (saves the emulator reading /proc)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _frame(header, body=b""):
    head = json.dumps(header).encode()
    data = body.encode() if isinstance(body, str) else body
    return _PREFIX.pack(len(head), len(data)) + head + data


def _send(*frames):
    try:
        _channel.sendall(b"".join(frames))
    except OSError:
        _service_gone()


def _receive(size):
    while len(_received) < size:
        try:
            chunk = _channel.recv(max(65536, size - len(_received)))
        except OSError:
            chunk = b""
        if not chunk:
            _service_gone()
        _received.extend(chunk)
    data = bytes(_received[:size])
    del _received[:size]
    return data


_NEXT = _frame({"t": "next"})
_asked = False


def _next_event(*frames):
    """Asks for the next event (after `frames`, in the same write); returns its header and body. The first ask
    carries when init ended (epoch ms): the emulator may read it later than it was sent, and Init Duration is
    init's alone."""
    global _asked
    _send(*frames, _NEXT if _asked else _frame({"t": "next", "at": time.time() * 1000}))
    _asked = True
    header_bytes, body_bytes = _PREFIX.unpack(_receive(_PREFIX.size))
    header = json.loads(_receive(header_bytes))
    return header, _receive(body_bytes)


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


class _JsonFormatter(logging.Formatter):
    """AWS, "Log and monitor Python Lambda functions" (docs.aws.amazon.com/lambda/latest/dg/python-logging.html),
    JSON format: `{"timestamp": "2023-10-27T19:17:45Z", "level", "message", "logger", "requestId"}`, with
    errorType / errorMessage / stackTrace / location for an exception, and `extra=` keys merged in, as the runtime
    interface client's lambda_runtime_log_utils.py builds it."""

    _RESERVED = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime", "aws_request_id"}

    def format(self, record):
        result = {
            "timestamp": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(record.created)),
            "level": record.levelname,
            "message": record.getMessage(),
            "logger": record.name,
            "requestId": getattr(record, "aws_request_id", None) or None,
        }
        if record.exc_info and record.exc_info[0] is not None:
            kind, value, tb = record.exc_info
            result["errorType"] = kind.__name__
            result["errorMessage"] = str(value)
            result["stackTrace"] = traceback.format_tb(tb)
            result["location"] = "%s:%s:%d" % (record.pathname, record.funcName, record.lineno)
        for key, value in vars(record).items():
            if key not in self._RESERVED and key not in result:
                result[key] = value
        return json.dumps(result, default=str)


# AWS_LAMBDA_LOG_LEVEL's names as Python's levels.
_LEVELS = {"TRACE": 5, "DEBUG": logging.DEBUG, "INFO": logging.INFO, "WARN": logging.WARNING, "ERROR": logging.ERROR, "FATAL": logging.CRITICAL}


def _install_logging():
    """The root handler Lambda installs: `[LEVEL]\\t<time>Z\\t<request id>\\t<message>`, or JSON records."""
    handler = logging.StreamHandler(sys.stdout)
    if os.environ.get("AWS_LAMBDA_LOG_FORMAT") == "JSON":
        handler.setFormatter(_JsonFormatter())
        handler.addFilter(_RequestIdFilter())
        root = logging.getLogger()
        root.handlers = [handler]
        root.setLevel(_LEVELS.get(os.environ.get("AWS_LAMBDA_LOG_LEVEL", "INFO"), logging.INFO))
        return
    formatter = logging.Formatter(
        "[%(levelname)s]\t%(asctime)s.%(msecs)03dZ\t%(aws_request_id)s\t%(message)s\n", "%Y-%m-%dT%H:%M:%S"
    )
    formatter.converter = time.gmtime
    handler.setFormatter(formatter)
    # The format ends the record with its newline, as Lambda's does (its handler writes the record as it is): the
    # stream handler's own terminator would add an empty line after each one.
    handler.terminator = ""
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
    def __init__(self, event):
        self.aws_request_id = event.get("requestId")
        self.function_name = os.environ.get("AWS_LAMBDA_FUNCTION_NAME")
        self.function_version = os.environ.get("AWS_LAMBDA_FUNCTION_VERSION")
        self.invoked_function_arn = event.get("functionArn")
        self.memory_limit_in_mb = os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE")
        self.log_group_name = os.environ.get("AWS_LAMBDA_LOG_GROUP_NAME")
        self.log_stream_name = os.environ.get("AWS_LAMBDA_LOG_STREAM_NAME")
        self.identity = _CognitoIdentity()
        client_context = event.get("clientContext")
        self.client_context = _ClientContext(json.loads(client_context)) if client_context else None
        self.tenant_id = None
        self._deadline_ms = int(event.get("deadlineMs") or 0)

    def get_remaining_time_in_millis(self):
        return max(0, self._deadline_ms - int(time.time() * 1000))

    def log(self, message):
        sys.stdout.write(str(message))


class _LambdaError(Exception):
    def __init__(self, error_type, message, trace=None):
        super().__init__(message)
        self.error_type = error_type
        self.trace = trace or []


def _user_frames(tb):
    """The traceback without this bootstrap's frames, as `traceback.format_list` strings."""
    frames = [f for f in traceback.extract_tb(tb) if os.path.abspath(f.filename) != os.path.abspath(__file__)]
    return traceback.format_list(frames)


def _error_payload(error):
    if isinstance(error, _LambdaError):
        return {"errorMessage": str(error), "errorType": error.error_type, "requestId": _request_id or "", "stackTrace": error.trace}
    return {
        "errorMessage": str(error),
        "errorType": type(error).__name__,
        "requestId": _request_id or "",
        "stackTrace": _user_frames(error.__traceback__),
    }


_UNREAD = array.array("i", [0])


def _unread_request(fd):
    """The ioctl that tells how many bytes written to `fd` its reader has not read yet: the emulator's stdio are
    Unix socket pairs (libuv makes them so), where SIOCOUTQ counts what was sent and not yet consumed; for a pipe,
    FIONREAD on its write end counts what is in it. None for anything else."""
    try:
        mode = os.fstat(fd).st_mode
    except OSError:
        return None
    if stat.S_ISSOCK(mode):
        return termios.TIOCOUTQ  # SIOCOUTQ on Linux
    if stat.S_ISFIFO(mode):
        return termios.FIONREAD
    return None


_OUTPUTS = [(fd, _unread_request(fd)) for fd in (1, 2)]


def _drained():
    """Whether the emulator has read everything written to stdout and stderr (fds 1 and 2: a handler's
    subprocesses and C code write there too). Anything in doubt (another kind of file, an ioctl that fails) is
    not drained: the fences are written then."""
    for fd, request in _OUTPUTS:
        if request is None:
            return False
        try:
            fcntl.ioctl(fd, request, _UNREAD, True)
        except OSError:
            return False
        if _UNREAD[0]:
            return False
    return True


def _fence():
    """Ends the invocation's output: with a fence line on stdout and stderr, which the emulator waits for before
    it writes END; or with nothing when both pipes are drained already (True: the answer says so, and the
    emulator then has every line — two writes and two reads fewer for a handler that logged nothing)."""
    sys.stdout.flush()
    sys.stderr.flush()
    if _drained():
        return True
    sys.stdout.write(FENCE + "\n")
    sys.stdout.flush()
    sys.stderr.write(FENCE + "\n")
    sys.stderr.flush()
    return False


def _error_report(kind, error):
    """The frame that reports an error, once it is logged and the invocation's output fenced."""
    payload = _error_payload(error)
    # Lambda logs an unhandled exception as `[ERROR] Type: message` followed by the traceback.
    lines = [f"[ERROR] {payload['errorType']}: {payload['errorMessage']}"]
    if payload["stackTrace"]:
        lines.append("Traceback (most recent call last):")
        lines.extend(frame.rstrip("\n") for frame in payload["stackTrace"])
    sys.stdout.write("\n".join(lines) + "\n")
    header = {"t": kind, "errorType": payload["errorType"], "maxRssKb": _max_rss()}
    if _fence():
        header["drained"] = True
    if _request_id is not None:
        header["id"] = _request_id
    return _frame(header, json.dumps(payload))


def _load_handler():
    handler = os.environ.get("_HANDLER", "")
    module_path, _, function_name = handler.rpartition(".")
    if not module_path or not function_name:
        raise _LambdaError("Runtime.MalformedHandlerName", f"Bad handler '{handler}': not enough values to unpack")
    module_name = module_path.replace("/", ".").lstrip(".")
    try:
        module = importlib.import_module(module_name)
    except SyntaxError as error:
        # Lambda's runtime interface client gives the file, line and text as the one frame of its stackTrace.
        trace = ['  File "%s" Line %s\n    %s' % (error.filename, error.lineno, error.text)]
        raise _LambdaError("Runtime.UserCodeSyntaxError", f"Syntax error in module '{module_name}': {error}", trace) from None
    except ImportError as error:
        raise _LambdaError("Runtime.ImportModuleError", f"Unable to import module '{module_name}': {error}") from None
    function = getattr(module, function_name, None)
    if not callable(function):
        raise _LambdaError("Runtime.HandlerNotFound", f"Handler '{function_name}' missing on module '{module_name}'")
    return function


def _serve(handler):
    global _request_id
    ending = []  # the frames that end the previous invocation, sent with the request for the next one
    while True:
        event, body = _next_event(*ending)
        _request_id = event.get("requestId")
        try:
            result = handler(json.loads(body or b"null"), LambdaContext(event))
            try:
                response = json.dumps(result)
            except (TypeError, ValueError) as error:
                raise _LambdaError("Runtime.MarshalError", f"Unable to marshal response: {error}") from None
        except Exception as error:
            ending = [_error_report("error", error)]
            continue
        header = {"t": "response", "id": _request_id, "maxRssKb": _max_rss()}
        if _fence():
            header["drained"] = True
        ending = [_frame(header, response)]


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
    # A definitions-file function's built requirements.txt (src/emulator/dependencies.ts) comes right after its
    # folder, as they share the zip's root on Lambda; or why they could not be built, which fails the init.
    layout = dict(zip(sys.argv[2::2], sys.argv[3::2]))
    dependencies = [layout["--dependencies"]] if "--dependencies" in layout else []
    sys.path[:] = [root] + dependencies + [p for p in sys.path if p and os.path.abspath(p) != here]
    _install_logging()
    try:
        try:
            if "--init-error" in layout:
                raise _LambdaError("Runtime.ImportModuleError", layout["--init-error"])
            handler = _load_handler()
        except Exception as error:
            _send(_error_report("init-error", error))
            _exit(1)
        _serve(handler)
    except SystemExit as exit_:
        _exit(exit_.code)


if __name__ == "__main__":
    main()
