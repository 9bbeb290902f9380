"""pipes_lambda: the Dagster Pipes protocol for AWS Lambda Python handlers, in one standard-library file.

    from pipes_lambda import metadata, with_pipes

    @with_pipes
    def handler(event, pipes, context):
        pipes.log.info("starting")
        pipes.report_asset_materialization(metadata={"rows": 3, "source": metadata.url("https://...")})
        return {"ok": True}

The orchestrator (pipes, or Dagster's PipesLambdaClient) puts DAGSTER_PIPES_CONTEXT and DAGSTER_PIPES_MESSAGES
into the event. Messages are buffered and written to stderr in one go when the session closes (buffered_stdio),
as json.dumps lines, exactly as Dagster's own dagster_pipes writes them. Every invocation gets its own session, so
warm invocations work (Dagster's library keeps a process-wide one). Not named pipes.py: that shadows a module of
the standard library on Python <= 3.12.
"""
import base64
import functools
import json
import os
import sys
import traceback
import warnings
import zlib

PROTOCOL_VERSION = "0.1"
LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
METADATA_TYPES = (
    "__infer__", "text", "url", "path", "notebook", "json", "md", "float", "int", "bool", "dagster_run", "asset",
    "null", "table", "table_schema", "table_column_lineage", "timestamp", "job",
)

__all__ = ["PipesError", "PipesWarning", "PipesSession", "metadata", "open_pipes", "with_pipes", "PROTOCOL_VERSION"]


class PipesError(Exception):
    pass


class PipesWarning(UserWarning):
    """What dagster_pipes' DagsterPipesWarning is: the process was not started by a pipes orchestrator."""


_warned_inactive = False


def _warn_inactive():
    # Once per process, as dagster_pipes warns once and then turns every call into a no-op.
    global _warned_inactive
    if _warned_inactive:
        return
    _warned_inactive = True
    warnings.warn(
        "This invocation was not started by a pipes orchestrator (no DAGSTER_PIPES_CONTEXT in the event): "
        "pipes calls are no-ops and no messages are written.",
        PipesWarning,
        stacklevel=4,
    )


def decode_param(value):
    """Dagster's decode_param: base64 of zlib-compressed JSON."""
    return json.loads(zlib.decompress(base64.b64decode(value)).decode("utf-8"))


class _Metadata:
    """Typed metadata values: metadata.url("https://..."), metadata.table({"records": [...], "schema": [...]})."""

    def __getattr__(self, name):
        if name not in METADATA_TYPES or name == "__infer__":
            raise AttributeError(f"no metadata type {name!r}; known: {', '.join(METADATA_TYPES[1:])}")
        return lambda raw_value: {"raw_value": raw_value, "type": name}


metadata = _Metadata()


def _normalize_metadata(values):
    """Dagster's _normalize_param_metadata: a wrapped {raw_value, type} stays, anything else is __infer__."""
    if not values:
        return None
    if not isinstance(values, dict):
        raise PipesError("metadata must be a dict")
    out = {}
    for name, value in values.items():
        if not isinstance(name, str):
            raise PipesError(f"metadata keys must be strings, got {name!r}")
        if isinstance(value, dict):
            if set(value) != {"raw_value", "type"} or value["type"] not in METADATA_TYPES:
                raise PipesError(f"metadata {name!r}: a dict value must be exactly {{raw_value, type}} with a known type")
            out[name] = {"raw_value": value["raw_value"], "type": value["type"]}
        else:
            out[name] = {"raw_value": value, "type": "__infer__"}
    return out


def _serialize_exception(exc, depth=0):
    """Dagster's PipesException: message, stack, name, cause, context."""
    if exc is None or depth > 10:
        return None
    context = None if exc.__suppress_context__ else exc.__context__
    return {
        "message": "".join(traceback.format_exception_only(type(exc), exc)),
        "stack": traceback.StackSummary.extract(traceback.walk_tb(exc.__traceback__)).format(),
        "name": type(exc).__name__,
        "cause": _serialize_exception(exc.__cause__, depth + 1),
        "context": _serialize_exception(context, depth + 1),
    }


class _Logger:
    def __init__(self, session):
        self._session = session

    def _log(self, level, message):
        self._session._send("log", {"message": str(message), "level": level})

    def debug(self, message):
        self._log("DEBUG", message)

    def info(self, message):
        self._log("INFO", message)

    def warning(self, message):
        self._log("WARNING", message)

    warn = warning

    def error(self, message):
        self._log("ERROR", message)

    def critical(self, message):
        self._log("CRITICAL", message)


