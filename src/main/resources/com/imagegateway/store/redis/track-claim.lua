-- Takes over the jobs of replicas that stopped or died: entries nobody has touched for the
-- takeover time pass to this replica (XAUTOCLAIM). Consumers that hold nothing and have not
-- been seen for long are forgotten.
-- KEYS[1] stream; ARGV[1] group; ARGV[2] consumer; ARGV[3] takeover time in ms;
-- ARGV[4] most entries; ARGV[5] ms after which an empty consumer is forgotten
-- Returns {entry id, job id, ...}
local out = {}
local cursor = '0-0'
repeat
  local claimed = redis.pcall('XAUTOCLAIM', KEYS[1], ARGV[1], ARGV[2], ARGV[3], cursor, 'COUNT', 100)
  if type(claimed) == 'table' and claimed.err then
    return out
  end
  cursor = claimed[1]
  for _, entry in ipairs(claimed[2]) do
    out[#out + 1] = entry[1]
    out[#out + 1] = entry[2][2]
  end
until cursor == '0-0' or #out >= tonumber(ARGV[4]) * 2
for _, consumer in ipairs(redis.call('XINFO', 'CONSUMERS', KEYS[1], ARGV[1])) do
  local info = {}
  for i = 1, #consumer, 2 do
    info[consumer[i]] = consumer[i + 1]
  end
  if info['pending'] == 0 and info['idle'] > tonumber(ARGV[5]) and info['name'] ~= ARGV[2] then
    redis.call('XGROUP', 'DELCONSUMER', KEYS[1], ARGV[1], info['name'])
  end
end
return out
