-- One alert transition (fired or resolved) into one notification group, atomically, so any replica may add to any
-- group. KEYS: 1 the group's hash, 2 its alerts' hash, 3 the due set (group key -> when to flush, epoch ms).
-- ARGV: 1 group key, 2 alert id, 3 'F' (firing) or 'R' (resolved), 4 the alert JSON, 5 now, 6 group_wait,
-- 7 group_interval, 8 repeat_interval (ms), 9 the receivers as a JSON array, 10 for an end: how long the alert
-- lasted (ms).
-- An alert's value in the alerts hash: status (F/R), changed since the last notification (1/0), told of in a
-- notification already (1/0), then its JSON.
local now = tonumber(ARGV[5])
if redis.call('EXISTS', KEYS[1]) == 0 then
  redis.call('HSET', KEYS[1], 'receivers', ARGV[9], 'gi', ARGV[7], 'ri', ARGV[8], 'last_sent', '0')
  redis.call('ZADD', KEYS[3], now + tonumber(ARGV[6]), ARGV[1])
else
  local last = tonumber(redis.call('HGET', KEYS[1], 'last_sent')) or 0
  -- a group that has not spoken yet keeps its group_wait; one that has tells of a change group_interval after it
  -- last spoke, never later than a repeat already due sooner (LT)
  if last > 0 then
    local at = last + (tonumber(redis.call('HGET', KEYS[1], 'gi')) or 0)
    if at < now then at = now end
    redis.call('ZADD', KEYS[3], 'LT', at, ARGV[1])
  end
end
local told, news = '0', '1'
local before = redis.call('HGET', KEYS[2], ARGV[2])
if not before and ARGV[3] == 'R' then
  -- an end is queued only after its start was: a group that no longer knows the start lost it with Redis's data
  -- (a restart without persistence), and a resolved notice too many beats a missing one
  told = '1'
elseif before then
  told = string.sub(before, 3, 3)
  -- the same transition queued again (a retry after a timeout) is no news: told once, not twice
  if string.sub(before, 1, 1) == ARGV[3] then news = string.sub(before, 2, 2) end
  -- an alert that ends before its group spoke is flapping, not news, unless it lasted the group's wait: then only an
  -- outage kept its start from being told (Redis away), and its end is what the on-call must hear
  if ARGV[3] == 'R' and told == '0' and (tonumber(ARGV[10]) or 0) >= tonumber(ARGV[6]) then told = '1' end
end
redis.call('HSET', KEYS[2], ARGV[2], ARGV[3] .. news .. told .. ARGV[4])
return 1
