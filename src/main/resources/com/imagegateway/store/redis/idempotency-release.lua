-- Gives a claimed key back after a failed create, unless it was completed meanwhile.
-- KEYS[1] key
local current = redis.call('GET', KEYS[1])
if current and string.sub(current, -1) == '|' then
  redis.call('DEL', KEYS[1])
end
return 1
