-- Records a job just created upstream in one step: the job, its place in its client's listing
-- and, when the trackers have work on it, its entry in their queue, with its mark among the
-- unsettled jobs while it runs. A replica that dies mid-create leaves all of it or none of it,
-- never a paid job that nobody follows. Recording a job again (a retry whose first answer was
-- lost) changes nothing.
-- A job finished already is counted in its client's usage (charge.lua, prepended).
-- KEYS[1] job; KEYS[2] client's index; KEYS[3] the trackers' stream; KEYS[4] unsettled jobs;
-- KEYS[5], KEYS[6] see charge.lua
-- ARGV[1] marked job (see save-job.lua); ARGV[2] retention in ms; ARGV[3] job id;
-- ARGV[4] created (epoch ms); ARGV[5] most index entries kept; ARGV[6] '1' to queue it;
-- ARGV[7..14] see charge.lua
-- Returns what save-job.lua returns
local current = redis.call('GET', KEYS[1])
if current then
  return {current, 0, 0}
end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
redis.call('ZADD', KEYS[2], ARGV[4], ARGV[3])
local excess = redis.call('ZCARD', KEYS[2]) - tonumber(ARGV[5])
if excess > 0 then
  redis.call('ZREMRANGEBYRANK', KEYS[2], 0, excess - 1)
end
redis.call('PEXPIRE', KEYS[2], ARGV[2])
local stage = string.sub(ARGV[1], 1, 1)
if ARGV[6] == '1' then
  redis.call('XADD', KEYS[3], '*', 'job', ARGV[3])
end
if stage == 'R' or stage == 'M' then
  redis.call('ZADD', KEYS[4], ARGV[4], ARGV[3])
end
local finished = (stage ~= 'R') and 1 or 0
if finished == 1 then
  charge(5, 7)
end
local settled = (stage == 'T') and 1 or 0
return {'', finished, settled}
