-- Adds a job to its client's newest-first index, which keeps at most the newest max-jobs
-- entries and lives as long as the retention after the client's last new job. Entries whose
-- job has expired are dropped when a listing meets them.
-- KEYS[1] index; ARGV[1] job id; ARGV[2] created (epoch ms); ARGV[3] most entries kept; ARGV[4] retention in ms
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
local excess = redis.call('ZCARD', KEYS[1]) - tonumber(ARGV[3])
if excess > 0 then
  redis.call('ZREMRANGEBYRANK', KEYS[1], 0, excess - 1)
end
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return 1
