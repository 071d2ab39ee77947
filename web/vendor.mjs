// Copies the pinned third-party files (GraphiQL, React, Cytoscape.js, Pico CSS) the carkg pages load into the Python package's static folder,
// so GraphiQL and the steward page work with no internet. Run by `make install` after `npm ci`.
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, "..", "src", "carkg", "web", "static", "vendor");

const files = {
  "react.production.min.js": "react/umd/react.production.min.js",
  "react-dom.production.min.js": "react-dom/umd/react-dom.production.min.js",
  "graphiql.min.js": "graphiql/graphiql.min.js",
  "graphiql.min.css": "graphiql/graphiql.min.css",
  "graphiql-plugin-explorer.umd.js": "@graphiql/plugin-explorer/dist/index.umd.js",
  "graphiql-plugin-explorer.css": "@graphiql/plugin-explorer/dist/style.css",
  "cytoscape.min.js": "cytoscape/dist/cytoscape.min.js",
  "pico.min.css": "@picocss/pico/css/pico.min.css",
};

mkdirSync(out, { recursive: true });
const versions = {};
for (const [name, source] of Object.entries(files)) {
  copyFileSync(join(here, "node_modules", source), join(out, name));
  const pkg = source.startsWith("@") ? source.split("/").slice(0, 2).join("/") : source.split("/")[0];
  versions[pkg] = JSON.parse(readFileSync(join(here, "node_modules", pkg, "package.json"), "utf8")).version;
}
writeFileSync(join(out, "versions.json"), JSON.stringify({ files, versions }, null, 2) + "\n");
console.log(`vendored ${Object.keys(files).length} files into ${out}`);
