// @neo4j/graphql as a peer of carkg's API: the type definitions of typedefs.graphql on Apollo Server, one
// process per worker (node:cluster, like uvicorn's --workers), no authentication. Environment: NEO4J_URI,
// NEO4J_USER, NEO4J_PASSWORD, NEO4J_DATABASE, PORT, WORKERS.
import cluster from "node:cluster";
import { readFileSync } from "node:fs";
import { ApolloServer } from "@apollo/server";
import { startStandaloneServer } from "@apollo/server/standalone";
import { Neo4jGraphQL } from "@neo4j/graphql";
import neo4j from "neo4j-driver";

const workers = Number(process.env.WORKERS || 1);

if (cluster.isPrimary && workers > 1) {
  for (let i = 0; i < workers; i++) cluster.fork();
  cluster.on("exit", (worker, code) => {
    console.error(`worker ${worker.process.pid} exited with ${code}`);
    process.exit(1);
  });
  process.on("SIGTERM", () => {
    for (const worker of Object.values(cluster.workers)) worker.kill("SIGTERM");
    process.exit(0);
  });
} else {
  const typeDefs = readFileSync(new URL("./typedefs.graphql", import.meta.url), "utf8");
  const driver = neo4j.driver(
    process.env.NEO4J_URI,
    neo4j.auth.basic(process.env.NEO4J_USER || "neo4j", process.env.NEO4J_PASSWORD),
    { maxConnectionPoolSize: 100, disableLosslessIntegers: true },
  );
  const schema = await new Neo4jGraphQL({ typeDefs, driver }).getSchema();
  const server = new ApolloServer({ schema });
  const database = process.env.NEO4J_DATABASE || "neo4j";
  const { url } = await startStandaloneServer(server, {
    listen: { port: Number(process.env.PORT), host: "127.0.0.1" },
    context: async () => ({ sessionConfig: { database } }),
  });
  console.log(`ready ${url}`);
}
