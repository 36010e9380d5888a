-- Headless Neovim scenario for test/unit/lsp-neovim.test.ts, run after test/nvim/init.lua on a writeup:
-- wait for the server's diagnostics, apply the preferred quick fix at the first MW001 through
-- vim.lsp.buf.code_action (vim.ui.select answers with the action marked isPreferred), then the file-wide
-- source.fixAll.mathWriteup, hover a formula, and write what happened to $MW_NVIM_RESULT as JSON.
local out = vim.env.MW_NVIM_RESULT
local result = { steps = {} }

local function finish(err)
  result.error = err
  local f = io.open(out, 'w')
  f:write(vim.fn.json_encode(result))
  f:close()
  vim.cmd('qall!')
end

local function diagnostics()
  local list = {}
  for _, d in ipairs(vim.diagnostic.get(0)) do
    table.insert(list, { code = d.code, lnum = d.lnum, col = d.col, severity = d.severity, source = d.source, message = d.message })
  end
  table.sort(list, function(a, b) return a.lnum < b.lnum or (a.lnum == b.lnum and a.col < b.col) end)
  return list
end

local function has(code)
  for _, d in ipairs(vim.diagnostic.get(0)) do
    if d.code == code then return d end
  end
  return nil
end

local function lines()
  return vim.api.nvim_buf_get_lines(0, 0, -1, false)
end

local function step(name)
  table.insert(result.steps, { name = name, lines = lines(), diagnostics = diagnostics() })
end

-- The choice an interactive user would make in the code-action menu: the preferred action (else the first).
local picked = {}
vim.ui.select = function(items, _, on_choice)
  local choice = items[1]
  for _, item in ipairs(items) do
    if item[2].isPreferred then choice = item break end
  end
  table.insert(picked, { title = choice[2].title, offered = #items })
  on_choice(choice)
end

local ok, err = pcall(function()
  if not vim.wait(30000, function() return has('MW001') ~= nil end, 50) then error('no MW001 diagnostic within 30 s') end
  step('opened')
  local d = has('MW001')
  vim.api.nvim_win_set_cursor(0, { d.lnum + 1, d.col })
  local before = vim.api.nvim_buf_get_changedtick(0)
  vim.lsp.buf.code_action()
  if not vim.wait(15000, function() return vim.api.nvim_buf_get_changedtick(0) ~= before end, 50) then error('the quick fix changed nothing') end
  if not vim.wait(15000, function() return has('MW001') == nil end, 50) then error('MW001 still reported after the fix') end
  step('quickfix')

  before = vim.api.nvim_buf_get_changedtick(0)
  vim.api.nvim_win_set_cursor(0, { 1, 0 })
  vim.lsp.buf.code_action({ only = { 'source.fixAll.mathWriteup' }, diagnostics = {} })
  if not vim.wait(15000, function() return vim.api.nvim_buf_get_changedtick(0) ~= before end, 50) then error('fix all changed nothing') end
  if not vim.wait(15000, function() return has('MW020') == nil and has('MW002') == nil end, 50) then error('fixable findings left after fix all') end
  step('fixall')

  -- Hover the formula with the undefined macro (line 7 of the writeup).
  local params = { textDocument = vim.lsp.util.make_text_document_params(), position = { line = 6, character = 7 } }
  local answers = vim.lsp.buf_request_sync(0, 'textDocument/hover', params, 15000) or {}
  for _, a in pairs(answers) do
    if a.result and a.result.contents then result.hover = a.result.contents.value end
  end
  result.picked = picked
end)
finish(not ok and tostring(err) or nil)
