-- Renames an entry of a client's running jobs, keeping its deadline.
-- KEYS[1] the client's running jobs; ARGV[1] entry; ARGV[2] new name
local deadline = redis.call('ZSCORE', KEYS[1], ARGV[1])
if deadline then
  redis.call('ZREM', KEYS[1], ARGV[1])
  redis.call('ZADD', KEYS[1], deadline, ARGV[2])
end
return 1
