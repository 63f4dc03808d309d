-- Keeps this replica's jobs its own: every entry it still holds is touched (its idle time
-- reset, so no other replica takes it over). An entry another replica has taken over is not
-- this consumer's any more and is not touched.
-- KEYS[1] stream; ARGV[1] group; ARGV[2] consumer
-- Returns the entry ids this replica holds
local pending = redis.pcall('XPENDING', KEYS[1], ARGV[1], '-', '+', 100000, ARGV[2])
if type(pending) == 'table' and pending.err then
  return redis.error_reply(pending.err)
end
local ids = {}
for _, entry in ipairs(pending) do
  ids[#ids + 1] = entry[1]
end
for first = 1, #ids, 1000 do
  local claim = {'XCLAIM', KEYS[1], ARGV[1], ARGV[2], '0'}
  for i = first, math.min(first + 999, #ids) do
    claim[#claim + 1] = ids[i]
  end
  claim[#claim + 1] = 'JUSTID'
  redis.call(unpack(claim))
end
return ids
