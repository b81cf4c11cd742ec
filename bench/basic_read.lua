-- Basic-auth reads of single expenses: GET <BENCH_PATH><id>, ids drawn from BENCH_IDS "first:step:count".
-- BENCH_IDS "none": GET <BENCH_PATH> as it is (delta sync).
local auth = os.getenv("BENCH_AUTH")
local base = os.getenv("BENCH_PATH") or "/api/v1.0/expense/"
local fixed = os.getenv("BENCH_IDS") == "none"
local first, step, count = string.match(os.getenv("BENCH_IDS") or "10:10:1000", "(%d+):(%d+):(%d+)")
first, step, count = tonumber(first), tonumber(step), tonumber(count)

function setup(thread)
  thread:set("tid", math.random(1, 1000000))
end

function init(args)
  math.randomseed(os.time() + (tid or 0))
  if auth and auth ~= "" then wrk.headers["Authorization"] = auth end
end

function request()
  if fixed then return wrk.format("GET", base) end
  return wrk.format("GET", base .. (first + step * math.random(0, count - 1)))
end
