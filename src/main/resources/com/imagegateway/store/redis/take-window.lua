-- Takes up to ARGV[2] permits at once from a fixed window of ARGV[3] permits that refills
-- whole when it expires; a replica then spends them without asking again.
-- KEYS[1] window; ARGV[1] period in ms; ARGV[2] permits wanted; ARGV[3] permits per window.
-- Returns {calls counted in this window, ms until it refills, permits granted}. A call that
-- gets none is still counted, so the count says how far over its limit the window went.
local before = tonumber(redis.call('GET', KEYS[1]) or '0')
local granted = math.max(0, math.min(tonumber(ARGV[2]), tonumber(ARGV[3]) - before))
local used = redis.call('INCRBY', KEYS[1], math.max(granted, 1))
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {used, ttl, granted}
