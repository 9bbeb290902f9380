/**
 * Which Python runs a Python function: the runtime's own version wherever the machine has it. `PIPES_PYTHON` (a
 * path, or a name looked up on PATH) decides outright; otherwise `python3.12` for runtime python3.12 on the
 * user's PATH (a venv or pyenv there wins), then a pyenv or uv install of 3.12, then `python3` on PATH — never
 * the sandbox's PATH. Found once per runtime; a version other than the runtime's is a note, once, naming both.
 */
import { type ChildProcess, execFile, execFileSync } from "node:child_process";
import { accessSync, constants, readdirSync } from "node:fs";
import { homedir } from "node:os";
import { delimiter, isAbsolute, join } from "node:path";

/** How long a stop waits for killed probes to be done (their output closed). */
const PROBE_CLOSE_WAIT_MS = 3000;

export interface PythonChoice {
  /** Absolute path of the interpreter (the sandbox's PATH plays no part). */
  command: string;
  /** `3.11`, as the interpreter reports it; null when it could not be asked. */
  version: string | null;
  /** What to warn of, once: no interpreter at all, or PIPES_PYTHON that does not run. */
  warning: string | null;
  /** What to tell the user, once, when the version is not the runtime's (the function still runs). */
  note: string | null;
}

export interface PythonEnvironment {
  PATH?: string;
  PIPES_PYTHON?: string;
  HOME?: string;
  /** pyenv's versions are under $PYENV_ROOT/versions (default ~/.pyenv). */
  PYENV_ROOT?: string;
  /** uv's managed Pythons: $UV_PYTHON_INSTALL_DIR, else $XDG_DATA_HOME/uv/python (default ~/.local/share). */
  UV_PYTHON_INSTALL_DIR?: string;
  XDG_DATA_HOME?: string;
}

export class PythonResolver {
  private readonly chosen = new Map<string, PythonChoice>();
  /** What each interpreter said when asked ahead (see warm); null: it did not run as a Python. */
  private readonly probed = new Map<string, Probe | null>();
  /** The warm-up's probes still running, by interpreter. */
  private readonly pending = new Map<string, Promise<void>>();

  /** The warm-up's probe processes still running: a stop ends them and waits. */
  private readonly probes = new Set<ChildProcess>();

  constructor(private readonly env: PythonEnvironment = process.env) {}

  /** Ends the probes still running and resolves once they have exited (the emulator stops). */
  async close(): Promise<void> {
    const running = [...this.probes];
    for (const probe of running) probe.kill("SIGKILL");
    let timer: NodeJS.Timeout | undefined;
    const bound = new Promise<void>((resolve) => (timer = setTimeout(resolve, PROBE_CLOSE_WAIT_MS)));
    await Promise.race([Promise.all([...this.pending.values()]), bound]);
    clearTimeout(timer);
  }

