-- wrk script for followupd's POST /api/chat.
--   wrk -t2 -c16 -d10s --latency -s bench/chat_bench.lua http://127.0.0.1:PORT/api/chat -- rep1 rep2 …
-- Each rep handle after "--" must own a customer named Bench<handle> (chat_bench.sh seeds them).
-- Nine requests in ten log an interaction (a write: outcome + next follow-up);
-- the tenth asks for `today` (a read). Reps rotate per request.

local threads = {}
local reps = { "rep1" }
local counter = 0
bad = 0       -- non-200 answers (globals: done() reads them through thread:get)
noreply = 0   -- 200 without a "reply" object

function setup(thread)
  thread:set("tid", #threads)
  table.insert(threads, thread)
end

function init(args)
  if #args > 0 then reps = args end
  counter = (tonumber(tid) or 0) * 7919   -- tid: set by setup(); staggers the reps across threads
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
end

local function json_str(s)
  return '"' .. s:gsub('[%c"\\]', function(c) return string.format("\\u%04x", c:byte()) end) .. '"'
end

function request()
  counter = counter + 1
  local rep = reps[(counter % #reps) + 1]
  local text
  if counter % 10 == 0 then
    text = "today"
  else
    text = "log Bench" .. rep .. " call reached bench run " .. counter
  end
  return wrk.format(nil, nil, nil, '{"user":' .. json_str(rep) .. ',"text":' .. json_str(text) .. '}')
end

function response(status, headers, body)
  if status ~= 200 then
    bad = bad + 1
  elseif not body:find('"reply"', 1, true) then
    noreply = noreply + 1
  end
end

function done(summary, latency, requests)
  local b, n = 0, 0
  for _, t in ipairs(threads) do
    b = b + (t:get("bad") or 0)
    n = n + (t:get("noreply") or 0)
  end
  io.write(string.format("bench_check: non200=%d noreply=%d socket_errors=%d\n", b, n,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
