-- Stores a job unless what is stored is further along: a job only moves forward, running
-- ('R') -> finished while its outputs are being stored ('M') -> settled ('T') -> its prompt
-- and images removed by the retention sweep ('D'), so a late
-- running state or a second copy of the outputs from a slow replica never replaces a newer
-- one. Values start with that marker, then the job as JSON.
-- A settled job leaves the unsettled jobs (see record-job.lua).
-- The write that finishes the job counts it in its client's usage (charge.lua, prepended).
-- KEYS[1] job key; KEYS[2] unsettled jobs; KEYS[3], KEYS[4] see charge.lua; ARGV[1] marked job;
-- ARGV[2] retention in ms (from the first write); ARGV[3] job id; ARGV[4..11] see charge.lua
-- Returns {'' if ARGV[1] was stored, else the value kept instead; 1 if this write finished the
-- job else 0; 1 if it settled it else 0}
local rank = {R = 0, M = 1, T = 2, D = 3}
local current = redis.call('GET', KEYS[1])
local new = string.sub(ARGV[1], 1, 1)
local was = current and string.sub(current, 1, 1) or nil
if was and (rank[was] > rank[new] or (rank[was] == rank[new] and new ~= 'R')) then
  return {current, 0, 0}
end
if current then
  redis.call('SET', KEYS[1], ARGV[1], 'KEEPTTL')
else
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
end
local finished = 0
if new ~= 'R' and (not was or was == 'R') then
  finished = 1
  charge(3, 4)
end
local settled = 0
if new == 'T' or (new == 'D' and was ~= 'T') then settled = 1 end
if new == 'T' or new == 'D' then
  redis.call('ZREM', KEYS[2], ARGV[3])
end
return {'', finished, settled}
