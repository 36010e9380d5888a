-- Neovim configuration for the Math Writeup language server (Neovim 0.7 or newer; the built-in LSP client).
-- Use it as is (`nvim -u test/nvim/init.lua hw.md`) or copy the autocommand into your own init.lua.
-- The server command is `math-writeup lsp --stdio`; MATH_WRITEUP_CLI=<path of dist/cli.js> runs a checkout's build.
local cli = vim.env.MATH_WRITEUP_CLI
local cmd = (cli and cli ~= '') and { 'node', cli, 'lsp', '--stdio' } or { 'math-writeup', 'lsp', '--stdio' }

-- The folder that holds the writeup's .math-writeup.json or .git (else the writeup's own folder).
local function root_of(file)
  local dir = vim.fn.fnamemodify(file, ':p:h')
  local found = vim.fn.findfile('.math-writeup.json', dir .. ';')
  if found == '' then found = vim.fn.finddir('.git', dir .. ';') end
  return found ~= '' and vim.fn.fnamemodify(found, ':p:h:h') or dir
end

local config = {
  name = 'math-writeup',
  cmd = cmd,
  -- What `workspace/configuration` answers for section mathWriteup (same keys as the VS Code settings).
  settings = { mathWriteup = { target = 'both' } },
}

local clients = {}
vim.api.nvim_create_autocmd('FileType', {
  pattern = 'markdown',
  callback = function(args)
    local root = root_of(vim.api.nvim_buf_get_name(args.buf))
    if vim.lsp.start then -- Neovim 0.8+: starts or reuses a client for the root
      vim.lsp.start(vim.tbl_extend('force', config, { root_dir = root }), { bufnr = args.buf })
      return
    end
    -- Neovim 0.7: one client per root, attached to each writeup under it
    if not clients[root] then
      clients[root] = vim.lsp.start_client(vim.tbl_extend('force', config, {
        root_dir = root,
        workspace_folders = { { uri = vim.uri_from_fname(root), name = root } },
      }))
    end
    vim.lsp.buf_attach_client(args.buf, clients[root])
  end,
})
