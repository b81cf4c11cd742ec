-- Basic-auth creates through the simple API: GET /api/simple/?format=json&q=<varying text>.
-- Environment: BENCH_AUTH (the Authorization header value), BENCH_PATH (default /api/simple/).
local auth = os.getenv("BENCH_AUTH")
local base = os.getenv("BENCH_PATH") or "/api/simple/"
local words = {"lunch", "taxi", "coffee", "dinner+with+jim", "parking", "hotel"}
local counter = 0

function setup(thread)
  thread:set("tid", math.random(1, 1000000))
end

function init(args)
  math.randomseed(os.time() + (tid or 0))
  wrk.headers["Authorization"] = auth
end

function request()
  counter = counter + 1
  local q = words[counter % #words + 1] .. "+" .. math.random(1, 500) .. "." .. string.format("%02d", counter % 100)
    .. "+bench+note+" .. counter .. "+%23wrk"
  return wrk.format("GET", base .. "?format=json&q=" .. q)
end
