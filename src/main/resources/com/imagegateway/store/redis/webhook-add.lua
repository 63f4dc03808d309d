-- Stores a new webhook delivery and queues it, both or neither (the keys share a hash tag).
-- KEYS[1] the delivery; KEYS[2] the deliveries' stream
-- ARGV[1] the delivery as JSON; ARGV[2] how long it is kept, ms; ARGV[3] its id
-- Returns 1 when stored and queued, 0 when it existed already
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
  redis.call('XADD', KEYS[2], '*', 'job', ARGV[3])
  return 1
end
return 0