class PipesSession:
    """A pipes session for one invocation. Outside a pipes invocation it still works, and sends nothing."""

    def __init__(self, event, write=None):
        source = event if isinstance(event, dict) else {}
        self.is_pipes_invocation = isinstance(source.get("DAGSTER_PIPES_CONTEXT"), str)
        self._stream = sys.stderr
        self._write_override = write
        self._buffer = []
        self._closed = False
        self._materialized = set()
        self._buffered = True
        if self.is_pipes_invocation:
            params = decode_param(source["DAGSTER_PIPES_CONTEXT"])
            if not isinstance(params, dict) or not isinstance(params.get("data"), dict):
                raise PipesError("DAGSTER_PIPES_CONTEXT must carry the context inline ({data: ...}) on Lambda")
            self.context = params["data"]
            raw_messages = source.get("DAGSTER_PIPES_MESSAGES")
            messages = decode_param(raw_messages) if isinstance(raw_messages, str) else {"buffered_stdio": "stderr"}
            stream = messages.get("buffered_stdio") or messages.get("stdio")
            if stream not in ("stderr", "stdout"):
                raise PipesError(f"unsupported DAGSTER_PIPES_MESSAGES {messages!r}: expected buffered_stdio or stdio")
            self._buffered = "buffered_stdio" in messages
            self._stream = sys.stdout if stream == "stdout" else sys.stderr
        else:
            _warn_inactive()
            self.context = {
                "asset_keys": None, "code_version_by_asset_key": None, "provenance_by_asset_key": None,
                "partition_key": None, "partition_key_range": None, "partition_time_window": None,
                "run_id": "", "job_name": None, "retry_number": 0, "extras": {},
            }
        self.log = _Logger(self)
        self._send("opened", {"extras": {}})

    # --- the context -----------------------------------------------------------------------------------------
    @property
    def run_id(self):
        return self.context["run_id"]

    @property
    def job_name(self):
        return self.context.get("job_name")

    @property
    def retry_number(self):
        return self.context.get("retry_number", 0)

    @property
    def extras(self):
        return self.context.get("extras") or {}

    def get_extra(self, key):
        if key not in self.extras:
            raise PipesError(f"no extra {key!r}; extras are: {', '.join(self.extras) or 'none'}")
        return self.extras[key]

    @property
    def asset_keys(self):
        return list(self.context.get("asset_keys") or [])

    @property
    def is_asset_step(self):
        return self.context.get("asset_keys") is not None

    @property
    def asset_key(self):
        keys = self.asset_keys
        if len(keys) != 1:
            raise PipesError(f"expected exactly one asset key in scope, got {len(keys)}: use asset_keys")
        return keys[0]

    @property
    def is_partition_step(self):
        return self.context.get("partition_key_range") is not None

    @property
    def partition_key(self):
        if self.context.get("partition_key") is None:
            raise PipesError("this is not a partitioned run: partition_key is None")
        return self.context["partition_key"]

    @property
    def partition_key_range(self):
        return self.context.get("partition_key_range")

    @property
    def partition_time_window(self):
        return self.context.get("partition_time_window")

    @property
    def code_version(self):
        return (self.context.get("code_version_by_asset_key") or {}).get(self.asset_key)

    # --- reporting -------------------------------------------------------------------------------------------
    def report_asset_materialization(self, metadata=None, data_version=None, asset_key=None):
        key = self._resolve_key(asset_key)
        if key in self._materialized:
            raise PipesError(f"asset {key} was already materialized in this invocation")
        self._materialized.add(key)
        self._send(
            "report_asset_materialization",
            {"asset_key": key, "data_version": data_version, "metadata": _normalize_metadata(metadata)},
        )

    def report_asset_check(self, check_name, passed, severity="ERROR", metadata=None, asset_key=None):
        if severity not in ("ERROR", "WARN"):
            raise PipesError('severity must be "ERROR" or "WARN"')
        if not isinstance(passed, bool):
            raise PipesError("passed must be True or False")
        self._send(
            "report_asset_check",
            {
                "asset_key": self._resolve_key(asset_key),
                "check_name": check_name,
                "passed": passed,
                "metadata": _normalize_metadata(metadata),
                "severity": severity,
            },
        )

    def report_custom_message(self, payload):
        self._send("report_custom_message", {"payload": payload})

    def close(self, exc=None):
        """Ends the session: `closed` (with the exception, if any), then the buffered messages in one write."""
        if self._closed:
            return
        self._send("closed", {"exception": _serialize_exception(exc)} if exc is not None else {})
        self._closed = True
        if self._buffer:
            self._write("\n".join(self._buffer) + "\n")
            self._buffer = []

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        self.close(exc)
        return False

    # --- internals -------------------------------------------------------------------------------------------
    def _resolve_key(self, asset_key):
        if not self.is_pipes_invocation:
            return asset_key or ""
        if asset_key is None:
            return self.asset_key
        if isinstance(asset_key, (list, tuple)):
            asset_key = "/".join(p.replace("\\", "\\\\").replace("/", "\\/") for p in asset_key)
        if self.is_asset_step and asset_key not in self.asset_keys:
            raise PipesError(f"asset {asset_key} is not in scope; this step materializes {', '.join(self.asset_keys)}")
        return asset_key

    def _send(self, method, params):
        if self._closed:
            raise PipesError(f"cannot send {method}: the pipes session is closed")
        if not self.is_pipes_invocation:
            return
        envelope = {"__dagster_pipes_version": PROTOCOL_VERSION, "method": method, "params": params}
        level = _message_level()
        if level:
            envelope["level"] = level
        line = json.dumps(envelope)
        if self._buffered:
            self._buffer.append(line)
        else:
            self._write(line + "\n")

    def _write(self, text):
        if self._write_override is not None:
            self._write_override(text)
        else:
            self._stream.write(text)
            self._stream.flush()


def _message_level():
    """With Lambda's JSON log format (LoggingConfig), a JSON line without a `level` is filed as INFO and dropped
    at ApplicationLogLevel WARN or above. A message line carries the function's own level (AWS_LAMBDA_LOG_LEVEL),
    which no filter of that function drops; Dagster's reader ignores keys other than the version, method and params.
    With the Text format nothing is filtered, and the line is byte for byte what dagster_pipes writes."""
    if os.environ.get("AWS_LAMBDA_LOG_FORMAT") != "JSON":
        return None
    level = os.environ.get("AWS_LAMBDA_LOG_LEVEL", "").upper()
    return level if level in ("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL") else "FATAL"


def open_pipes(event, write=None):
    """A session for this invocation's event; use it as a context manager, or call close(exc) yourself."""
    return PipesSession(event, write=write)


def with_pipes(handler):
    """Wraps handler(event, pipes, context): an exception is reported in `closed`, then raised for Lambda."""

    @functools.wraps(handler)
    def wrapper(event, context=None):
        with open_pipes(event) as pipes:
            return handler(event, pipes, context)

    return wrapper
