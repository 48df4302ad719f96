-- POST one subscription per request (the broker gives each its own id), on entities that are never written.
local body = '{"subject":{"entities":[{"idPattern":"^M-","type":"Memory"}],"condition":{"attrs":["temperature"]}},' ..
  '"notification":{"http":{"url":"http://127.0.0.1:9/none"},"attrs":["temperature"]}}'
function request()
  return wrk.format("POST", "/v2/subscriptions", {["Content-Type"] = "application/json"}, body)
end
