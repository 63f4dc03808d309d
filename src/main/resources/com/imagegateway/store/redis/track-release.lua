-- This replica is stopping: its entries are marked long idle, so that the next replica that
-- looks takes them over at once instead of after the takeover time.
-- KEYS[1] stream; ARGV[1] group; ARGV[2] consumer; ARGV[3] idle ms to set; ARGV[4..] entry ids
local claim = {'XCLAIM', KEYS[1], ARGV[1], ARGV[2], '0'}
for i = 4, #ARGV do
  claim[#claim + 1] = ARGV[i]
end
claim[#claim + 1] = 'IDLE'
claim[#claim + 1] = ARGV[3]
claim[#claim + 1] = 'JUSTID'
if #ARGV < 4 then
  return 0
end
return #redis.pcall(unpack(claim))
