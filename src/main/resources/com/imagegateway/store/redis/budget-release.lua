-- Gives back a reservation (see budget-reserve.lua), unless its period's records are gone.
-- KEYS[1] the client's reservations in the period; ARGV[1] µs to give back
if redis.call('EXISTS', KEYS[1]) == 1 then
  return redis.call('DECRBY', KEYS[1], ARGV[1])
end
return 0
