-- Counts one call in a fixed window that refills whole when it expires.
-- KEYS[1] window; ARGV[1] period in ms. Returns {calls in this window, ms until it refills}
local used = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {used, ttl}
