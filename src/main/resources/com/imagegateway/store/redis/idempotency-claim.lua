-- Claims an idempotency key. Values are 'fingerprint|jobId', with an empty job id while the
-- first request runs. KEYS[1] key; ARGV[1] fingerprint; ARGV[2] claim timeout in ms
-- Returns '' when this request now holds the key, else the existing value.
if redis.call('SET', KEYS[1], ARGV[1] .. '|', 'NX', 'PX', ARGV[2]) then
  return ''
end
return redis.call('GET', KEYS[1])
