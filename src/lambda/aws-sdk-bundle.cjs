// The entry of dist/cli-bundle/aws-sdk.cjs (scripts/build-cli.mjs): the AWS SDK packages pipes' own clients use
// (sdk.ts), bundled into one file. Each is a getter, so a package's code runs only when a command first asks for
// it (esbuild keeps each bundled CommonJS module's body in a function of its own until its first require).
module.exports = {
  get "@aws-sdk/client-lambda"() {
    return require("@aws-sdk/client-lambda");
  },
  get "@aws-sdk/client-cloudwatch-logs"() {
    return require("@aws-sdk/client-cloudwatch-logs");
  },
  get "@aws-sdk/credential-providers"() {
    return require("@aws-sdk/credential-providers");
  },
  get "@smithy/node-http-handler"() {
    return require("@smithy/node-http-handler");
  },
};
