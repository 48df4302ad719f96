-- POST /v2/entities, one new entity per request; ids are unique per wrk thread.
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end

function init(args)
  counter = 0
  prefix = "S" .. tid .. "-"
end

function request()
  counter = counter + 1
  local n = counter * 7 + tid
  local body = '{"id":"' .. prefix .. counter .. '","type":"Bench","temperature":{"value":' .. (n % 100) ..
    '},"humidity":{"value":' .. ((n * 13) % 100) .. '},"name":{"value":"sensor"}}'
  return wrk.format("POST", "/v2/entities", {["Content-Type"] = "application/json"}, body)
end
