/**
 * Published versions and aliases of the emulator's functions. A version is a frozen copy of `$LATEST` (its code
 * folder and configuration); an alias names a version. Qualifiers (`?Qualifier=`, `name:q`, a qualified ARN) are
 * resolved here to the function configuration that runs. Pure state, no I/O.
 */
import { randomUUID } from "node:crypto";
import { functionArn, LATEST, type RegisteredFunction } from "./registry.js";
import { getOrCreate } from "../util/maps.js";
import { ALIASES_PER_FUNCTION_LIMIT, VERSIONS_PER_FUNCTION_LIMIT } from "../facts/versions.js";

/** An API failure with its HTTP status (the 404s and 409s of versions and aliases). */
export interface QualifierError {
  status: number;
  errorType: string;
  message: string;
}

export interface Alias {
  name: string;
  functionVersion: string;
  description: string;
  revisionId: string;
  /** Accepted and returned; the emulator does not split traffic by its weights (README, Differences to know). */
  routingConfig?: unknown;
}

interface FunctionVersions {
  next: number;
  versions: Map<string, RegisteredFunction>;
  aliases: Map<string, Alias>;
  /** The `$LATEST` revision the last version was published from: publishing it again returns that version. */
  publishedFrom?: { revisionId: string; version: string };
}

/** The key a version's warm sandboxes are pooled under: `name` for `$LATEST`, `name:N` for a version. */
export const poolKey = (fn: RegisteredFunction) => (fn.version ? `${fn.name}:${fn.version}` : fn.name);

const notFound = (name: string, qualifier: string): QualifierError => ({
  status: 404,
  errorType: "ResourceNotFoundException",
  message: `Function not found: ${functionArn(name)}:${qualifier}`,
});

/** Lambda's alias names: letters, digits, `-`, `_`, 1–128 characters, not all digits. */
export function invalidAliasName(name: unknown): QualifierError | null {
  if (typeof name === "string" && /^[a-zA-Z0-9_-]{1,128}$/.test(name) && !/^[0-9]+$/.test(name)) return null;
  return {
    status: 400,
    errorType: "ValidationException",
    message: `1 validation error detected: Value '${String(name).slice(0, 140)}' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: (?!^[0-9]+$)([a-zA-Z0-9-_]+)`,
  };
}

export class Versions {
  private readonly byFunction = new Map<string, FunctionVersions>();

  private of(name: string): FunctionVersions {
    return getOrCreate(this.byFunction, name, () => ({ next: 1, versions: new Map(), aliases: new Map() }));
  }

  /** PublishVersion: freezes `$LATEST` as the next version, or returns the last one when nothing changed since. */
  publish(fn: RegisteredFunction, body: Record<string, unknown>): RegisteredFunction | QualifierError {
    if (typeof body.CodeSha256 === "string" && body.CodeSha256 !== fn.codeSha256) {
      return {
        status: 400,
        errorType: "InvalidParameterValueException",
        message: `CodeSHA256 (${body.CodeSha256.slice(0, 64)}) is different from current CodeSHA256 in $LATEST (${fn.codeSha256}). Please try again with the current CodeSHA256.`,
      };
    }
    if (typeof body.RevisionId === "string" && body.RevisionId !== fn.revisionId) {
      return { status: 412, errorType: "PreconditionFailedException", message: "The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id" };
    }
    const entry = this.of(fn.name);
    const same = entry.publishedFrom?.revisionId === fn.revisionId ? entry.versions.get(entry.publishedFrom.version) : undefined;
    if (same) return same;
    if (entry.versions.size >= VERSIONS_PER_FUNCTION_LIMIT) {
      return {
        status: 400,
        errorType: "InvalidParameterValueException",
        message: `${fn.name} has ${VERSIONS_PER_FUNCTION_LIMIT} versions, the emulator's limit: delete some (DeleteFunction with Qualifier) before publishing another`,
      };
    }
    const version = String(entry.next++);
    const frozen: RegisteredFunction = {
      ...fn,
      environment: { ...fn.environment },
      version,
      arn: `${functionArn(fn.name)}:${version}`,
      description: typeof body.Description === "string" ? body.Description.slice(0, 256) : fn.description,
      revisionId: randomUUID(),
    };
    entry.versions.set(version, frozen);
    entry.publishedFrom = { revisionId: fn.revisionId, version };
    return frozen;
  }

  /** The published versions of a function, oldest first. */
  list(name: string): RegisteredFunction[] {
    return [...(this.byFunction.get(name)?.versions.values() ?? [])];
  }

  version(name: string, version: string): RegisteredFunction | undefined {
    return this.byFunction.get(name)?.versions.get(version);
  }

  /** Whether any version runs from this code folder (so replacing `$LATEST`'s code must keep it). */
  uses(codeRoot: string): boolean {
    for (const entry of this.byFunction.values()) for (const fn of entry.versions.values()) if (fn.codeRoot === codeRoot) return true;
    return false;
  }

