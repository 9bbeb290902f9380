import { describe, expect, it } from "vitest";
import { closedException } from "../../src/lambda/closed-exception.js";

describe("a closed message's exception", () => {
  it("is named as the runtime names it when the function rethrows it: without the module Python's message gives it", () => {
    expect(closedException({ name: "PipesError", message: "pipes_lambda.PipesError: not partitioned\n" })).toEqual({ errorType: "PipesError", message: "PipesError: not partitioned" });
    // dagster_pipes on Python 3.13+ names the class with its module too.
    expect(closedException({ name: "dagster_pipes.DagsterPipesError", message: "dagster_pipes.DagsterPipesError: x\n" })).toEqual({ errorType: "DagsterPipesError", message: "DagsterPipesError: x" });
    expect(closedException({ name: "BadRows", message: "app.models.BadRows\n" })).toEqual({ errorType: "BadRows", message: "BadRows" });
  });

  it("leaves builtins, Node.js errors and a message that only mentions a module alone", () => {
    expect(closedException({ name: "ValueError", message: "ValueError: bad py\n" })).toEqual({ errorType: "ValueError", message: "ValueError: bad py" });
    expect(closedException({ name: "Error", message: "boom" })).toEqual({ errorType: "Error", message: "boom" });
    expect(closedException({ name: "KeyError", message: "KeyError: 'a.KeyError: b'" })).toEqual({ errorType: "KeyError", message: "KeyError: 'a.KeyError: b'" });
    expect(closedException({ name: null, message: "x" })).toEqual({ errorType: "Exception", message: "x" });
  });
});
