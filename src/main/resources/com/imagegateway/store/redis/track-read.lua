-- Hands this replica jobs nobody follows yet (the consumer group is created on first use,
-- from the start of the stream, so that no entry added before is skipped).
-- KEYS[1] stream; ARGV[1] group; ARGV[2] consumer; ARGV[3] most entries
-- Returns {entry id, job id, ...}
local function read()
  return redis.pcall('XREADGROUP', 'GROUP', ARGV[1], ARGV[2], 'COUNT', ARGV[3], 'STREAMS', KEYS[1], '>')
end
local result = read()
if type(result) == 'table' and result.err then
  if not string.find(result.err, 'NOGROUP') then
    return redis.error_reply(result.err)
  end
  redis.call('XGROUP', 'CREATE', KEYS[1], ARGV[1], '0', 'MKSTREAM')
  result = read()
end
local out = {}
if result then
  for _, entry in ipairs(result[1][2]) do
    out[#out + 1] = entry[1]
    out[#out + 1] = entry[2][2]
  end
end
return out
