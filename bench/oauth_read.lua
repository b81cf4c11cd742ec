-- OAuth 1.0a-signed reads (HMAC-SHA1, a fresh nonce and signature per request) of single expenses.
-- wrk's LuaJIT has no HMAC, so SHA-1, HMAC and base64 are implemented here with the `bit` module.
-- Environment: BENCH_ORIGIN (http://127.0.0.1:PORT), BENCH_PATH, BENCH_IDS "first:step:count",
-- BENCH_OAUTH "consumer_key:consumer_secret:token:token_secret".
local bit = require("bit")
local band, bor, bxor, bnot, lshift, rshift, rol, tobit =
  bit.band, bit.bor, bit.bxor, bit.bnot, bit.lshift, bit.rshift, bit.rol, bit.tobit

local function be32(h)
  return string.char(band(rshift(h, 24), 255), band(rshift(h, 16), 255), band(rshift(h, 8), 255), band(h, 255))
end

function sha1(msg)
  local h0, h1, h2, h3, h4 = tobit(0x67452301), tobit(0xEFCDAB89), tobit(0x98BADCFE), tobit(0x10325476),
    tobit(0xC3D2E1F0)
  local ml = #msg * 8
  msg = msg .. "\128" .. string.rep("\0", (55 - #msg) % 64) .. "\0\0\0\0" .. be32(ml)
  local w = {}
  for chunk = 1, #msg, 64 do
    for i = 0, 15 do
      local a, b, c, d = msg:byte(chunk + i * 4, chunk + i * 4 + 3)
      w[i] = bor(lshift(a, 24), lshift(b, 16), lshift(c, 8), d)
    end
    for i = 16, 79 do w[i] = rol(bxor(w[i - 3], w[i - 8], w[i - 14], w[i - 16]), 1) end
    local a, b, c, d, e = h0, h1, h2, h3, h4
    for i = 0, 79 do
      local f, k
      if i < 20 then f = bor(band(b, c), band(bnot(b), d)); k = 0x5A827999
      elseif i < 40 then f = bxor(b, c, d); k = 0x6ED9EBA1
      elseif i < 60 then f = bor(band(b, c), band(b, d), band(c, d)); k = 0x8F1BBCDC
      else f = bxor(b, c, d); k = 0xCA62C1D6 end
      local temp = tobit(rol(a, 5) + f + e + k + w[i])
      e = d; d = c; c = rol(b, 30); b = a; a = temp
    end
    h0, h1, h2, h3, h4 = tobit(h0 + a), tobit(h1 + b), tobit(h2 + c), tobit(h3 + d), tobit(h4 + e)
  end
  return be32(h0) .. be32(h1) .. be32(h2) .. be32(h3) .. be32(h4)
end

function hmac_sha1(key, msg)
  if #key > 64 then key = sha1(key) end
  key = key .. string.rep("\0", 64 - #key)
  local ipad = key:gsub(".", function(c) return string.char(bxor(c:byte(), 0x36)) end)
  local opad = key:gsub(".", function(c) return string.char(bxor(c:byte(), 0x5c)) end)
  return sha1(opad .. sha1(ipad .. msg))
end

local b64chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
function base64(data)
  local out = {}
  for i = 1, #data, 3 do
    local a, b, c = data:byte(i, i + 2)
    local n = lshift(a, 16) + lshift(b or 0, 8) + (c or 0)
    local s = {}
    for j = 3, 0, -1 do
      local idx = band(rshift(n, j * 6), 63) + 1
      s[#s + 1] = b64chars:sub(idx, idx)
    end
    if not b then s[3] = "="; s[4] = "=" elseif not c then s[4] = "=" end
    out[#out + 1] = table.concat(s)
  end
  return table.concat(out)
end

function enc(s)
  return (tostring(s):gsub("[^A-Za-z0-9%-%._~]", function(c) return string.format("%%%02X", c:byte()) end))
end

function oauth_header(method, url, ck, cs, tk, ts, nonce, timestamp)
  local params = {
    {"oauth_consumer_key", ck}, {"oauth_nonce", nonce}, {"oauth_signature_method", "HMAC-SHA1"},
    {"oauth_timestamp", timestamp}, {"oauth_token", tk}, {"oauth_version", "1.0"},
  }
  local pairs_ = {}
  for _, p in ipairs(params) do pairs_[#pairs_ + 1] = enc(p[1]) .. "=" .. enc(p[2]) end
  table.sort(pairs_)
  local base_string = method .. "&" .. enc(url) .. "&" .. enc(table.concat(pairs_, "&"))
  local signature = base64(hmac_sha1(enc(cs) .. "&" .. enc(ts), base_string))
  local parts = {}
  for _, p in ipairs(params) do parts[#parts + 1] = p[1] .. '="' .. enc(p[2]) .. '"' end
  parts[#parts + 1] = 'oauth_signature="' .. enc(signature) .. '"'
  return 'OAuth realm="", ' .. table.concat(parts, ", ")
end

local origin = os.getenv("BENCH_ORIGIN") or "http://127.0.0.1:8000"
local base = os.getenv("BENCH_PATH") or "/api/v1.0/expense/"
local first, step, count = string.match(os.getenv("BENCH_IDS") or "10:10:1000", "(%d+):(%d+):(%d+)")
first, step, count = tonumber(first), tonumber(step), tonumber(count)
local ck, cs, tk, ts = string.match(os.getenv("BENCH_OAUTH") or "a:b:c:d", "([^:]*):([^:]*):([^:]*):([^:]*)")
local counter = 0

function setup(thread)
  thread:set("tid", math.random(1, 1000000000))
end

function init(args)
  math.randomseed(os.time() + (tid or 0))
end

function request()
  counter = counter + 1
  local path = base .. (first + step * math.random(0, count - 1))
  local nonce = string.format("%d%d%d", tid or 0, counter, math.random(1, 1000000000))
  local header = oauth_header("GET", origin .. path, ck, cs, tk, ts, nonce, tostring(os.time()))
  return wrk.format("GET", path, {["Authorization"] = header})
end
