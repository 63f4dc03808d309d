-- Records the job a claimed key created; it then replays for the idempotency TTL.
-- KEYS[1] key; ARGV[1] job id; ARGV[2] TTL in ms
local current = redis.call('GET', KEYS[1])
if current then
  local fingerprint = string.match(current, '^([^|]*)|')
  redis.call('SET', KEYS[1], fingerprint .. '|' .. ARGV[1], 'PX', ARGV[2])
end
return 1
