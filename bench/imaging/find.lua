-- wrk script: POST the JSON in $BENCH_FIND_BODY to /tools/find.
function init(args)
   body = os.getenv("BENCH_FIND_BODY")
end

function request()
   return wrk.format("POST", "/tools/find", {["Content-Type"] = "application/json"}, body)
end

function done(summary, latency, requests)
   io.write(string.format("BENCH requests=%d seconds=%.3f errors=%d p50_ms=%.2f p99_ms=%.2f\n",
      summary.requests, summary.duration / 1e6, summary.errors.status, latency:percentile(50) / 1000,
      latency:percentile(99) / 1000))
end
