-- Reserves a create's estimated cost against its client's budget, for all replicas at once:
-- admitted only while what the client spent in the period (its usage, day by day) plus what its
-- running creates hold reserved plus this estimate stays within the budget (an estimate of 0
-- while something is left). Crossing the alert threshold is reported once per client and period.
-- KEYS[1] the client's reservations in the period; KEYS[2] its alert mark; KEYS[3..] the usage
-- of each day of the period (see charge.lua)
-- ARGV[1] the client's total field ('<client>\t\tcost'); ARGV[2] budget in µs; ARGV[3] estimate
-- in µs; ARGV[4] alert threshold in µs (negative: none); ARGV[5] ms until the period's records
-- may go
-- Returns {1 if reserved else 0, spent µs, reserved µs (this reservation included), 1 if the
-- alert fires now else 0}
local spent = 0
for i = 3, #KEYS do
  spent = spent + tonumber(redis.call('HGET', KEYS[i], ARGV[1]) or '0')
end
local held = tonumber(redis.call('GET', KEYS[1]) or '0')
local estimate = tonumber(ARGV[3])
local limit = tonumber(ARGV[2])
local admitted = 0
if (estimate > 0 and spent + held + estimate <= limit) or (estimate == 0 and spent + held < limit) then
  admitted = 1
  held = redis.call('INCRBY', KEYS[1], estimate)
  redis.call('PEXPIRE', KEYS[1], ARGV[5])
end
local alert = 0
local threshold = tonumber(ARGV[4])
if threshold >= 0 and spent + held >= threshold then
  if redis.call('SET', KEYS[2], '1', 'NX', 'PX', ARGV[5]) then
    alert = 1
  end
end
return {admitted, spent, held, alert}
