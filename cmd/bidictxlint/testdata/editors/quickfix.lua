-- Drives headless Neovim attached to gopls built with bidictxlint, for
-- cmd/bidictxlint/gopls_test.go. Run as
--   nvim --headless -u init.lua -i NONE -n -c 'luafile quickfix.lua'
-- where init.lua is one of the Neovim configurations of docs/drivers.md,
-- exactly as shown there but for the gopls path (and, with the analyses
-- setting off, bidictxlint = false), so that what is tested is what a
-- user writes. Works on Neovim 0.7 and later. In the environment: FILE
-- (the file to open), RESULT (where to write the JSON report), FIX_TITLE
-- (the quick fix to apply) and MODE.
--
-- MODE=fix: wait for a bidictxlint diagnostic, request the quick fixes
-- at its range with textDocument/codeAction, apply FIX_TITLE's edit and
-- write the file.
-- MODE=show: wait for the diagnostics of gopls's analyzers (the file has
-- a self-assignment, which the vet check "assign" reports), then a little
-- longer, and report them.
local env = vim.env
local result = { diagnostics = {}, titles = {} }

local function report(err)
  result.error = err
  local f = assert(io.open(env.RESULT, 'w'))
  f:write(vim.fn.json_encode(result))
  f:close()
  vim.cmd('qall!')
end

-- Neovim 0.11 calls a client's methods with a colon, and deprecates the
-- functions that 0.7 has.
local new_api = vim.fn.has('nvim-0.11') == 1

local function request_sync(client, method, params, timeout, buf)
  if new_api then
    return client:request_sync(method, params, timeout, buf)
  end
  return client.request_sync(method, params, timeout, buf)
end

-- The gopls client the configuration attached to buf, if any.
local function attached(buf)
  local clients = vim.lsp.get_clients and vim.lsp.get_clients({ bufnr = buf })
    or vim.lsp.buf_get_clients(buf)
  for _, c in pairs(clients) do
    if c.name == 'gopls' then
      return c
    end
  end
  return nil
end

-- The LSP diagnostics of a line, as gopls sent them: Neovim's own
-- vim.lsp.buf.code_action sends these, not vim.diagnostic's copies.
local function line_diagnostics(buf, lnum)
  if not new_api then
    return vim.lsp.diagnostic.get_line_diagnostics(buf, lnum)
  end
  local ds = {}
  for _, d in ipairs(vim.diagnostic.get(buf, { lnum = lnum })) do
    local lsp = d.user_data and d.user_data.lsp
    if lsp then
      table.insert(ds, lsp)
    end
  end
  return ds
end

local function main()
  -- The configuration (init.lua) starts gopls when a Go file is opened.
  vim.cmd('edit ' .. vim.fn.fnameescape(env.FILE))
  local buf = vim.api.nvim_get_current_buf()
  local client
  if not vim.wait(60000, function() client = attached(buf); return client ~= nil end, 100) then
    return 'no gopls client attached to ' .. env.FILE .. ' (filetype ' .. vim.bo[buf].filetype .. ')'
  end

  -- What the editor shows: vim.diagnostic's view of the buffer.
  local function shown(source)
    local ds = {}
    for _, d in ipairs(vim.diagnostic.get(buf)) do
      if source == nil or d.source == source then
        table.insert(ds, d)
      end
    end
    return ds
  end
  local function record()
    for _, d in ipairs(shown()) do
      local lsp = (d.user_data or {}).lsp or {}
      table.insert(result.diagnostics, {
        source = d.source or '', message = d.message,
        code = d.code or '', href = (lsp.codeDescription or {}).href or '',
        line = d.lnum, col = d.col, endline = d.end_lnum, endcol = d.end_col,
      })
    end
  end

  if env.MODE == 'show' then
    if not vim.wait(120000, function() return #shown('assign') > 0 end, 100) then
      record()
      return 'no diagnostic from the assign analyzer within 2 minutes'
    end
    -- The analyzers of a package run together; give any other
    -- publication time to arrive.
    vim.wait(3000)
    record()
    return nil
  end

  if not vim.wait(120000, function() return #shown('bidictxlint') > 0 end, 100) then
    record()
    return 'no bidictxlint diagnostic within 2 minutes'
  end
  record()
  local d = shown('bidictxlint')[1]

  -- gopls matches context.diagnostics to its own by message, range and
  -- source: send the full LSP diagnostics of the line, as Neovim's own
  -- vim.lsp.buf.code_action does, not vim.diagnostic's copies.
  local line_diags = line_diagnostics(buf, d.lnum)
  local range
  for _, ld in ipairs(line_diags) do
    if ld.source == 'bidictxlint' then
      range = ld.range
    end
  end
  if not range then
    return 'the LSP diagnostics of line ' .. d.lnum .. ' have no bidictxlint one'
  end
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(buf) },
    range = range,
    context = { diagnostics = line_diags, only = { 'quickfix' } },
  }
  local responses, err = vim.lsp.buf_request_sync(buf, 'textDocument/codeAction', params, 60000)
  if not responses then
    return 'textDocument/codeAction: ' .. tostring(err)
  end
  local action
  for _, resp in pairs(responses) do
    if resp.err then
      return 'textDocument/codeAction: ' .. vim.inspect(resp.err)
    end
    for _, a in ipairs(resp.result or {}) do
      table.insert(result.titles, a.title)
      if a.title == env.FIX_TITLE and not action then
        action = a
      end
    end
  end
  if not action then
    return 'no code action titled ' .. env.FIX_TITLE
  end

  -- A code action carries its edit, or gets it from codeAction/resolve,
  -- or is a command after which gopls sends workspace/applyEdit.
  if not action.edit and action.data then
    local resp = request_sync(client, 'codeAction/resolve', action, 60000, buf)
    if not resp or resp.err then
      return 'codeAction/resolve: ' .. vim.inspect(resp)
    end
    action = resp.result
  end
  local tick = vim.api.nvim_buf_get_changedtick(buf)
  if action.edit then
    vim.lsp.util.apply_workspace_edit(action.edit, client.offset_encoding)
  end
  local command = action.command
  if type(command) == 'string' then
    command = action
  end
  if command then
    local resp = request_sync(client, 'workspace/executeCommand', {
      command = command.command, arguments = command.arguments,
    }, 60000, buf)
    if not resp or resp.err then
      return 'workspace/executeCommand: ' .. vim.inspect(resp)
    end
  end
  if vim.api.nvim_buf_get_changedtick(buf) == tick then
    return 'the code action ' .. action.title .. ' changed nothing'
  end
  result.applied = action.title
  vim.cmd('write')
  return nil
end

local ok, err = pcall(main)
if not ok then
  report('error: ' .. tostring(err))
else
  report(err)
end
