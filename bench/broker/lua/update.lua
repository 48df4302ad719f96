-- PATCH one attribute of one of the entities the single-create phase made (S1-2 … S1-1001; wrk builds and discards one request per thread at start, so S1-1 is never created).
function init(args)
  counter = 0
end

function request()
  counter = counter + 1
  local id = "S1-" .. ((counter % 1000) + 2)
  local body = '{"temperature":{"value":' .. (counter % 100) .. '}}'
  return wrk.format("PATCH", "/v2/entities/" .. id .. "/attrs?type=Bench", {["Content-Type"] = "application/json"}, body)
end
