-- wrk script: GET $BENCH_PATH_FORMAT (e.g. "/instances/%s/file") for IDs read from $BENCH_ID_LIST, at random.
function init(args)
   ids = {}
   for line in io.lines(os.getenv("BENCH_ID_LIST")) do
      table.insert(ids, line)
   end
   format = os.getenv("BENCH_PATH_FORMAT")
   math.randomseed(os.time() + (id or 0))
end

function request()
   return wrk.format("GET", string.format(format, ids[math.random(#ids)]))
end

function done(summary, latency, requests)
   io.write(string.format("BENCH requests=%d seconds=%.3f errors=%d p50_ms=%.2f p99_ms=%.2f\n",
      summary.requests, summary.duration / 1e6, summary.errors.status, latency:percentile(50) / 1000,
      latency:percentile(99) / 1000))
end
