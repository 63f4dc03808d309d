-- The safety net under record-job.lua: a job marked unsettled that is neither settled nor in
-- the trackers' queue (recorded by an older version, or left by a bug) is queued again. Marks
-- of jobs settled, or gone with the retention, are dropped.
-- KEYS[1] unsettled jobs; KEYS[2] the trackers' stream; ARGV[1] the jobs' key prefix;
-- ARGV[2] most jobs looked at
-- Returns the ids queued
local followed = {}
for _, entry in ipairs(redis.call('XRANGE', KEYS[2], '-', '+')) do
  followed[entry[2][2]] = true
end
local queued = {}
for _, id in ipairs(redis.call('ZRANGE', KEYS[1], 0, tonumber(ARGV[2]) - 1)) do
  local job = redis.call('GET', ARGV[1] .. id)
  local stage = job and string.sub(job, 1, 1)
  if not job or stage == 'T' or stage == 'D' then
    redis.call('ZREM', KEYS[1], id)
  elseif not followed[id] then
    redis.call('XADD', KEYS[2], '*', 'job', id)
    queued[#queued + 1] = id
  end
end
return queued
