-- wrk script for tests/bench-automation.sh: customer messages to one brand's inbound endpoint, each with a
-- unique platform message id, from a pool of customers (their conversations exist after the warm-up), with
-- texts of which one in ten asks for a refund (a rule of the measured brand matches it).
-- usage: wrk ... -s automation-inbound.lua <url> -- <inbound path> <api key> <customers> [refunds: 1 or 0]
-- With refunds 0 the refund sentence is left out, so no rule matches: what deciding alone costs.
local path, key, customers
local counter = 0
local texts = {
  "Hi, I love the new colours", "Where can I find the size guide?", "The delivery was quick, thanks",
  "Is the shop open on Sunday?", "I want a refund for my broken mug", "Do you ship to Canada?",
  "Great service yesterday", "Can I change my address?", "The app keeps logging me out", "Any discount codes this week?",
}
function init(args)
  path, key, customers = args[1], args[2], tonumber(args[3])
  if args[4] == "0" then table.remove(texts, 5) end
  math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))
  prefix = string.format("%x%x", os.time(), math.random(1, 2^30))
end
function request()
  counter = counter + 1
  local body = string.format(
    '{"externalMessageId":"w-%s-%d","externalUserId":"u-%d","userDisplayName":"Customer","text":"%s","timestamp":"%s","thread":{"visibility":"private"}}',
    prefix, counter, math.random(1, customers), texts[math.random(1, #texts)], os.date("!%Y-%m-%dT%H:%M:%SZ"))
  return wrk.format("POST", path, { ["Authorization"] = "Bearer " .. key, ["Content-Type"] = "application/json" }, body)
end
