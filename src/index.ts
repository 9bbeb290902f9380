/**
 * The module a definitions file imports (`import { defineDefinitions } from "lambda-pipes"`). Keep it light:
 * it is loaded on every command that reads a defs file.
 */
export { defineDefinitions } from "./defs/types.js";
export type {
  AssetDefinition,
  AssetRunArgs,
  CredentialsInput,
  Definitions,
  FunctionDefinition,
  LambdaResourceDefinition,
  ProfileDefinition,
  Runtime,
} from "./defs/types.js";
export type { PipesContextData } from "./protocol/context.js";
