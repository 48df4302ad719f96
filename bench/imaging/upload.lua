-- wrk script: POST each file listed in $BENCH_FILE_LIST once to /instances, the files split between threads.
-- Each thread preloads its share of the files, sends them in order and stops when it has sent them all.
local threads = {}
local counter = 1

function setup(thread)
   thread:set("id", counter)
   table.insert(threads, thread)
   counter = counter + 1
end

function init(args)
   local list = os.getenv("BENCH_FILE_LIST")
   local count = tonumber(os.getenv("BENCH_THREADS") or "4")
   bodies = {}
   local index = 0
   for path in io.lines(list) do
      if index % count == id - 1 then
         local handle = io.open(path, "rb")
         table.insert(bodies, handle:read("*a"))
         handle:close()
      end
      index = index + 1
   end
   next_body = 1
   answered = 0
   failed = 0
end

function request()
   local body = bodies[next_body]
   if body == nil then
      body = bodies[#bodies]
   end
   next_body = next_body + 1
   return wrk.format("POST", "/instances", {["Content-Type"] = "application/dicom"}, body)
end

function response(status, headers, body)
   answered = answered + 1
   if status ~= 200 then
      failed = failed + 1
   end
   if answered >= #bodies then
      wrk.thread:stop()
   end
end

function done(summary, latency, requests)
   local failures = 0
   for _, thread in ipairs(threads) do
      failures = failures + (thread:get("failed") or 0)
   end
   io.write(string.format("BENCH requests=%d seconds=%.3f failures=%d p50_ms=%.2f p99_ms=%.2f\n",
      summary.requests, summary.duration / 1e6, failures, latency:percentile(50) / 1000,
      latency:percentile(99) / 1000))
end
