// The load generator of `carkg bench api --peers`: autocannon, the same for every peer. Reads a JSON job on
// stdin — {url, headers, bodies: [string], root, connections, seconds, warmup} — posts a random body of
// `bodies` per request from `connections` closed-loop connections, and prints one JSON line: requests per
// second, latency percentiles (ms), and the answers that failed (non-2xx, socket errors and timeouts, and
// 200s carrying GraphQL errors or an empty `data[root]`).
import autocannon from "autocannon";

const job = JSON.parse(await new Promise((resolve) => {
  let text = "";
  process.stdin.on("data", (chunk) => (text += chunk));
  process.stdin.on("end", () => resolve(text));
}));

let bad = 0;
function check(status, body) {
  if (status !== 200) return;
  try {
    const answer = JSON.parse(body);
    const value = answer.data && answer.data[job.root];
    if (answer.errors || value === null || value === undefined || (Array.isArray(value) && !value.length)) bad++;
  } catch {
    bad++;
  }
}

function run(seconds) {
  return autocannon({
    url: job.url,
    method: "POST",
    headers: { "content-type": "application/json", ...job.headers },
    connections: job.connections,
    duration: seconds,
    requests: [{
      setupRequest: (req) => ({ ...req, body: job.bodies[Math.floor(Math.random() * job.bodies.length)] }),
      onResponse: (status, body) => check(status, body),
    }],
  });
}

if (job.warmup > 0) await run(job.warmup);
bad = 0;
const r = await run(job.seconds);
console.log(JSON.stringify({
  requests: r.requests.total,
  rps: r.requests.total / r.duration,
  p50_ms: r.latency.p50,
  p99_ms: r.latency.p99,
  max_ms: r.latency.max,
  non2xx: r.non2xx,
  errors: r.errors + r.timeouts,
  bad,
}));
