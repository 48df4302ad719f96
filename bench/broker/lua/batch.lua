-- POST /v2/op/update (append), 100 new entities per request; ids are unique per wrk thread.
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end

function init(args)
  counter = 0
  prefix = "B" .. tid .. "-"
end

function request()
  local items = {}
  for i = 1, 100 do
    counter = counter + 1
    local n = counter * 7 + tid
    items[i] = '{"id":"' .. prefix .. counter .. '","type":"Bench","temperature":{"value":' .. (n % 100) ..
      '},"humidity":{"value":' .. ((n * 13) % 100) .. '},"name":{"value":"sensor"}}'
  end
  local body = '{"actionType":"append","entities":[' .. table.concat(items, ",") .. ']}'
  return wrk.format("POST", "/v2/op/update", {["Content-Type"] = "application/json"}, body)
end
