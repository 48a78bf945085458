-- Flushes the notification groups that are due, atomically, so each is flushed by exactly one replica: a group with
-- news (a new alert, or an end of an alert it told of) or due for a repeat becomes one ledger entry per receiver.
-- KEYS: 1 the due set, 2 the ledger stream. ARGV: 1 now (epoch ms), 2 the key prefix, 3 a unique base for the
-- notification ids, 4 the ledger's MAXLEN, 5 how many groups at most. Returns the number of entries added.
local now = tonumber(ARGV[1])
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, tonumber(ARGV[5]))
local added = 0
for _, gk in ipairs(due) do
  local gkey = ARGV[2] .. ':group:' .. gk
  local akey = ARGV[2] .. ':alerts:' .. gk
  local receivers = redis.call('HGET', gkey, 'receivers')
  if not receivers then
    redis.call('ZREM', KEYS[1], gk)
    redis.call('DEL', akey)
  else
    local last = tonumber(redis.call('HGET', gkey, 'last_sent')) or 0
    local ri = tonumber(redis.call('HGET', gkey, 'ri')) or 0
    local all = redis.call('HGETALL', akey)
    local firing, resolved, firingIds, changed = {}, {}, {}, false
    for i = 1, #all, 2 do
      local v = all[i + 1]
      local status, news, told, json = string.sub(v, 1, 1), string.sub(v, 2, 2), string.sub(v, 3, 3), string.sub(v, 4)
      if status == 'F' then
        firing[#firing + 1] = json
        firingIds[#firingIds + 1] = all[i]
        if news == '1' then changed = true end
      else
        -- the end of an alert nobody was told of is not news
        if told == '1' then
          resolved[#resolved + 1] = json
          changed = true
        end
        redis.call('HDEL', akey, all[i])
      end
    end
    local send = changed or (#firing > 0 and now >= last + ri)
    if send then
      local status = 'resolved'
      if #firing > 0 then status = 'firing' end
      local alerts = {}
      for _, j in ipairs(firing) do alerts[#alerts + 1] = j end
      for _, j in ipairs(resolved) do alerts[#alerts + 1] = j end
      local body = '[' .. table.concat(alerts, ',') .. ']'
      for _, r in ipairs(cjson.decode(receivers)) do
        local id = ARGV[3] .. '-' .. added
        added = added + 1
        local n = '{"notification_id":' .. cjson.encode(id) .. ',"receiver":' .. cjson.encode(r)
          .. ',"group_key":' .. cjson.encode(gk) .. ',"status":"' .. status .. '","created_at":' .. now
          .. ',"alerts":' .. body .. '}'
        redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[4], '*', 'notification', n)
      end
      last = now
      redis.call('HSET', gkey, 'last_sent', now)
      for _, id in ipairs(firingIds) do
        local v = redis.call('HGET', akey, id)
        redis.call('HSET', akey, id, 'F01' .. string.sub(v, 4))
      end
    end
    if #firing > 0 then
      redis.call('ZADD', KEYS[1], last + ri, gk)
    else
      redis.call('DEL', gkey, akey)
      redis.call('ZREM', KEYS[1], gk)
    end
  end
end
return added
