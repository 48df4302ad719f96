-- PATCH the temperature of one of 1,000 entities N-0 … N-999 of type Notified, each request another value.
function init(args)
  counter = 0
end

function request()
  counter = counter + 1
  local id = "N-" .. (counter % 1000)
  local body = '{"temperature":{"value":' .. counter .. '}}'
  return wrk.format("PATCH", "/v2/entities/" .. id .. "/attrs?type=Notified", {["Content-Type"] = "application/json"}, body)
end
