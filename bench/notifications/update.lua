-- PATCH the temperature of one of 1,000 entities N-0 … N-999 of type Notified. Every request writes a value no
-- other request writes (the thread number is part of it), so that every update is a change and notifies.
local threads = 0
function setup(thread)
  thread:set("thread_number", threads)
  threads = threads + 1
end

function init(args)
  counter = 0
end

function request()
  counter = counter + 1
  local id = "N-" .. (counter % 1000)
  local body = '{"temperature":{"value":' .. (counter * 16 + thread_number) .. '}}'
  return wrk.format("PATCH", "/v2/entities/" .. id .. "/attrs?type=Notified", {["Content-Type"] = "application/json"}, body)
end
