-- A write storm: every request POSTs the next line of the file $LINLI_STORM, which reads
-- "<session token><TAB><form body>", to the URL's path, as that session. Thread k of
-- $LINLI_THREADS takes lines k, k + threads, k + 2 × threads …, so no two requests share a
-- line until the file is used up.
dofile(os.getenv("LINLI_WRK_DIR") .. "/report.lua")

local counter = 0
setup = function(thread)
  thread:set("first", counter)
  counter = counter + 1
end

local lines, next_line, stride = {}, 0, 1
init = function(args)
  for line in io.lines(os.getenv("LINLI_STORM")) do
    lines[#lines + 1] = line
  end
  next_line = first
  stride = tonumber(os.getenv("LINLI_THREADS"))
end

request = function()
  local line = lines[(next_line % #lines) + 1]
  next_line = next_line + stride
  local tab = line:find("\t", 1, true)
  return wrk.format("POST", nil, {
    ["Cookie"] = "linli_session=" .. line:sub(1, tab - 1),
    ["Content-Type"] = "application/x-www-form-urlencoded",
  }, line:sub(tab + 1))
end
