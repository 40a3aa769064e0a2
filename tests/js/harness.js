// What every node runner of the search tests shares: the site's scripts, a search/ folder
// read from disk as engine.js asks for its files, and JSON in on stdin, JSON out on stdout.
"use strict";
const fs = require("fs");
const path = require("path");

/** lunr.js (its warnings silenced), tokenizer.js and engine.js of ``jsDir``. */
function scripts(jsDir) {
  const lunr = require(path.join(jsDir, "lunr.js"));
  lunr.utils.warn = () => {};
  return { lunr, T: require(path.join(jsDir, "tokenizer.js")), G: require(path.join(jsDir, "engine.js")) };
}

/** A file of ``searchDir`` by the name engine.js asks for (its ?v= dropped), parsed. */
function reader(searchDir) {
  return (p) => JSON.parse(fs.readFileSync(path.join(searchDir, p.split("?")[0]), "utf8"));
}

/** A fresh engine over ``searchDir`` (a cold page); ``load`` may replace how it reads a file. */
function engineOver(s, searchDir, load) {
  const read = reader(searchDir);
  return s.G.create({ lunr: s.lunr, tokenizer: s.T, load: load || ((p) => Promise.resolve(read(p))) });
}

/** stdin parsed as JSON and handed to ``fn``; what it returns (or resolves to) goes to stdout as JSON. */
function run(fn) {
  let input = "";
  process.stdin.setEncoding("utf8");
  process.stdin.on("data", (c) => { input += c; });
  process.stdin.on("end", async () => { process.stdout.write(JSON.stringify(await fn(JSON.parse(input)))); });
}

module.exports = { scripts, reader, engineOver, run };
