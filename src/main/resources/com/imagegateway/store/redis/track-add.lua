-- Hands a running job to the trackers: one entry in the tracking stream, which the replicas
-- read as one consumer group, so that each entry is delivered to exactly one of them.
-- KEYS[1] stream; ARGV[1] job id
return redis.call('XADD', KEYS[1], '*', 'job', ARGV[1])
