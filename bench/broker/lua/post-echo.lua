-- The baseline's POST: a body of the size of an attribute update.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"temperature":{"value":42}}'
