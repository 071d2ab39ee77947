"""The peers `carkg bench api --peers` measures carkg against, on the same graph and with the same load: a bare
Starlette + neo4j async driver endpoint (`bare`) and `@neo4j/graphql` on Node (`node/`)."""
