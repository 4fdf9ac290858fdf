local chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args)
  math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))
  c401 = 0; c429 = 0; other = 0
end
function request()
  local t = {}
  for i = 1, 43 do local n = math.random(1, 64); t[i] = chars:sub(n, n) end
  return wrk.format("GET", "/v1/brands/acme/channels", { ["Authorization"] = "Bearer sck_" .. table.concat(t) })
end
function response(status, headers, body)
  if status == 401 then c401 = c401 + 1 elseif status == 429 then c429 = c429 + 1 else other = other + 1 end
end
function done(summary, latency, requests)
  local a, b, c = 0, 0, 0
  for _, t in ipairs(threads) do a = a + t:get("c401"); b = b + t:get("c429"); c = c + t:get("other") end
  print(string.format("401 unauthenticated: %d, 429 rate-limited: %d, other: %d", a, b, c))
end
