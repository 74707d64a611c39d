-- wrk script for bench/peers/run.sh.
--
--   wrk -t2 -c32 -d10s --latency -s bench/peers/peers.lua URL -- MODE NONCE SECRET USERS ID_BASE
--
-- MODE      telegram  POST a Telegram update: a private-chat text message "today"
--                     with the header X-Telegram-Bot-Api-Secret-Token: SECRET
--           slack     POST a Slack event_callback with a `message` event in a
--                     direct message (channel_type "im") saying "today", signed
--                     v0 with SECRET (X-Slack-Signature, X-Slack-Request-Timestamp
--                     of the moment the request is built)
-- NONCE     a number that the caller makes different for every wrk run; update
--           ids are NONCE*10^7 + thread*10^6 + n and event ids Ev<NONCE>T<thread>N<n>,
--           so no two requests of a run, nor of two runs, repeat an id
-- USERS     senders rotate over USERS linked users: Telegram ids ID_BASE+1..ID_BASE+USERS,
--           Slack ids U<ID_BASE+1>..U<ID_BASE+USERS>
--
-- The v0 signature is HMAC-SHA256 computed by OpenSSL's HMAC() through LuaJIT's
-- FFI: wrk itself links libcrypto, so the symbol is already in the process.
--
-- done() prints one machine-readable line:
--   peers_result: requests=N duration_us=N rps=F p50_us=N p99_us=N non2xx=N socket_errors=N
-- non2xx is wrk's errors.status (answers with a status of 400 or more; none of
-- the targets redirects).

local ffi = require("ffi")

ffi.cdef [[
typedef struct evp_md_st EVP_MD;
const EVP_MD *EVP_sha256(void);
unsigned char *HMAC(const EVP_MD *evp_md, const void *key, int key_len,
                    const unsigned char *d, size_t n, unsigned char *md, unsigned int *md_len);
]]

local md = ffi.new("unsigned char[32]")
local md_len = ffi.new("unsigned int[1]")
local hex = {}
for i = 0, 255 do hex[i] = string.format("%02x", i) end

-- HMAC-SHA256(key, data) as 64 lowercase hex digits.
local function hmac_sha256_hex(key, data)
  if ffi.C.HMAC(ffi.C.EVP_sha256(), key, #key, data, #data, md, md_len) == nil then
    error("HMAC() failed")
  end
  local out = {}
  for i = 0, tonumber(md_len[0]) - 1 do out[#out + 1] = hex[md[i]] end
  return table.concat(out)
end

-- RFC 4231, test case 2: a wrong HMAC would make every Slack request a 401.
assert(hmac_sha256_hex("Jefe", "what do ya want for nothing?") ==
  "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843", "HMAC-SHA256 self-test failed")

local threads = {}
local mode, nonce, secret, users, id_base = "telegram", 1, "", 1, 0
local counter = 0

function setup(thread)
  thread:set("tid", #threads)
  table.insert(threads, thread)
end

function init(args)
  mode = args[1]
  nonce = tonumber(args[2] or "1")
  secret = args[3] or ""
  users = tonumber(args[4] or "1")
  id_base = tonumber(args[5] or "0")
  assert(mode == "telegram" or mode == "slack", "MODE must be telegram or slack, not " .. tostring(mode))
  assert(nonce and nonce >= 1 and nonce < 100000000, "NONCE must be 1..99999999")
  assert(users and users >= 1, "USERS must be >= 1")
  tid = tonumber(tid) or 0
  assert(tid < 10, "at most 10 threads")
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
end

local function telegram()
  local id = string.format("%.0f", nonce * 1e7 + tid * 1e6 + counter)
  local user = string.format("%.0f", id_base + counter % users + 1)
  local body = '{"update_id":' .. id .. ',"message":{"message_id":' .. id ..
    ',"date":' .. os.time() .. ',"text":"today","from":{"id":' .. user ..
    ',"is_bot":false,"first_name":"Rep ' .. user .. '"},"chat":{"id":' .. user ..
    ',"type":"private","first_name":"Rep ' .. user .. '"}}}'
  return wrk.format(nil, nil, { ["X-Telegram-Bot-Api-Secret-Token"] = secret }, body)
end

local function slack()
  local user = string.format("U%.0f", id_base + counter % users + 1)
  local now = os.time()
  local event_id = string.format("Ev%dT%dN%d", nonce, tid, counter)
  local ts = string.format("%d.%06d", now, counter % 1000000)
  local body = '{"token":"bench","team_id":"TBENCH","api_app_id":"ABENCH","type":"event_callback",' ..
    '"event_id":"' .. event_id .. '","event_time":' .. now ..
    ',"event":{"type":"message","channel_type":"im","channel":"D' .. user:sub(2) ..
    '","user":"' .. user .. '","text":"today","ts":"' .. ts .. '","event_ts":"' .. ts .. '"}}'
  local stamp = tostring(now)
  local signature = "v0=" .. hmac_sha256_hex(secret, "v0:" .. stamp .. ":" .. body)
  return wrk.format(nil, nil, {
    ["X-Slack-Request-Timestamp"] = stamp,
    ["X-Slack-Signature"] = signature,
  }, body)
end

function request()
  counter = counter + 1
  if counter >= 1000000 then error("more than 10^6 requests on one thread: ids would repeat") end
  if mode == "slack" then return slack() end
  return telegram()
end

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format(
    "peers_result: requests=%d duration_us=%d rps=%.1f p50_us=%d p99_us=%d non2xx=%d socket_errors=%d\n",
    summary.requests, summary.duration, summary.requests / seconds,
    latency:percentile(50), latency:percentile(99), e.status, e.connect + e.read + e.write + e.timeout))
end
