// Optic 1.0.9's breaking-change checks ("breaking-changes" standard ruleset, what
// `optic diff OLD NEW --check` runs) over many spec pairs in one Node process: starting
// the CLI once per pair costs seconds, this costs milliseconds per pair.
//
//   node tools/optic/check.js < pairs.json     # [[old, new], ...] -> JSON on stdout
//
// Output: [{old, new, failed: [{rule, message, path}]}], one entry per pair, where
// `failed` lists every check Optic reports as a breaking change. Uses Optic's own spec
// loader, rule runner and comparison (the functions its `diff` command calls).
"use strict";
process.env.OPTIC_TELEMETRY_LEVEL = "off";
const fs = require("fs");
const path = require("path");
const io = require("@useoptic/openapi-io");
const { generateRuleRunner } = require("@useoptic/optic/build/commands/diff/generate-rule-runner");
const { compareSpecs } = require("@useoptic/openapi-utilities");

// What the CLI's loader does for a file (parse with a source map, denormalize), minus
// its schema validation of the document, which compiles a validator on every call and
// decides nothing here (the specs are valid; our own loader checks them too).
async function load(file) {
  const parsed = await io.parseOpenAPIWithSourcemap(path.resolve(file), { externalRefHeaders: [] });
  const version = io.checkOpenAPIVersion(parsed.jsonLike);
  const spec = { ...parsed, version, from: "file", isEmptySpec: false, context: null };
  return io.denormalize(spec, version, []);
}

async function main() {
  const pairs = JSON.parse(fs.readFileSync(0, "utf8"));
  const config = { root: process.cwd(), client: null };
  const out = [];
  const runners = new Map(); // one rule runner per OpenAPI version, as the CLI would make
  for (const [oldPath, newPath] of pairs) {
    const base = await load(oldPath);
    const head = await load(newPath);
    if (!runners.has(base.version)) {
      const made = await generateRuleRunner({ config, specVersion: base.version }, true);
      runners.set(base.version, made.runner);
    }
    const runner = runners.get(base.version);
    const results = await compareSpecs(base, head, runner, {});
    const failed = results.results
      .filter((r) => !r.passed && !r.exempted)
      .map((r) => ({
        rule: r.name,
        message: r.error || "",
        path: (r.location && r.location.jsonPath) || "",
      }));
    out.push({ old: oldPath, new: newPath, failed });
  }
  process.stdout.write(JSON.stringify(out));
}

main().catch((err) => {
  process.stderr.write(String((err && err.stack) || err) + "\n");
  process.exit(1);
});
