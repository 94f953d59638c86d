-- wrk script: spreads requests over the URL paths listed in a file, one per line, and prints
-- one machine-readable RESULT line at the end.
-- Usage: wrk ... -s bench/wrk_paths.lua URL -- PATHS_FILE
-- Each wrk thread starts at its own offset in the list and walks it round-robin, so every
-- path is asked for about equally often. Headers given with -H are sent with every request.

local threads = {}
local next_id = 0

function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

local paths = {}
local cursor = 0

function init(args)
  local file = assert(io.open(args[1], "r"), "cannot open the paths file")
  for line in file:lines() do
    if #line > 0 then paths[#paths + 1] = line end
  end
  file:close()
  assert(#paths > 0, "the paths file is empty")
  cursor = (id * 7919) % #paths
end

function request()
  cursor = cursor % #paths + 1
  return wrk.format(nil, paths[cursor])
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d duration_us=%d bytes=%d connect_errors=%d read_errors=%d " ..
    "write_errors=%d timeouts=%d non2xx=%d p50_us=%d p99_us=%d max_us=%d\n",
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.timeout,
    e.status, latency:percentile(50), latency:percentile(99), latency.max))
end