  /**
   * What a qualifier runs: `$LATEST` (or none) is the function itself, a number a version, else an alias's version.
   * `alias` is set when it was an alias.
   */
  resolve(latest: RegisteredFunction, qualifier: string | undefined): { fn: RegisteredFunction; alias?: Alias } | QualifierError {
    if (qualifier === undefined || qualifier === LATEST) return { fn: latest };
    const entry = this.byFunction.get(latest.name);
    if (/^[0-9]+$/.test(qualifier)) {
      const fn = entry?.versions.get(qualifier);
      return fn ? { fn } : notFound(latest.name, qualifier);
    }
    const alias = entry?.aliases.get(qualifier);
    const fn = alias ? this.resolveAliasVersion(latest, alias) : undefined;
    return fn && alias ? { fn, alias } : notFound(latest.name, qualifier);
  }

  private resolveAliasVersion(latest: RegisteredFunction, alias: Alias): RegisteredFunction | undefined {
    return alias.functionVersion === LATEST ? latest : this.byFunction.get(latest.name)?.versions.get(alias.functionVersion);
  }

  /** DeleteFunction with a version qualifier. */
  deleteVersion(name: string, qualifier: string): RegisteredFunction | QualifierError {
    if (qualifier === LATEST) {
      return { status: 400, errorType: "InvalidParameterValueException", message: "$LATEST version cannot be deleted without deleting the function." };
    }
    const entry = this.byFunction.get(name);
    if (entry?.aliases.has(qualifier)) {
      return { status: 400, errorType: "InvalidParameterValueException", message: "Deletion of aliases is not supported via DeleteFunction; use DeleteAlias." };
    }
    const fn = entry?.versions.get(qualifier);
    if (!entry || !fn) return notFound(name, qualifier);
    const using = [...entry.aliases.values()].filter((a) => a.functionVersion === qualifier).map((a) => a.name);
    if (using.length > 0) {
      return { status: 409, errorType: "ResourceConflictException", message: `Unable to delete version because the following aliases reference it: [${using.join(", ")}]` };
    }
    entry.versions.delete(qualifier);
    return fn;
  }

  /** DeleteFunction: every version and alias goes with the function; returns the versions, to retire their sandboxes. */
  deleteFunction(name: string): RegisteredFunction[] {
    const gone = this.list(name);
    this.byFunction.delete(name);
    return gone;
  }

  aliases(name: string, functionVersion?: string): Alias[] {
    const all = [...(this.byFunction.get(name)?.aliases.values() ?? [])];
    return all.filter((a) => functionVersion === undefined || a.functionVersion === functionVersion).sort((a, b) => a.name.localeCompare(b.name));
  }

  alias(name: string, aliasName: string): Alias | undefined {
    return this.byFunction.get(name)?.aliases.get(aliasName);
  }

  /** CreateAlias (no `existing`) or UpdateAlias: checks the version exists, then keeps the alias. */
  putAlias(latest: RegisteredFunction, aliasName: string, body: Record<string, unknown>, existing?: Alias): Alias | QualifierError {
    const entry = this.of(latest.name);
    if (!existing && entry.aliases.has(aliasName)) {
      return { status: 409, errorType: "ResourceConflictException", message: `Alias already exists: ${functionArn(latest.name)}:${aliasName}` };
    }
    if (!existing && entry.aliases.size >= ALIASES_PER_FUNCTION_LIMIT) {
      return { status: 400, errorType: "InvalidParameterValueException", message: `${latest.name} has ${ALIASES_PER_FUNCTION_LIMIT} aliases, the emulator's limit` };
    }
    if (typeof body.RevisionId === "string" && existing && body.RevisionId !== existing.revisionId) {
      return { status: 412, errorType: "PreconditionFailedException", message: "The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id" };
    }
    const functionVersion = typeof body.FunctionVersion === "string" ? body.FunctionVersion : existing?.functionVersion;
    if (functionVersion === undefined) {
      return { status: 400, errorType: "InvalidParameterValueException", message: "Missing or invalid: FunctionVersion" };
    }
    if (functionVersion !== LATEST && !entry.versions.has(functionVersion)) return notFound(latest.name, functionVersion);
    const description = typeof body.Description === "string" ? body.Description.slice(0, 256) : (existing?.description ?? "");
    const routingConfig = body.RoutingConfig !== undefined ? body.RoutingConfig : existing?.routingConfig;
    const alias: Alias = { name: aliasName, functionVersion, description, revisionId: randomUUID(), ...(routingConfig ? { routingConfig } : {}) };
    entry.aliases.set(aliasName, alias);
    return alias;
  }

  deleteAlias(name: string, aliasName: string): boolean {
    return this.byFunction.get(name)?.aliases.delete(aliasName) ?? false;
  }
}

/** The AliasConfiguration shape the SDK parses. */
export function aliasConfiguration(functionName: string, alias: Alias): Record<string, unknown> {
  return {
    AliasArn: `${functionArn(functionName)}:${alias.name}`,
    Name: alias.name,
    FunctionVersion: alias.functionVersion,
    Description: alias.description,
    RevisionId: alias.revisionId,
    ...(alias.routingConfig ? { RoutingConfig: alias.routingConfig } : {}),
  };
}
