/**
 * Which Python runs a Python function: the one the user would get in their shell, as close to the runtime's
 * version as they have. `PIPES_PYTHON` (a path, or a name looked up on PATH) decides outright; otherwise
 * `python3.12` for runtime python3.12 if it runs, else `python3`, both looked up on the user's PATH (a venv or
 * pyenv there wins), never on the sandbox's. Found once per runtime; a version other than the runtime's is said
 * once, naming both.
 */
import { execFile, execFileSync } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { delimiter, isAbsolute, join } from "node:path";

export interface PythonChoice {
  /** Absolute path of the interpreter (the sandbox's PATH plays no part). */
  command: string;
  /** `3.11`, as the interpreter reports it; null when it could not be asked. */
  version: string | null;
  /** What to tell the user when the version is not the runtime's, once. */
  warning: string | null;
}

export interface PythonEnvironment {
  PATH?: string;
  PIPES_PYTHON?: string;
}

export class PythonResolver {
  private readonly chosen = new Map<string, PythonChoice>();
  /** What each interpreter said when asked ahead (see warm); null: it did not run as a Python. */
  private readonly probed = new Map<string, Probe | null>();
  /** The warm-up's probes still running, by interpreter. */
  private readonly pending = new Map<string, Promise<void>>();

  constructor(private readonly env: PythonEnvironment = process.env) {}

  /**
   * Asks the candidate interpreters of these runtimes in the background, all at once: a pyenv shim takes a few
   * hundred milliseconds to answer, which a function's first invocation would otherwise wait for.
   */
  warm(runtimes: string[]): void {
    for (const command of new Set(runtimes.flatMap((runtime) => this.candidates(runtime)))) {
      if (this.probed.has(command) || this.pending.has(command)) continue;
      const answered = new Promise<void>((resolve) => {
        execFile(command, ["-c", PROBE_SCRIPT], { encoding: "utf8", timeout: 5000 }, (error, out) => {
          if (!this.probed.has(command)) this.probed.set(command, error ? null : parseProbe(out));
          this.pending.delete(command);
          resolve();
        }).unref();
      });
      this.pending.set(command, answered);
    }
  }

  /**
   * Resolves once the warm-up has asked the interpreters a runtime may use; undefined when none is being asked.
   * A first invocation waits for that instead of asking again, synchronously, while the emulator waits with it.
   */
  asking(runtime: string): Promise<void> | undefined {
    // Every invocation asks: once the warm-up is done, nothing is looked up on PATH for it.
    if (this.pending.size === 0) return undefined;
    const waits = this.candidates(runtime).flatMap((command) => this.pending.get(command) ?? []);
    return waits.length > 0 ? Promise.all(waits).then(() => undefined) : undefined;
  }

  /** The interpreter for a runtime such as `python3.12`; the warning is given only the first time. */
  choose(runtime: string): PythonChoice {
    const known = this.chosen.get(runtime);
    if (known) return { ...known, warning: null };
    const choice = this.find(runtime);
    this.chosen.set(runtime, choice);
    return choice;
  }

  /**
   * The interpreters to try for a runtime, in order: what PIPES_PYTHON names (a path, or a name on PATH); else
   * `python3.X` and `python3` as found on the user's PATH.
   */
  private candidates(runtime: string): string[] {
    const explicit = this.env.PIPES_PYTHON?.trim();
    if (explicit) return [isAbsolute(explicit) ? explicit : (this.onPath(explicit) ?? explicit)];
    return [`python${versionOf(runtime)}`, "python3"].flatMap((name) => this.onPath(name) ?? []);
  }

  private find(runtime: string): PythonChoice {
    const wanted = versionOf(runtime);
    const explicit = this.env.PIPES_PYTHON?.trim();
    const candidates = this.candidates(runtime);
    if (explicit) {
      const found = this.probe(candidates[0]!);
      const command = found?.executable ?? explicit;
      const version = found?.version ?? null;
      const warning =
        version === null
          ? `PIPES_PYTHON=${explicit} did not run (is it a Python interpreter?): ${runtime} functions will fail to start`
          : version !== wanted
            ? `${runtime} functions run on Python ${version} (PIPES_PYTHON=${explicit}), not ${wanted} as on Lambda`
            : null;
      return { command, version, warning };
    }
    for (const candidate of candidates) {
      const found = this.probe(candidate);
      if (!found) continue; // e.g. a pyenv shim for a version that is not active
      const { version, executable: command } = found;
      const warning =
        version === wanted
          ? null
          : `${runtime} functions run on Python ${version} (${command}), not ${wanted} as on Lambda: put python${wanted} on your PATH, or set PIPES_PYTHON to an interpreter`;
      return { command, version, warning };
    }
    return { command: "python3", version: null, warning: `no python3 on your PATH: ${runtime} functions will fail to start (set PIPES_PYTHON to an interpreter)` };
  }

  private probe(command: string): Probe | null {
    if (!this.probed.has(command)) this.probed.set(command, probeNow(command));
    return this.probed.get(command)!;
  }

  private onPath(name: string): string | undefined {
    for (const dir of (this.env.PATH ?? "").split(delimiter)) {
      if (!dir) continue;
      const candidate = join(dir, name);
      try {
        accessSync(candidate, constants.X_OK);
        return candidate;
      } catch {
        // not here
      }
    }
    return undefined;
  }
}

/** `python3.12` → `3.12`. */
const versionOf = (runtime: string) => runtime.replace(/^python/, "");

interface Probe {
  version: string;
  executable: string;
}

const PROBE_SCRIPT = "import sys; print('%d.%d' % sys.version_info[:2]); print(sys.executable)";

/**
 * Asks an interpreter its version and its executable: a pyenv shim names the real interpreter that way (the shim
 * itself needs the user's shell environment, which the sandbox does not have); a venv's stays the venv's. Null
 * if it does not run as a Python. Bounded: a hung interpreter does not hang the emulator.
 */
function probeNow(command: string): Probe | null {
  try {
    return parseProbe(execFileSync(command, ["-c", PROBE_SCRIPT], { encoding: "utf8", timeout: 5000, stdio: ["ignore", "pipe", "ignore"] }));
  } catch {
    return null;
  }
}

function parseProbe(out: string): Probe | null {
  const [version, executable] = out.trim().split("\n");
  return version && /^\d+\.\d+$/.test(version) && executable ? { version, executable } : null;
}
