-- POST /v1/route with one record per request, cycling through the records in RECORDS (one JSON per line).
local records = {}
for line in io.lines(os.getenv("RECORDS")) do records[#records + 1] = line end
local i = 0
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local pace = tonumber(os.getenv("DELAY_MS") or "0")
request = function()
  i = i % #records + 1
  return wrk.format(nil, "/v1/route", nil, records[i])
end
if pace > 0 then
  delay = function() return pace end
end
response = function(status)
  if status ~= 200 then io.stderr:write("status " .. status .. "\n") end
end
