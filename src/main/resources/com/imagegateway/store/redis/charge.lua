-- Counts a job that has just finished in its client's usage, and gives back what its create
-- reserved against the client's budget: called by the script that records the finish, so that
-- no replica's death can count a finish without its cost, nor a cost twice.
-- KEYS[k] the usage of the job's creation day (a hash: '<client>\t<model>\t<count>' fields, and
-- '<client>\t\tcost' for the client's total); KEYS[k + 1] the client's reservations in the
-- job's budget period.
-- ARGV[a] usage retention in ms (from the day's first count); ARGV[a + 1] client ('' when the job
-- has no charge); ARGV[a + 2] model; ARGV[a + 3] images; ARGV[a + 4] predict time in µs;
-- ARGV[a + 5] cost in µs; ARGV[a + 6] '1' if the job had no price; ARGV[a + 7] µs to give back
local function charge(k, a)
  if ARGV[a + 1] == '' then
    return
  end
  local usage = KEYS[k]
  local prefix = ARGV[a + 1] .. '\t' .. ARGV[a + 2] .. '\t'
  redis.call('HINCRBY', usage, prefix .. 'jobs', 1)
  redis.call('HINCRBY', usage, prefix .. 'images', ARGV[a + 3])
  redis.call('HINCRBY', usage, prefix .. 'predict', ARGV[a + 4])
  redis.call('HINCRBY', usage, prefix .. 'cost', ARGV[a + 5])
  redis.call('HINCRBY', usage, prefix .. 'unpriced', ARGV[a + 6])
  redis.call('HINCRBY', usage, ARGV[a + 1] .. '\t\tcost', ARGV[a + 5])
  if redis.call('PTTL', usage) < 0 then
    redis.call('PEXPIRE', usage, ARGV[a])
  end
  -- a reservation whose period's records are gone has nothing left to give back
  if tonumber(ARGV[a + 7]) > 0 and redis.call('EXISTS', KEYS[k + 1]) == 1 then
    redis.call('DECRBY', KEYS[k + 1], ARGV[a + 7])
  end
end
