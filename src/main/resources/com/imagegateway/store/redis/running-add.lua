-- Adds an entry to a client's running jobs if fewer than the cap are counted.
-- KEYS[1] the client's running jobs (score: deadline, epoch ms)
-- ARGV[1] entry; ARGV[2] cap; ARGV[3] now (epoch ms); ARGV[4] deadline (epoch ms); ARGV[5] key lifetime in ms
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[3])
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then
  return 0
end
redis.call('ZADD', KEYS[1], ARGV[4], ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[5])
return 1
