-- A storm of sign-ins with the right passwords of the demo sellers, each
-- request from its own client address (through the trusted proxy's
-- X-Forwarded-For), so neither the flood guard nor a limit answers before
-- argon2 runs. BENCH_ORIGIN and DEMO_PASSWORD come from the environment.
-- All demo accounts with the bench password (see server/src/seed.rs), so
-- that few sign-ins for one account are in flight at once.
local ids = { "admin@naikkelas.id", "staf@naikkelas.id", "pelatih@naikkelas.id", "0812 0000 0001" }
for i = 0, 23 do
  if i % 2 == 0 then
    ids[#ids + 1] = string.format("0813 %04d %04d", 1000 + i, 2000 + i)
  else
    ids[#ids + 1] = string.format("penjual%d@contoh.id", i + 1)
  end
end
local origin = os.getenv("BENCH_ORIGIN")
local password = os.getenv("DEMO_PASSWORD")
local n = 0
local threads = {}
statuses = {}

setup = function(thread)
  thread:set("id", #threads)
  threads[#threads + 1] = thread
end

init = function()
  math.randomseed(os.time() + id * 7919)
end

response = function(status)
  statuses[status] = (statuses[status] or 0) + 1
end

done = function()
  local total = {}
  for _, t in ipairs(threads) do
    for status, count in pairs(t:get("statuses")) do
      total[status] = (total[status] or 0) + count
    end
  end
  for status, count in pairs(total) do
    io.write(string.format("status %d: %d\n", status, count))
  end
end

local function encode(s)
  return (s:gsub("[^%w%-_%.~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

request = function()
  n = n + 1
  local id = ids[(n % #ids) + 1]
  local ip = string.format("198.18.%d.%d", math.random(0, 255), math.random(1, 254))
  local body = "identifier=" .. encode(id) .. "&password=" .. encode(password)
  return wrk.format("POST", "/api/accounts/login", {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Accept"] = "application/json",
    ["Origin"] = origin,
    ["X-Forwarded-For"] = ip,
  }, body)
end
