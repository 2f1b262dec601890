-- POST /v1/route/batch with BATCH records per request (JSON Lines).
local records = {}
for line in io.lines(os.getenv("RECORDS")) do records[#records + 1] = line end
local size = tonumber(os.getenv("BATCH") or "100")
local bodies = {}
for b = 1, 8 do
  local lines = {}
  for k = 1, size do lines[k] = records[((b - 1) * size + k - 1) % #records + 1] end
  bodies[b] = table.concat(lines, "\n")
end
local i = 0
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-ndjson"
request = function()
  i = i % #bodies + 1
  return wrk.format(nil, "/v1/route/batch", nil, bodies[i])
end
response = function(status)
  if status ~= 200 then io.stderr:write("status " .. status .. "\n") end
end
