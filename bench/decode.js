// Decoding pipes messages: decodeLine's rate on realistic mixed log lines (Dagster's messages as dagster_pipes
// writes them, bare and behind Lambda's Node.js prefix, with plain output between), beside the JSON.parse floor on
// the same lines and the exact Python-JSON parser alone (what every line went through before the fast path).
// Rounds alternate their order; medians with [min–max]. Prints figures; asserts nothing.
import { decodeLine } from "../dist/protocol/decode-line.js";
import { parsePythonJson } from "../dist/protocol/python-json-parse.js";
import { median } from "./measure.js";

const MB = 1024 * 1024;
const TARGET_BYTES = Number(process.env.BENCH_DECODE_MB ?? 16) * MB;
const ROUNDS = Number(process.env.BENCH_DECODE_ROUNDS ?? 7);
const GOAL_MB_S = 300;

const prefix = (i) => `2026-12-05T10:00:${String(i % 60).padStart(2, "0")}.123Z\tc0ffee00-1111-2222-3333-${String(i).padStart(12, "0")}\tINFO\t`;
const header = '{"__dagster_pipes_version": "0.1", ';
const samples = [
  (i) => `${header}"method": "log", "params": {"message": "processed batch ${i} of orders from s3://bucket/raw/2026-12-05/part-${i}.parquet", "level": "INFO"}}`,
  (i) => `${header}"method": "report_asset_materialization", "params": {"asset_key": "orders", "data_version": "v${i}", "metadata": {"rows": {"raw_value": ${i * 37}, "type": "int"}, "mean": {"raw_value": ${(i * 0.37).toFixed(3)}1, "type": "float"}, "source": {"raw_value": "s3://bucket/raw/part-${i}.parquet", "type": "path"}, "preview": {"raw_value": {"columns": ["id", "amount"], "sample": [${i}, ${i + 1}]}, "type": "json"}}}}`,
  (i) => `${header}"method": "report_asset_check", "params": {"asset_key": "orders", "check_name": "no_nulls", "passed": ${i % 7 !== 0}, "severity": "ERROR", "metadata": {"nulls": {"raw_value": ${i % 7}, "type": "int"}}}}`,
  () => `${header}"method": "opened", "params": {"extras": {}}}`,
  (i) => `fetching page ${i} of the API: 200 OK in ${i % 900} ms`,
  (i) => `Traceback line ${i}: File "/var/task/app.py", line ${i % 300}, in handler`,
];
const lines = [];
let bytes = 0;
for (let i = 0; bytes < TARGET_BYTES; i++) {
  const body = samples[i % samples.length](i);
  const line = i % 3 === 0 && !body.startsWith("{") ? body : i % 2 === 0 ? `${prefix(i)}${body}` : body;
  lines.push(line);
  bytes += Buffer.byteLength(line) + 1;
}
// The floor: JSON.parse of each line's JSON (found as decodeLine finds it), nothing for plain text.
const jsonOf = lines.map((line) => {
  const at = line.indexOf("{");
  return at === -1 ? null : line.slice(at);
});

const sides = {
  decode: () => {
    for (const line of lines) decodeLine(line);
  },
  "JSON.parse floor": () => {
    for (const json of jsonOf) if (json !== null) JSON.parse(json);
  },
  "exact parser alone": () => {
    for (const json of jsonOf) if (json !== null) parsePythonJson(json);
  },
};
const rates = Object.fromEntries(Object.keys(sides).map((name) => [name, []]));
for (const run of Object.values(sides)) run(); // warm-up (JIT)
for (let round = 0; round < ROUNDS; round++) {
  const order = Object.entries(sides);
  if (round % 2 === 1) order.reverse();
  for (const [name, run] of order) {
    const t = performance.now();
    run();
    rates[name].push(bytes / MB / ((performance.now() - t) / 1000));
  }
}
const fmt = (xs) => `${median(xs).toFixed(0)} MB/s [${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)}]`;
console.log(`${(bytes / MB).toFixed(1)} MB in ${lines.length.toLocaleString("en")} lines, ${ROUNDS} rounds`);
console.log(`decode: ${fmt(rates.decode)}   (goal ≥ ${GOAL_MB_S} MB/s)`);
console.log(`JSON.parse floor: ${fmt(rates["JSON.parse floor"])}`);
console.log(`exact parser alone: ${fmt(rates["exact parser alone"])}`);

// Metadata holding ISO timestamps and version strings ("…T10:00:00.000Z", "v1.0") beside an int: a text search for
// 3.0-like numbers sent each such line to the exact parser. Now the regex looks for such a number ending as a number
// token ends (these end in a letter or a quote), so these lines need neither the number pass nor the exact parser.
const stamped = Array.from({ length: 50_000 }, (_, i) => `${header}"method": "report_asset_materialization", "params": {"asset_key": "events", "metadata": {"rows": {"raw_value": ${i}, "type": "int"}, "loaded_at": {"raw_value": "2026-12-05T10:00:${String(i % 60).padStart(2, "0")}.000Z", "type": "text"}, "model": {"raw_value": "v1.0", "type": "text"}}}}`);
const stampedBytes = stamped.reduce((sum, line) => sum + Buffer.byteLength(line) + 1, 0);
const stampedRates = [];
for (let round = 0; round < ROUNDS; round++) {
  const t = performance.now();
  for (const line of stamped) decodeLine(line);
  stampedRates.push(stampedBytes / MB / ((performance.now() - t) / 1000));
}
console.log(`decode, metadata with timestamps and versions in strings: ${fmt(stampedRates)}`);
