-- Stores a job unless a final one is already stored: a finished job never changes, so a
-- late running state from a slow replica cannot replace it. Values start with a marker,
-- 'T' (final) or 'R' (running), then the job as JSON.
-- KEYS[1] job key; ARGV[1] marked job; ARGV[2] retention in ms (from the first write)
-- Returns {stored value, 1 if this write made the job final else 0}
local current = redis.call('GET', KEYS[1])
if current and string.sub(current, 1, 1) == 'T' then
  return {current, 0}
end
if current then
  redis.call('SET', KEYS[1], ARGV[1], 'KEEPTTL')
else
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
end
local finished = 0
if string.sub(ARGV[1], 1, 1) == 'T' then finished = 1 end
return {ARGV[1], finished}
