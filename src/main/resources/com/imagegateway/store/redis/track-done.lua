-- A job has finished: its entry leaves the stream. Without its group (a Redis that lost its
-- data) there is nothing left to acknowledge.
-- KEYS[1] stream; ARGV[1] group; ARGV[2] entry id
redis.pcall('XACK', KEYS[1], ARGV[1], ARGV[2])
return redis.call('XDEL', KEYS[1], ARGV[2])