  /**
   * Asks the candidate interpreters of these runtimes in the background, all at once: a pyenv shim takes a few
   * hundred milliseconds to answer, which a function's first invocation would otherwise wait for.
   */
  warm(runtimes: string[]): void {
    for (const command of new Set(runtimes.flatMap((runtime) => this.candidates(runtime)))) {
      if (this.probed.has(command) || this.pending.has(command)) continue;
      const answered = new Promise<void>((resolve) => {
        const probe = execFile(command, ["-c", PROBE_SCRIPT], { encoding: "utf8", timeout: 5000 }, (error, out) => {
          if (!this.probed.has(command)) this.probed.set(command, error ? null : parseProbe(out));
          this.pending.delete(command);
          this.probes.delete(probe);
          resolve();
        });
        probe.unref();
        this.probes.add(probe);
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
    if (known) return { ...known, warning: null, note: null };
    const choice = this.find(runtime);
    this.chosen.set(runtime, choice);
    return choice;
  }

  /**
   * Why no interpreter can run a runtime's functions, found without running one: PIPES_PYTHON names nothing
   * executable, or there is no candidate at all. Null when some interpreter is there (whether it runs is the
   * probe's to say). A run can then stop before it starts, as a setup error, rather than fail each invocation.
   */
  missing(runtime: string): string | null {
    const explicit = this.env.PIPES_PYTHON?.trim();
    const candidates = this.candidates(runtime);
    if (explicit) {
      return isExecutable(candidates[0]!) ? null : `PIPES_PYTHON=${explicit} is not ${isAbsolute(explicit) || explicit.includes("/") ? "an executable file" : "a command on your PATH"}: set it to a Python ${versionOf(runtime)} interpreter, or unset it to use the one pipes finds`;
    }
    return candidates.length > 0 ? null : `no Python interpreter found (python${versionOf(runtime)} or python3 on your PATH, pyenv or uv): install Python ${versionOf(runtime)}, or set PIPES_PYTHON to an interpreter`;
  }

  /**
   * The interpreters to try for a runtime, in order: what PIPES_PYTHON names (a path, or a name on PATH); else
   * `python3.X` on the user's PATH, pyenv's and uv's installs of 3.X (newest patch first), and `python3` on PATH.
   */
  private candidates(runtime: string): string[] {
    const explicit = this.env.PIPES_PYTHON?.trim();
    if (explicit) return [isAbsolute(explicit) ? explicit : (this.onPath(explicit) ?? explicit)];
    const wanted = versionOf(runtime);
    const onPath = (name: string): string[] => {
      const found = this.onPath(name);
      return found ? [found] : [];
    };
    const installed = this.installed(wanted);
    // A pyenv shim answers slowly (seconds on a busy machine) and only runs the version it has active: with the
    // runtime's version installed, the install itself is asked instead.
    const exact = onPath(`python${wanted}`).filter((path) => installed.length === 0 || !path.startsWith(`${this.pyenvRoot()}/shims/`));
    return [exact, installed, onPath("python3")].flat();
  }

  private home(): string {
    return this.env.HOME?.trim() || homedir();
  }

  private pyenvRoot(): string {
    return this.env.PYENV_ROOT?.trim() || join(this.home(), ".pyenv");
  }

  /** `python3.X` of pyenv's and uv's own installs, which need not be on PATH. */
  private installed(wanted: string): string[] {
    const pyenv = join(this.pyenvRoot(), "versions");
    const uv = this.env.UV_PYTHON_INSTALL_DIR?.trim() || join(this.env.XDG_DATA_HOME?.trim() || join(this.home(), ".local", "share"), "uv", "python");
    const found: string[] = [];
    // pyenv: versions/3.12.1; uv: cpython-3.12.1-linux-x86_64-gnu. Never a free-threaded (`t`) or debug build.
    for (const [dir, pattern] of [
      [pyenv, new RegExp(`^${wanted.replace(".", "\\.")}\\.(\\d+)$`)],
      [uv, new RegExp(`^cpython-${wanted.replace(".", "\\.")}\\.(\\d+)-[^+]*$`)],
    ] as const) {
      let names: string[];
      try {
        names = readdirSync(dir);
      } catch {
        continue;
      }
      const versions = names.flatMap((name) => {
        const patch = pattern.exec(name)?.[1];
        return patch === undefined ? [] : [{ name, patch: Number(patch) }];
      });
      for (const { name } of versions.sort((a, b) => b.patch - a.patch)) {
        const candidate = join(dir, name, "bin", `python${wanted}`);
        if (isExecutable(candidate)) found.push(candidate);
      }
    }
    return found;
  }

  private find(runtime: string): PythonChoice {
    const wanted = versionOf(runtime);
    const explicit = this.env.PIPES_PYTHON?.trim();
    const candidates = this.candidates(runtime);
    if (explicit) {
      const found = this.probe(candidates[0]!);
      const command = found?.executable ?? explicit;
      const version = found?.version ?? null;
      const warning = version === null ? `PIPES_PYTHON=${explicit} did not run (is it a Python interpreter?): ${runtime} functions will fail to start` : null;
      const note = version !== null && version !== wanted ? `${runtime} functions run on Python ${version} (PIPES_PYTHON=${explicit}), not ${wanted} as on Lambda` : null;
      return { command, version, warning, note };
    }
    for (const candidate of candidates) {
      const found = this.probe(candidate);
      if (!found) continue; // e.g. a pyenv shim for a version that is not active
      const { version, executable: command } = found;
      const note =
        version === wanted
          ? null
          : `${runtime} functions run on Python ${version} (${command}), not ${wanted} as on Lambda: install Python ${wanted} (on your PATH, with pyenv or uv), or set PIPES_PYTHON to an interpreter`;
      return { command, version, warning: null, note };
    }
    return { command: "python3", version: null, warning: `no python3 on your PATH: ${runtime} functions will fail to start (set PIPES_PYTHON to an interpreter)`, note: null };
  }

  private probe(command: string): Probe | null {
    if (!this.probed.has(command)) this.probed.set(command, probeNow(command));
    return this.probed.get(command)!;
  }

  private onPath(name: string): string | undefined {
    for (const dir of (this.env.PATH ?? "").split(delimiter)) {
      if (!dir) continue;
      const candidate = join(dir, name);
      if (isExecutable(candidate)) return candidate;
    }
    return undefined;
  }
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
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
