// Sample protocol lines shared by the protocol tests: one valid envelope per method.
export const V = { __dagster_pipes_version: "0.1" };

export const SAMPLES = {
  opened: { ...V, method: "opened", params: { extras: { k: 1 } } },
  closed: { ...V, method: "closed", params: {} },
  closed_exception: {
    ...V,
    method: "closed",
    params: {
      exception: {
        message: "ZeroDivisionError: division by zero\n",
        stack: ['  File "/var/task/app.py", line 3, in handler\n    1/0\n'],
        name: "ZeroDivisionError",
        cause: null,
        context: { message: "KeyError: 'x'\n", stack: [], name: "KeyError", cause: null, context: null },
      },
    },
  },
  log: { ...V, method: "log", params: { message: "hello", level: "INFO" } },
  report_asset_materialization: {
    ...V,
    method: "report_asset_materialization",
    params: { asset_key: "lambda_pipes_asset", data_version: "alpha", metadata: { some_metric: { raw_value: 2, type: "int" } } },
  },
  report_asset_check: {
    ...V,
    method: "report_asset_check",
    params: { asset_key: "orders", check_name: "no_nulls", passed: false, severity: "WARN", metadata: { nulls: { raw_value: 3, type: "int" } } },
  },
  report_custom_message: { ...V, method: "report_custom_message", params: { payload: { anything: [1, 2] } } },
  log_external_stream: { ...V, method: "log_external_stream", params: { stream: "stdout", text: "raw text\n", extras: {} } },
} as const;
