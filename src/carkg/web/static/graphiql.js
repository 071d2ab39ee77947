// GraphiQL from the package's own files: the endpoint is this page's URL, the Headers tab starts with
// the token hint, and the first query is an example operation from graphql/.
(function () {
  "use strict";
  const defaults = JSON.parse(document.getElementById("graphiql-defaults").textContent);
  const url = window.location.href.split("?")[0];
  const ws = new URL(url);
  ws.protocol = ws.protocol === "https:" ? "wss:" : "ws:";
  const fetcher = GraphiQL.createFetcher({ url, subscriptionUrl: ws.toString() });
  const explorer = GraphiQLPluginExplorer.explorerPlugin();
  const root = ReactDOM.createRoot(document.getElementById("graphiql"));
  root.render(React.createElement(GraphiQL, {
    fetcher,
    plugins: [explorer],
    defaultQuery: defaults.query,
    defaultHeaders: defaults.headers,
    defaultEditorToolsVisibility: "headers",
    isHeadersEditorEnabled: true,
    shouldPersistHeaders: true,
    inputValueDeprecation: true,
  }));
})();
