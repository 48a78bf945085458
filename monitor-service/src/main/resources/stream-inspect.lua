-- A look at a stream for its consumer group, atomic: KEYS[1] stream, ARGV[1] group.
-- Returns {lag, length, pending, oldest pending id, gap}. Redis counts entries added and entries read by the group;
-- when the group's lag exceeds the stream's length, entries were trimmed before the group read them (the gap).
-- Redis 7.0 then keeps over-counting the lag, so the read counter is set right again here (XGROUP SETID ENTRIESREAD)
-- and the same loss is never reported twice, whichever replica looks first. Redis 7.0 also forgets the counter when it
-- reloads its AOF; entries the group had delivered are then told apart from lost ones by their ids.
local function field(reply, name)
  for i = 1, #reply, 2 do
    if reply[i] == name then return reply[i + 1] end
  end
  return nil
end
local function before(a, b)
  local am, as = string.match(a, '(%d+)-(%d+)')
  local bm, bs = string.match(b, '(%d+)-(%d+)')
  am, as, bm, bs = tonumber(am), tonumber(as), tonumber(bm), tonumber(bs)
  return am < bm or (am == bm and as < bs)
end
local group
for _, g in ipairs(redis.call('XINFO', 'GROUPS', KEYS[1])) do
  if field(g, 'name') == ARGV[1] then group = g end
end
if not group then return redis.error_reply('NOGROUP no group ' .. ARGV[1] .. ' on ' .. KEYS[1]) end
local len = redis.call('XLEN', KEYS[1])
local lag = field(group, 'lag')
local gap = 0
local info = redis.call('XINFO', 'STREAM', KEYS[1])
local added = field(info, 'entries-added')
local last = field(group, 'last-delivered-id')
if (lag == nil or lag > 0) and last == field(info, 'last-generated-id') then
  -- caught up: nothing is unread, whatever the counter says (Redis 7.0 forgets a group's read counter when it
  -- reloads its AOF, which made the lag look like the whole stream and every trimmed entry look lost)
  redis.call('XGROUP', 'SETID', KEYS[1], ARGV[1], last, 'ENTRIESREAD', added)
  lag = 0
elseif lag and lag > len then
  local undelivered = len
  local first = redis.call('XRANGE', KEYS[1], '-', '+', 'COUNT', 1)[1]
  if first and not before(last, first[1]) then
    -- the group delivered an entry still in the stream, so every trimmed entry is older and was delivered:
    -- the counter is wrong (an AOF reload), no event is lost
    undelivered = #redis.call('XRANGE', KEYS[1], '(' .. last, '+')
  else
    gap = lag - undelivered
  end
  redis.call('XGROUP', 'SETID', KEYS[1], ARGV[1], last, 'ENTRIESREAD', added - undelivered)
  lag = undelivered
end
local pending = redis.call('XPENDING', KEYS[1], ARGV[1])
return {lag or -1, len, pending[1], pending[2] or '', gap}
